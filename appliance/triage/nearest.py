"""Nearest complaint by meaning: a fallback for complaint text the lexicon cannot read.

The lexicon reads complaints as people write them, but no word list is complete ("tummy
cramps after the curry", a rare condition, a phrase nobody thought of). When it finds no
complaint at all, the sentence embedder the project already ships compares the text with each
complaint's label and first words, and the closest complaint above a similarity threshold may
RAISE the priority to that complaint's own level (never its discriminators', never lower than
the unrecognised default says). The result names the complaint and the similarity, and warns
that a clinician must read the text: a nearest neighbour is a guess about meaning, not a
reading of it.

The embedding function is passed in (the shell wires the model in), so this module runs and is
tested with the real embedder but needs nothing of it at import time, and triage without the
model is unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from appliance.triage.complaints import Complaint, Taxonomy

if TYPE_CHECKING:
    from appliance.triage.lexicon import Lexicon
    from appliance.triage.rules import RuleSet

Embed = Callable[[list[str]], Any]  # texts -> (n, dim) array of unit-length rows

#: Cosine similarity below which the nearest complaint is not trusted. Chosen on the project's
#: own phrasings (tests/triage/test_nearest.py holds it): unrelated text stays below it.
THRESHOLD = 0.72
_TERMS_PER_COMPLAINT = 2  # the label and the first words: the head of the list is typical


@dataclass(frozen=True)
class Neighbour:
    complaint: Complaint
    similarity: float


class NearestComplaints:
    """Complaint texts embedded once; ``nearest(text)`` ranks complaints by meaning."""

    def __init__(self, taxonomy: Taxonomy, lexicon: Lexicon, embed: Embed,
                 threshold: float = THRESHOLD) -> None:
        self._embed = embed
        self.threshold = threshold
        self._texts: list[str] = []
        self._owners: list[int] = []
        self._complaints = [c for c in taxonomy.complaints if not c.mechanism]
        for i, complaint in enumerate(self._complaints):
            concept = lexicon.concepts.get(complaint.id)
            words = concept.terms[:_TERMS_PER_COMPLAINT] if concept else ()
            for text in (complaint.label, *words):
                self._texts.append(text)
                self._owners.append(i)
        self._matrix: Any = None  # embedded on first use: most cases never need it
        self._lock = threading.Lock()

    def _complaint_matrix(self) -> Any:
        with self._lock:
            if self._matrix is None:
                self._matrix = self._embed(self._texts)
            return self._matrix

    def nearest(self, text: str, k: int = 3) -> list[Neighbour]:
        """The ``k`` closest complaints (best text of each), most similar first."""
        if not text.strip():
            return []
        query = self._embed([text])[0]
        scores = self._complaint_matrix() @ query
        best: dict[int, float] = {}
        for row, owner in enumerate(self._owners):
            value = float(scores[row])
            if value > best.get(owner, -2.0):
                best[owner] = value
        ranked = sorted(best.items(), key=lambda kv: -kv[1])[:k]
        return [Neighbour(self._complaints[i], round(s, 3)) for i, s in ranked]

    def match(self, text: str) -> Neighbour | None:
        """The nearest complaint when it is close enough to trust as a fallback."""
        found = self.nearest(text, k=1)
        return found[0] if found and found[0].similarity >= self.threshold else None


def for_ruleset(taxonomy: Taxonomy | None, lexicon: Lexicon,
                embed: Embed | None) -> NearestComplaints | None:
    """The fallback for a rule set, or None when there is no taxonomy or no embedder."""
    if taxonomy is None or embed is None:
        return None
    return NearestComplaints(taxonomy, lexicon, embed)


def model_embed() -> Embed | None:
    """The shipped sentence embedder's batch function (loaded on first call), or None when it
    is not installed."""
    from models.embedder import embedder_available, get_embedder

    if not embedder_available():
        return None

    def embed(texts: Sequence[str]) -> Any:
        return get_embedder().embed(list(texts))

    return embed


_shared: dict[str, NearestComplaints | None] = {}
_shared_lock = threading.Lock()


def shared_for(ruleset: RuleSet) -> NearestComplaints | None:
    """One fallback per rule set for the whole process (the app asks on every keystroke), or
    None when the embedder is not installed. Its complaint texts are embedded on first use."""
    with _shared_lock:
        if ruleset.digest not in _shared:
            _shared[ruleset.digest] = for_ruleset(ruleset.taxonomy, ruleset.lexicon,
                                                  model_embed())
        return _shared[ruleset.digest]
