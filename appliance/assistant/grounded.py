"""Grounded answers from the active protocols: the lines that answer, then (optionally) words.

The answer is extractive first (:mod:`appliance.assistant.answers`): the protocol lines that
answer the question, verbatim, each cited to its document, section and line, with no model.
They are the first thing reported (``on_sources``), before any model runs. Only when the caller
asks for written text (``write=True``) and a model is loaded does the model write a few
sentences from those numbered lines; each sentence then passes :mod:`appliance.assistant.gate`
(every number, unit, word, negation and comparison in its cited lines) or is never shown, only
kept in ``rejected`` for the audit record. On the question set the bundled model's sentences
did not make answers better than the lines alone, so written text is off by default.
When nothing in the pack matches, the answer is "Not found in local protocols" with the nearest
titles.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from appliance.assistant import answers, banners, gate, heard, prompts
from appliance.text.spoken_numbers import digits
from appliance.text.texting import as_written
from models.runtime import Generation, ModelRuntime, ModelStamp, OnToken

PASSAGE_TOKEN_BUDGET = 360
"""Tokens of cited lines per prompt: small, because every one is evaluated before the first
token on 2 cores."""
MAX_ANSWER_TOKENS = 160


@dataclass(frozen=True)
class Citation:
    """Line [number]: opens document ``doc_id`` at section ``section_id``, line ``line``."""

    number: int
    doc_id: str
    title: str
    section_id: str
    heading_path: tuple[str, ...]
    line: int | None = None
    """The line's position in its document (:class:`appliance.protocols.lines.Line`)."""
    line_text: str = ""
    """The cited line as written (Markdown emphasis removed): what the viewer highlights."""


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
    """Written sentences that passed the gate (the only ones ever shown)."""
    rejected: list[Sentence] = field(default_factory=list)
    """Written sentences the gate refused, with the reason: for the audit record, never shown."""
    citations: list[Citation] = field(default_factory=list)
    quotes: list[Sentence] = field(default_factory=list)
    """The answering protocol lines, best first, verbatim with their citation: the answer."""
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


def answer(question: str, searcher: Any, runtime: ModelRuntime | None,
           on_token: OnToken | None = None, cancel: threading.Event | None = None, *,
           priority_level: int | None = None,
           budget_tokens: int = PASSAGE_TOKEN_BUDGET,
           on_sources: Callable[[list[Citation]], None] | None = None,
           write: bool = False, patient_age_years: float | None = None) -> Answer:
    """Answer ``question`` from the protocols ``searcher`` covers.

    The answering lines are chosen without a model and reported to ``on_sources`` at once.
    With ``write`` and a ``runtime`` the model also writes sentences from those lines
    (``on_token`` streams them unchecked, ``cancel`` stops it); only gated sentences are kept
    in ``sentences``. ``priority_level`` (from the triage engine) adds its fixed banner;
    ``patient_age_years`` (asked from a record) picks that age's row when the question names
    no age. Never raises for model trouble.
    """
    result = Answer(question=question, mode="extractive",
                    banner=banners.banner_for(priority_level))
    # a dictated question spells its numbers out, and may write a term as the everyday words
    # it sounds like ("sal beauty mol"); a typed one drops apostrophes and vowels ("hes",
    # "shud"): the lines and the readers work on digits, words written out and the pack's
    # own terms
    asked = heard.as_pack_writes(as_written(digits(question)), searcher)
    scored, hits = answers.rank(asked, searcher, patient_age_years=patient_age_years)
    best = answers.best_lines(scored)
    if not best or not answers.answers_question(scored):
        result.mode = "not-found"
        result.text = banners.NOT_FOUND
        result.nearest_titles = list(dict.fromkeys(h.title for h in hits))[:3]
        return result
    result.citations = [Citation(i, s.line.doc_id, s.line.title, s.line.section_id,
                                 s.line.heading_path, s.line.number, s.line.plain)
                        for i, s in enumerate(best, 1)]
    result.quotes = [Sentence(f'"{s.line.shown}" [{i}]', (i,), True, "", (i,))
                     for i, s in enumerate(best, 1)]
    result.text = " ".join(q.text for q in result.quotes)
    if on_sources is not None:
        on_sources(list(result.citations))
    if not write:
        return result
    if runtime is None:
        result.notes.append(banners.NO_MODEL)
        return result
    _write(result, [s.line for s in best], runtime, on_token, cancel, budget_tokens)
    return result


def numbered_lines(lines: list[Any], runtime: ModelRuntime, budget: int) -> tuple[str, int]:
    """The prompt's numbered lines ("[n] Title > Heading: line") within ``budget`` tokens (the
    first always), and how many were left out."""
    numbered: list[str] = []
    spent = omitted = 0
    for i, line in enumerate(lines, 1):
        entry = f"[{i}] {line.title} > {' > '.join(line.heading_path[1:])}: {line.shown}"
        cost = runtime.count_tokens(entry)
        if numbered and spent + cost > budget:
            omitted += 1
            continue
        numbered.append(entry)
        spent += cost
    return "\n".join(numbered), omitted


def _write(result: Answer, lines: list[Any], runtime: ModelRuntime, on_token: OnToken | None,
           cancel: threading.Event | None, budget: int) -> None:
    """The model's sentences from the numbered lines, each through the gate."""
    result.model = runtime.stamp
    passages, result.omitted_passages = numbered_lines(lines, runtime, budget)
    try:
        gen = runtime.complete(prompts.answer_messages(result.question, passages),
                               max_tokens=MAX_ANSWER_TOKENS, on_token=on_token, cancel=cancel)
    except Exception as exc:  # noqa: BLE001 - the protocol lines still answer
        result.notes.append(f"The model failed ({exc}): showing the protocol lines only.")
        return
    result.generation = gen
    result.cancelled = gen.finish_reason == "cancelled"
    headings = [h for line in lines for h in line.heading_path]
    for sentence in gate.split_sentences(gen.text.strip()):
        verdict = gate.check(sentence, [line.shown for line in lines], headings)
        kept = Sentence(sentence, verdict.citations, verdict.shown, verdict.reason,
                        verdict.citations if verdict.shown else ())
        (result.sentences if verdict.shown else result.rejected).append(kept)
    if result.sentences:
        result.mode = "model"
    if result.cancelled:
        result.notes.append("Cancelled: the written answer is incomplete.")
    if result.rejected:
        result.notes.append(f"{len(result.rejected)} written sentence(s) not supported by the "
                            "cited lines were withheld.")
