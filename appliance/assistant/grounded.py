"""Grounded answers from the active protocols, with citations checked in code.

Retrieval (``Searcher.search``) → the passages that fit a counted token budget (whole passages
only; how many were left out is said) → the model writes at most a few sentences ending in [n]
→ each sentence is checked: a sentence with no valid citation is *unsupported*, a citation is
valid only if its passage shares the sentence's content words, and a "quotation" must occur
verbatim in a cited passage. Without a model, or when nothing relevant is found, the answer is
deterministic: the best matching protocol sentences, quoted and cited, or "Not found in local
protocols" with the nearest titles.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from appliance.assistant import banners, prompts
from appliance.text.spans import is_verbatim
from models.runtime import Generation, ModelRuntime, ModelStamp, OnToken

PASSAGE_TOKEN_BUDGET = 360
"""Tokens of passages per prompt: small, because every one is evaluated before the first
token (~100 tokens/s on 2 cores with the bundled model)."""
MAX_ANSWER_TOKENS = 160
MIN_RELEVANCE = 0.3
"""Share of the question's content words a passage must contain to count as relevant."""
MIN_SUPPORT = 0.5
"""Share of a sentence's content words its cited passage must contain for the citation to hold."""
K = 5
_STOP = frozenset("""a about above after again all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers him his how i if in into is it its itself just me
more most my no nor not now of off on once only or other our out over own same she should so some
such than that the their them then there these they this those through to too under until up
very was we were what when where which while who whom why will with would you your patient
patients give given should must may use""".split())
_NOT_GUIDANCE = frozenset({"sources", "references", "source", "further reading"})
_QUOTE = re.compile(r"[\"“”]([^\"“”]{3,})[\"“”]")
_CITE = re.compile(r"\[(\d{1,2})\]")


class HitLike(Protocol):
    """What a search hit must offer (``appliance.protocols.search.Hit`` does)."""

    doc_id: str
    title: str
    heading_path: tuple[str, ...]
    section_id: str
    text: str
    score: float


class SearcherLike(Protocol):
    """``appliance.protocols.search.Searcher``: best sections first."""

    def search(self, query: str, k: int = 10, *, one_per_doc: bool = True) -> list[Any]: ...


@dataclass(frozen=True)
class Citation:
    """Passage [number]: opens section ``section_id`` of document ``doc_id``."""

    number: int
    doc_id: str
    title: str
    section_id: str
    heading_path: tuple[str, ...]


@dataclass(frozen=True)
class Sentence:
    text: str
    citations: tuple[int, ...]
    supported: bool
    reason: str = ""
    valid_citations: tuple[int, ...] = ()
    """The cited passages that really contain the sentence's words (and any quotation)."""


@dataclass
class Answer:
    """A grounded answer; ``label`` and ``banner`` are fixed strings, never generated."""

    question: str
    mode: str
    """"model", "extractive" (no model / nothing usable) or "not-found"."""
    text: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    quotes: list[Sentence] = field(default_factory=list)
    """Best matching protocol sentences, verbatim with their citation: always shown beside a
    model answer and used as the answer when there is no model."""
    nearest_titles: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    omitted_passages: int = 0
    banner: str | None = None
    label: str = banners.DECISION_SUPPORT
    model: ModelStamp | None = None
    prompt_version: str = prompts.ANSWER_VERSION
    generation: Generation | None = None
    cancelled: bool = False

    @property
    def supported_share(self) -> float:
        if not self.sentences:
            return 0.0
        return sum(s.supported for s in self.sentences) / len(self.sentences)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["supported_share"] = round(self.supported_share, 3)
        data["generation"] = self.generation.to_dict() if self.generation else None
        return data


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:6]


def content_words(text: str) -> set[str]:
    """Meaningful lower-case words of 3+ letters, crudely stemmed ("cooled" ~ "cool"), and
    every number (doses and times must match their source too)."""
    return {_stem(w) if not w.isdigit() else w
            for w in re.findall(r"[a-z][a-z0-9]{2,}|\d+(?:\.\d+)?", text.lower())
            if w not in _STOP}


def prose_sentences(markdown: str) -> list[str]:
    """Sentences of a section's Markdown: wrapped lines joined, list items and quotes kept apart."""
    blocks: list[str] = []
    for line in markdown.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ">", "|")):
            blocks.append("")
        elif re.match(r"^([-*+]|\d+[.)])\s+", stripped):
            blocks.append(re.sub(r"^([-*+]|\d+[.)])\s+", "", stripped))
        elif blocks and blocks[-1]:
            blocks[-1] += " " + stripped
        else:
            blocks.append(stripped)
    out: list[str] = []
    for block in blocks:
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", block) if len(s.strip()) > 20]
    return out


def overlap(words: set[str], passage: str) -> float:
    if not words:
        return 0.0
    return len(words & content_words(passage)) / len(words)


