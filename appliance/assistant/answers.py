"""Extractive answers: the protocol lines that answer a question, best first, verbatim.

The pack's hybrid search (words and embeddings, :mod:`appliance.protocols.search`) names the
documents and the section of each most likely to hold the answer; every line of those documents
(:mod:`appliance.protocols.lines`) is then scored by

- the question's words found in the line, its lead-in or header row, and its headings, each
  weighted by how rare the word is in the pack (synonyms and spelling corrections count);
- what the question asks for and what the line offers (:mod:`appliance.assistant.question`):
  a dose wants an amount, a time a duration, a threshold a comparison or range, "can I / should
  I" a negation; an age or weight wants the row or item of that band, and a line of another
  band is pushed down; a number in the question wants a range holding it;
- how the search ranked the line's document and whether the line is in the section it chose.

The weights are fixed constants chosen on ``tests/data/answer_questions.jsonl`` and gated on the
separately written ``answer_questions_heldout.jsonl``. Nothing here knows a particular document.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from appliance.assistant.question import LineFeatures, Question, line_features, read_question
from appliance.protocols.lines import Line, LineIndex, parse_section

DOCS = 5
"""Documents whose lines are ranked (the search's best ones)."""
SHOWN = 3
W_TEXT, W_CONTEXT, W_HEADING = 1.0, 1.0, 0.45
W_LEXICAL = 2.0
W_DOC = 0.4
"""Bonus for the search's first document; the n-th gets W_DOC / n."""
W_SECTION = 0.25
W_KIND = {"dose": 0.3, "time": 0.6, "threshold": 0.5, "contra": 0.3, "whatif": 0.0}
W_AGE_MATCH, W_AGE_MISMATCH = 0.3, -0.3
W_NUMBER = 0.6
W_EMBED = 2.0
BREVITY = 0.02
MIN_LEXICAL = 0.25
"""Share of the question's (idf-weighted) words the best line must hold to count as an answer,
unless its meaning is close (``MIN_SIMILARITY``): lay words share few words with a protocol."""
MIN_SIMILARITY = 0.35
_STOP = frozenset("""a about after all also am an and any are as at be been before being but by
can could did do does doing during each for from had has have having how i if in into is it its
just me my no nor not of off on once only or other our out over own same she should so some such
than that the their them then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your patient patients
pt pts give given get use used need needs someone person people whats much many long""".split())



class SearcherLike(Protocol):
    """``appliance.protocols.search.Searcher`` as answers use it. A searcher without a pack
    ``directory`` (a test double) is answered from its hits' own section text."""

    def search(self, query: str, k: int = 10, *, one_per_doc: bool = True) -> list[Any]: ...


@dataclass(frozen=True)
class ScoredLine:
    line: Line
    score: float
    lexical: float
    similarity: float = 0.0


_indexes: dict[str, LineIndex] = {}


def line_index(searcher: SearcherLike) -> LineIndex | None:
    """The line index of the searcher's pack (one per installed pack, kept for the process)."""
    directory = getattr(searcher, "directory", None)
    if directory is None:
        return None
    key = str(directory)
    if key not in _indexes:
        _indexes[key] = LineIndex(directory)
    return _indexes[key]


def stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:6]


def stems(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
            if w not in _STOP}


def _term_groups(question: str,
                 searcher: SearcherLike) -> tuple[list[set[str]], list[set[str]]]:
    """Per content word of the question (spelling corrected): the set of stems a line may hold
    for it (its synonyms too; a multi-word synonym as one space-joined entry), and the set of
    vocabulary words it stands for (to look up how common it is)."""
    planner = getattr(searcher, "plan", None)
    synonyms: Callable[[str], set[str]] = getattr(searcher, "synonyms_of", lambda word: set())
    typed = planner(question).words if planner else re.findall(r"[a-z0-9]+", question.lower())
    groups: list[set[str]] = []
    surface: list[set[str]] = []
    seen: set[str] = set()
    for word in typed:
        word = word.rstrip("*")
        if word in _STOP or word in seen or not re.search(r"[a-z0-9]", word):
            continue
        seen.add(word)
        group = {stem(word)}
        words = {word}
        for synonym in synonyms(word):
            parts = [w for w in synonym.split() if w not in _STOP]
            if parts:
                group.add(" ".join(stem(w) for w in parts))
                words.update(parts)
        groups.append(group)
        surface.append(words)
    return groups, surface


