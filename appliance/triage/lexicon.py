"""Symptom lexicon matching: synonyms, abbreviations, misspellings and negation.

Text is lower-cased and split into word tokens (apostrophes dropped, so "can't" is "cant") and
clause breaks. Terms are matched longest first, never across a clause break. A term may itself
contain a negation word ("not breathing", "cant breathe"); those words are then part of the
symptom, not negations. Remaining negation cues ("no", "denies", "without", …) negate the terms
that follow them in the same clause; trailing cues ("chest pain: denied") negate what precedes.
Commas end a negation's reach: "no cough, SOB" reports SOB as present, because missing a symptom
(under-triage) harms more than over-reading one. Words of seven letters or more that are one
dropped, doubled or swapped letter away from a synonym with the same first letter also match
("palpitatoins"), flagged as fuzzy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[.;:!?,\n]|(?<![a-z0-9])#")
_BREAKS = {".", ";", ":", "!", "?", "\n"}
#: words that end a negation's reach (a new clause), besides punctuation
_SCOPE_ENDERS = {",", "but", "however", "although", "though", "except", "apart", "now",
                 "aside", "yet", "whereas", "still", "which", "who"}
_PRE_NEGATIONS: tuple[tuple[str, ...], ...] = tuple(tuple(p.split()) for p in (
    "no", "not", "nil", "denies", "denied", "deny", "denying", "without", "never",
    "negative for", "free of", "absence of", "no sign of", "no signs of", "no evidence of",
    "doesnt have", "does not have", "didnt have", "did not have", "hasnt had", "has not had",
    "isnt", "wasnt", "no history of", "ruled out", "family history of", "fh of", "fh",
    "nor", "neither",
))
_POST_NEGATIONS = {"denied", "absent", "nil", "none", "negative", "excluded"}
#: negation words that do not negate: "no improvement", "not sure", "no longer"
_PSEUDO = {("no", "improvement"), ("no", "better"), ("no", "relief"), ("not", "sure"),
           ("no", "change"), ("not", "only"), ("no", "longer"), ("not", "improving"),
           ("not", "settling"), ("no", "response")}
_NEGATION_REACH = 8  # tokens
_FUZZY_MIN = 7  # shorter words are too often another real word one letter away
#: ordinary words one edit from a lexicon word: never read as that symptom
_NEVER_FUZZY = frozenset({"handing", "checking", "injected", "injection", "scaled", "tipped",
                          "strained", "gaping", "sprint", "stating", "breathe", "bleeping"})


def normalise(text: str) -> str:
    """Lower-case and fold typographic quotes; apostrophes vanish ("can't" → "cant")."""
    return text.lower().replace("’", "'").replace("'", "")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) over ``text``; offsets index the original string."""
    lowered = text.lower().replace("’", "'")
    out = []
    for m in _TOKEN.finditer(lowered):
        out.append((m.group().replace("'", ""), m.start(), m.end()))
    return out


@dataclass(frozen=True)
class Concept:
    """A symptom or finding with every way people write it."""

    id: str
    label: str
    terms: tuple[str, ...]
    benign: bool = False
    kind: str = "symptom"
    #: words that typo-tolerant matching may aim at (synonyms, never abbreviations/misspellings)
    fuzzy_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """One concept found in a text."""

    concept: str
    text: str
    start: int
    end: int
    negated: bool = False
    fuzzy: bool = False
    source: str = "complaint"

    def to_json(self) -> dict[str, object]:
        return {"concept": self.concept, "text": self.text, "start": self.start,
                "end": self.end, "negated": self.negated, "fuzzy": self.fuzzy,
                "source": self.source}