def answer(question: str, searcher: SearcherLike, runtime: ModelRuntime | None,
           on_token: OnToken | None = None, cancel: threading.Event | None = None, *,
           priority_level: int | None = None,
           budget_tokens: int = PASSAGE_TOKEN_BUDGET,
           on_sources: Callable[[list[Citation]], None] | None = None) -> Answer:
    """Answer ``question`` from the protocols ``searcher`` covers.

    ``on_token`` receives streamed text; ``cancel`` stops generation. ``priority_level`` (from
    the triage engine) adds its fixed escalation banner. ``on_sources`` receives the numbered
    passages as soon as they are chosen, before generation (a UI lists them while it streams).
    Never raises for model trouble.
    """
    result = Answer(question=question, mode="extractive",
                    banner=banners.banner_for(priority_level))
    hits = list(searcher.search(question, k=K, one_per_doc=False))
    qwords = content_words(question)
    relevant = [h for h in hits if overlap(qwords, f"{h.title} {' '.join(h.heading_path)} "
                                                   f"{h.text}") >= MIN_RELEVANCE]
    if not relevant:
        result.mode = "not-found"
        result.text = banners.NOT_FOUND
        result.nearest_titles = list(dict.fromkeys(h.title for h in hits))[:3]
        return result
    used = _fit(relevant, runtime, budget_tokens, result)
    result.citations = [Citation(i, h.doc_id, h.title, h.section_id, tuple(h.heading_path))
                        for i, h in enumerate(used, 1)]
    result.quotes = _quotes(qwords, used)
    if on_sources is not None:
        on_sources(list(result.citations))
    if runtime is None:
        result.notes.append(banners.NO_MODEL)
        result.text = " ".join(s.text for s in result.quotes)
        return result
    result.model = runtime.stamp
    passages = "\n\n".join(f"[{i}] {h.title} > {' > '.join(h.heading_path)}\n{h.text.strip()}"
                           for i, h in enumerate(used, 1))
    try:
        gen = runtime.complete(prompts.answer_messages(question, passages),
                               max_tokens=MAX_ANSWER_TOKENS, on_token=on_token, cancel=cancel)
    except Exception as exc:  # noqa: BLE001 - the quoted passages still answer
        result.notes.append(f"The model failed ({exc}): showing the protocol text instead.")
        result.text = " ".join(s.text for s in result.quotes)
        return result
    result.mode = "model"
    result.generation = gen
    result.cancelled = gen.finish_reason == "cancelled"
    result.text = gen.text.strip()
    result.sentences = check_sentences(result.text, [h.text for h in used])
    if result.cancelled:
        result.notes.append("Cancelled: the answer is incomplete.")
    if result.sentences and not any(s.supported for s in result.sentences):
        result.notes.append("No sentence of the written answer is supported by the protocols: "
                            "rely on the quoted protocol text.")
    return result


def _fit(hits: list[Any], runtime: ModelRuntime | None, budget: int, result: Answer) -> list[Any]:
    """Whole passages, best first, while they fit the budget; say how many were left out."""
    if runtime is None:
        return hits
    used: list[Any] = []
    spent = 0
    for hit in hits:
        cost = runtime.count_tokens(f"{hit.title} {' > '.join(hit.heading_path)}\n{hit.text}") + 6
        if used and spent + cost > budget:
            continue
        if not used and cost > budget:
            result.notes.append(f"The best passage ({cost} tokens) is longer than the "
                                f"{budget}-token budget: it was sent whole, nothing cut.")
        used.append(hit)
        spent += cost
    result.omitted_passages = len(hits) - len(used)
    if result.omitted_passages:
        result.notes.append(f"{result.omitted_passages} lower-ranked passage(s) left out to fit "
                            f"the {budget}-token budget.")
    return used


def split_sentences(text: str) -> list[str]:
    """Sentences, keeping a trailing "[n]" that follows the full stop with its sentence."""
    raw = [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“(\[])", text) if s.strip()]
    out: list[str] = []
    for s in raw:
        m = re.match(r"^((?:\[\d{1,2}\]\s*)+)(.*)$", s, re.DOTALL)
        if m and out:
            out[-1] = f"{out[-1]} {m.group(1).strip()}"
            s = m.group(2).strip()
        if s:
            out.append(s)
    return out


def check_sentences(text: str, passages: list[str]) -> list[Sentence]:
    """Mark each sentence supported or not, with the reason, against numbered ``passages``."""
    checked: list[Sentence] = []
    for sentence in split_sentences(text):
        numbers = tuple(int(n) for n in _CITE.findall(sentence))
        body = _CITE.sub("", sentence)
        words = content_words(body)
        valid = tuple(n for n in numbers if 1 <= n <= len(passages)
                      and overlap(words, passages[n - 1]) >= MIN_SUPPORT)
        reason = ""
        if not numbers:
            reason = "no citation"
        elif not valid:
            reason = "the cited passage does not say this"
        for quote in _QUOTE.findall(body):
            if not any(is_verbatim(passages[n - 1], quote) for n in numbers
                       if 1 <= n <= len(passages)):
                reason = f'quotation "{quote}" is not in the cited passage'
                valid = ()
        checked.append(Sentence(sentence, numbers, bool(valid), reason, valid))
    return checked


def _quotes(qwords: set[str], hits: list[Any], per_passage: int = 1) -> list[Sentence]:
    """The passage sentences sharing most words with the question, verbatim, cited."""
    quotes: list[Sentence] = []
    for i, hit in enumerate(hits, 1):
        if hit.heading_path and hit.heading_path[-1].strip().lower() in _NOT_GUIDANCE:
            continue  # a reference list is not an answer
        ranked = sorted(prose_sentences(hit.text), key=lambda s: -len(qwords & content_words(s)))
        for s in [s for s in ranked if qwords & content_words(s)][:per_passage]:
            quotes.append(Sentence(f'"{s}" [{i}]', (i,), True, "", (i,)))
    return quotes