# Words that name the kind of answer wanted: a line earns them only by holding that kind of
# answer ("dose" counts in a line with an amount, not in "despite one dose of adrenaline").
_KIND_STEMS = {stem(w): kind for kind, words in (
    ("amount", "dose doses dosage dosing amount"),
    ("duration", "time times timing"),
    ("comparison", "target threshold level levels normal range"),
) for w in words.split()}


def _holds(group: set[str], words: set[str]) -> bool:
    return any(all(p in words for p in entry.split()) for entry in group)


def rank(question: str, searcher: SearcherLike, *, patient_age_years: float | None = None,
         hits: list[Any] | None = None,
         semantic: bool = True) -> tuple[list[ScoredLine], list[Any]]:
    """Lines answering ``question``, best first, and the search hits they were drawn from."""
    q = read_question(question, patient_age_years)
    if hits is None:
        hits = list(searcher.search(question, k=DOCS))
    index = line_index(searcher)
    groups, surface = _term_groups(question, searcher)
    idf = _idf(index, surface)
    total = sum(idf) or 1.0
    query = _embed(question) if semantic and index is not None else None
    scored: list[ScoredLine] = []
    for rank_, hit in enumerate(hits[:DOCS]):
        prior = W_DOC / (rank_ + 1)
        lines = _lines(index, hit)
        similarity = _similarities(index, hit.doc_id, query, len(lines))
        for line, cosine in zip(lines, similarity, strict=True):
            features = line_features(line.shown, line.heading_path)
            lexical = _lexical(line, groups, idf, features) / total
            score = (W_LEXICAL * lexical * _brevity(line) + W_EMBED * cosine + prior
                     + _fit(q, features))
            if line.section_id == hit.section_id:
                score += W_SECTION
            if line.plain.endswith(":"):
                continue  # a lead-in: its items carry it as context and are the answers
            scored.append(ScoredLine(line, score, lexical, cosine))
    scored.sort(key=lambda s: (-s.score, s.line.doc_id, s.line.number))
    return scored, hits


def prepare(searcher: SearcherLike) -> None:
    """Embed every line of the searcher's pack now, so every answer has line similarity (an
    answer never waits for embedding: a document not embedded yet is ranked by words until
    the background has embedded it)."""
    index = line_index(searcher)
    if index is not None:
        index.embed_all()


def _lines(index: LineIndex | None, hit: Any) -> list[Line]:
    if index is not None:
        return index.lines(hit.doc_id)
    return parse_section(hit.doc_id, hit.title, hit.section_id, tuple(hit.heading_path),
                         hit.text)


def _embed(text: str) -> Any:
    from models.embedder import embedder_available, get_embedder

    return get_embedder().embed_one(text) if embedder_available() else None


def _similarities(index: LineIndex | None, doc_id: str, query: Any, n: int) -> list[float]:
    """Cosine of the question with each line of the document (zeros without the embedder)."""
    if query is None or index is None:
        return [0.0] * n
    matrix = index.vectors(doc_id, wait=False)
    if matrix is None or matrix.shape[0] != n:
        return [0.0] * n
    return [float(x) for x in matrix @ query]


def _brevity(line: Line) -> float:
    """Long lines hold many words by chance (a handover checklist names every topic)."""
    return 1.0 / (1.0 + BREVITY * max(0, len(line.plain.split()) - 12))


def _idf(index: LineIndex | None, groups: list[set[str]]) -> list[float]:
    """Per word group (vocabulary words): log(1 + documents / documents holding its commonest
    word), from the pack's vocabulary; a word the pack never uses weighs as the rarest."""
    if index is None:
        return [1.0] * len(groups)
    docs = max(1, index.documents)
    words = sorted({w for g in groups for e in g for w in e.split()})
    df = index.document_frequency(words)
    out = []
    for g in groups:
        counts = [df[w] for e in g for w in e.split() if df.get(w)]
        seen = max(counts) if counts else 1
        out.append(math.log(1 + docs / seen))
    return out