@dataclass
class Lexicon:
    """Concepts indexed for matching. Build with :meth:`from_concepts`."""

    version: str
    concepts: dict[str, Concept]
    _by_first: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    _deletes: dict[str, str] = field(default_factory=dict)
    _fuzzy_targets: frozenset[str] = frozenset()
    _words: frozenset[str] = frozenset()

    @classmethod
    def from_concepts(cls, version: str, concepts: Iterable[Concept]) -> Lexicon:
        lex = cls(version=version, concepts={c.id: c for c in concepts})
        words: set[str] = set()
        for concept in lex.concepts.values():
            for term in concept.terms:
                toks = tuple(t for t, _, _ in tokenize(term))
                if not toks:
                    continue
                lex._by_first.setdefault(toks[0], []).append((toks, concept.id))
                words.update(toks)
        for entries in lex._by_first.values():
            entries.sort(key=lambda e: -len(e[0]))  # longest term first
        targets = {w for c in lex.concepts.values() for t in c.fuzzy_terms
                   for w in [t.lower()] if w.isalpha() and len(w) >= _FUZZY_MIN}
        for word in targets:
            for variant in _deletes(word):
                lex._deletes.setdefault(variant, word)
        lex._fuzzy_targets = frozenset(targets)
        lex._words = frozenset(words)
        return lex

    def concept_ids(self) -> list[str]:
        """Every concept id, sorted (the assistant's extraction enum)."""
        return sorted(self.concepts)

    def _fuzzy_word(self, token: str) -> str | None:
        """A lexicon word one dropped, doubled or swapped letter away from ``token``.

        Substitutions are not tried: they turn ordinary words into symptoms ("handing" into
        "hanging", "injected" into "infected").
        """
        if (len(token) < _FUZZY_MIN or token in self._words or not token.isalpha()
                or token in _NEVER_FUZZY):
            return None
        word = self._deletes.get(token)  # a letter left out
        if word is None:
            word = next((v for v in _deletes(token) if v in self._fuzzy_targets), None)
        if word is None:
            word = next((v for v in _swaps(token) if v in self._fuzzy_targets), None)
        return word if word is not None and word[0] == token[0] else None


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _swaps(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}


def _is_negation_at(tokens: list[str], i: int) -> int:
    """Length of the negation cue starting at ``i`` (0 when there is none)."""
    for cue in _PRE_NEGATIONS:
        n = len(cue)
        if tuple(tokens[i:i + n]) == cue:
            if n == 1 and i + 1 < len(tokens) and (tokens[i], tokens[i + 1]) in _PSEUDO:
                return 0
            return n
    return 0


def find_concepts(text: str, lexicon: Lexicon, source: str = "complaint") -> list[Match]:
    """Every concept mentioned in ``text``, in order, each marked negated or not."""
    if not text:
        return []
    spans = tokenize(text)
    tokens = [t for t, _, _ in spans]
    claimed = [False] * len(tokens)
    found: list[tuple[int, int, str, bool]] = []  # (first token, last token, concept, fuzzy)
    i = 0
    while i < len(tokens):
        hit = _match_at(tokens, i, lexicon)
        if hit is not None:
            n, cid, fuzzy = hit
            found.append((i, i + n - 1, cid, fuzzy))
            for k in range(i, i + n):
                claimed[k] = True
            i += n
        else:
            i += 1
    negated_tokens = _negated_positions(tokens, claimed)
    matches = []
    for first, last, cid, fuzzy in found:
        negated = first in negated_tokens or _post_negated(tokens, last)
        matches.append(Match(cid, text[spans[first][1]:spans[last][2]], spans[first][1],
                             spans[last][2], negated, fuzzy, source))
    return matches


def _match_at(tokens: list[str], i: int, lexicon: Lexicon) -> tuple[int, str, bool] | None:
    entries = lexicon._by_first.get(tokens[i])
    fuzzy = False
    if entries is None:
        word = lexicon._fuzzy_word(tokens[i])
        if word is None:
            return None
        entries, fuzzy = lexicon._by_first[word], True
    for toks, cid in entries:
        n = len(toks)
        window = tokens[i:i + n]
        if len(window) == n and (window[1:] == list(toks[1:])):
            return n, cid, fuzzy
    return None


def _negated_positions(tokens: list[str], claimed: list[bool]) -> set[int]:
    negated: set[int] = set()
    i = 0
    while i < len(tokens):
        n = 0 if claimed[i] else _is_negation_at(tokens, i)
        if n == 0:
            i += 1
            continue
        j = i + n
        while j < len(tokens) and j < i + n + _NEGATION_REACH:
            if tokens[j] in _BREAKS or tokens[j] in _SCOPE_ENDERS:
                break
            negated.add(j)
            j += 1
        i = j
    return negated


def _post_negated(tokens: list[str], last: int) -> bool:
    j = last + 1
    while j < len(tokens) and j <= last + 3:
        tok = tokens[j]
        if tok in _POST_NEGATIONS:
            return True
        if tok in _BREAKS - {":"} or tok == ",":
            return False
        j += 1
    return False