def _lexical(line: Line, groups: list[set[str]], idf: list[float],
             features: LineFeatures | None = None) -> float:
    text = stems(line.text)
    context = stems(line.context)
    heading = stems(" ".join(line.heading_path))
    offers = {"amount": features.amount, "duration": features.duration,
              "comparison": features.comparison or bool(features.ranges)} if features else {}
    score = 0.0
    for group, weight in zip(groups, idf, strict=True):
        kind = next((_KIND_STEMS[e] for e in group if e in _KIND_STEMS), None)
        if kind is not None and offers and not offers[kind]:
            continue
        if _holds(group, text):
            score += weight * W_TEXT
        elif _holds(group, context):
            score += weight * W_CONTEXT
        elif _holds(group, heading):
            score += weight * W_HEADING
    return score


def _fit(q: Question, f: LineFeatures) -> float:
    """How well what the line offers fits what the question asks for."""
    score = 0.0
    if "dose" in q.kinds and f.amount:
        score += W_KIND["dose"]
    if "time" in q.kinds and f.duration:
        score += W_KIND["time"]
    if "threshold" in q.kinds and (f.comparison or f.ranges):
        score += W_KIND["threshold"]
    if "contra" in q.kinds and f.negation:
        score += W_KIND["contra"]
    if "whatif" in q.kinds:
        score += W_KIND["whatif"]
    if q.age_months is not None and f.ages:
        score += W_AGE_MATCH if any(b.holds(q.age_months) for b in f.ages) else W_AGE_MISMATCH
    if q.weight_kg is not None and f.weights:
        score += W_AGE_MATCH if any(b.holds(q.weight_kg) for b in f.weights) else W_AGE_MISMATCH
    if q.numbers and f.ranges and any(b.holds(n) for n in q.numbers for b in f.ranges):
        score += W_NUMBER
    return score


LAND_SEMANTIC = 3
"""Search hits whose line is chosen as answers choose it (with line embeddings); the rest are
placed by words and question type only, which is cheap enough for search as you type."""


def land(query: str, hits: list[Any], searcher: SearcherLike) -> list[Any]:
    """Search hits re-pointed at the best line of their document for ``query``: its section,
    heading path, line and a snippet cut from that line (so a hit opens where the answer is)."""
    from dataclasses import replace

    from appliance.protocols.snippets import snippet

    chosen: dict[str, Line] = {}
    if hits:
        for s in rank(query, searcher, hits=hits[:LAND_SEMANTIC])[0]:
            chosen.setdefault(s.line.doc_id, s.line)
    index = line_index(searcher)
    groups, surface = _term_groups(query, searcher)
    idf = _idf(index, surface)
    total = sum(idf) or 1.0
    q = read_question(query)
    marks = searcher.plan(query).marks if hasattr(searcher, "plan") else []
    out = []
    for hit in hits:
        best: tuple[float, Line] | None = None
        if hit.doc_id in chosen:
            best = (0.0, chosen[hit.doc_id])
        for line in [] if best else _lines(index, hit):
            if line.plain.endswith(":"):
                continue
            features = line_features(line.shown, line.heading_path)
            lexical = _lexical(line, groups, idf, features) / total
            score = (W_LEXICAL * lexical * _brevity(line) + _fit(q, features)
                     + (W_SECTION if line.section_id == hit.section_id else 0.0))
            if best is None or score > best[0]:
                best = (score, line)
        if best is None:
            out.append(hit)
            continue
        line = best[1]
        out.append(replace(hit, section_id=line.section_id, heading_path=line.heading_path,
                           line=line.plain, snippet=snippet(line.shown, marks)))
    return out


def answers_question(best: ScoredLine) -> bool:
    """Whether the best line is related enough to show, rather than "not found"."""
    return best.lexical >= MIN_LEXICAL or best.similarity >= MIN_SIMILARITY


def best_lines(scored: list[ScoredLine], n: int = SHOWN) -> list[ScoredLine]:
    """The ``n`` best lines that say something different (no line twice)."""
    out: list[ScoredLine] = []
    seen: set[str] = set()
    for s in scored:
        key = s.line.plain.lower()
        if key in seen:
            continue
        seen.add(key)
        out.append(s)
        if len(out) == n:
            break
    return out
