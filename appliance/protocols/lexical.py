"""Lexical search over ``search.db``: bm25 rankings of documents and of sections (SQLite FTS5).

Lexical search ranks documents (``docs_fts``), not sections: a query matches far fewer documents
than sections, and bm25's cost grows with every matching row. Whole documents lose locality
(bm25 cannot see that the words occur together in one section), so the top ``RERANK``
documents are re-ranked, with equal weight, by their best section, which is looked up to be
shown anyway: bm25 over ``sections_fts`` restricted to each document's rowid range (its
sections are contiguous). Section search over ``sections_fts`` serves one-per-document off
(the assistant's grounding) and packs indexed before ``docs_fts`` existed (schema 1).

Each ranking is of the words as typed (spelling corrected) and of the synonym-expanded query,
fused by reciprocal rank: OR-ing synonyms straight into the query let broad groups outrank the
literal match. Through FTS5 the two run at once on two connections (sqlite releases the GIL).

Installs since the bm25 arrays (:mod:`appliance.protocols.bm25`) rank from them instead: the
same scores without FTS5 running ``bm25()`` over every matching row, cheap enough to run on the
calling thread; FTS5 answers what they cannot (a phrase outside the synonym list).
"""

from __future__ import annotations

import sqlite3
import threading
from bisect import bisect_right
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from appliance.protocols.bm25 import BM25, BM25_DIR, Bm25
from appliance.protocols.fusion import CANDIDATES, rrf
from appliance.protocols.query_plan import Plan, QueryPlanner

# Document rowid -> its sections matching a query as (section rowid, bm25), best first.
Matches = dict[int, list[tuple[int, float]]]
# How many of the best documents are re-ranked by their best section.
RERANK = 10


class Lexical:
    """bm25 rankings over one ``search.db`` (thread-safe: each connection has its lock)."""

    def __init__(self, db: Path, pool: Callable[[], ThreadPoolExecutor]) -> None:
        self.conn = _reader(db)
        self.lock = threading.Lock()
        # A second reader lets the expanded ranking (through FTS5), or the vector side's lookups,
        # run beside the main connection's work.
        self._side_conn = _reader(db)
        self._side_lock = threading.Lock()
        self._pool = pool
        self.planner = QueryPlanner(self.conn)  # used under self.lock
        # Packs installed before schema 2 have no docs_fts: their sections rank the documents.
        self.doc_level = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'docs_fts'").fetchone() is not None
        # Packs installed before the array index rank through FTS5 alone.
        self._arrays = Bm25.open(db.parent / BM25_DIR, BM25)
        # doc_sections in memory (loaded on first use; a few MB at 20,000 documents): which
        # document a section is in, and a document's sections, without a query per search.
        self._spans: dict[int, tuple[int, int]] | None = None
        self._firsts: list[int] = []
        self._docs_by_first: list[int] = []

    def close(self) -> None:
        self.conn.close()
        self._side_conn.close()
        if self._arrays is not None:
            self._arrays.close()

    def plan(self, query: str) -> Plan:
        with self.lock:
            return self.planner.plan(query)

    def rows(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> list[Any]:
        """Run a read query on the main connection (for lookups by the searcher)."""
        with self.lock:
            return self.conn.execute(sql, args).fetchall()

    def side_rows(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> list[Any]:
        """:meth:`rows` on the second connection: for a lookup on another thread (the vector
        side's), which then never waits for the main connection's planning and ranking."""
        with self._side_lock:
            return self._side_conn.execute(sql, args).fetchall()

    def rank(self, plan: Plan, table: str) -> list[int]:
        """Rowids of ``table`` by bm25 of the words as typed, fused with the expanded query's."""
        return self.rank_scored(plan, table)[0]

    def rank_scored(self, plan: Plan, table: str) -> tuple[list[int], dict[int, float]]:
        """:meth:`rank`'s ranking, and each ranked row's :func:`relative_bm25`."""
        found = self._matches(plan, table)
        if len(found) == 1:
            return [r for r, _ in found[0]], relative_bm25(found)
        return rrf([[r for r, _ in ranked] for ranked in found]), relative_bm25(found)

    def _matches(self, plan: Plan, table: str) -> list[list[tuple[int, float]]]:
        """bm25 matches of the words as typed and (when it differs) of the expanded query."""
        if plan.fts == plan.fts_plain:
            return [self.match(plan.fts_plain, table)]
        if self._arrays is not None:  # cheap enough that a thread hand-off costs more
            return [self.match(e, table) for e in (plan.fts_plain, plan.fts)]
        expanded = self._pool().submit(self.match, plan.fts, table, side=True)
        plain = self.match(plan.fts_plain, table)
        return [plain, expanded.result()]

    def rank_docs(self, plan: Plan) -> tuple[list[int], tuple[Matches, Matches], dict[int, float]]:
        """Document rowids by docs_fts bm25, the best ``RERANK`` re-ranked by their best section.

        Returns the ranking, the top documents' sections as :meth:`in_sections` gives them, and
        each ranked document's :func:`relative_bm25` (what hybrid search fuses).
        """
        ranked, scores = self.rank_scored(plan, "docs_fts")
        plain, expanded = self.in_sections(plan, self.ranges(ranked[:RERANK]))
        by_section = sorted((d for d in plain if plain[d]), key=lambda d: (plain[d][0][1], d))
        return rrf([ranked, by_section]), (plain, expanded), scores

    def in_sections(self, plan: Plan, ranges: dict[int, tuple[int, int]]
                    ) -> tuple[Matches, Matches]:
        """The documents' sections by bm25 for the words as typed and for the expanded query.

        The expanded query costs most here (bm25 first counts every row holding each of its
        phrases, for each statement), so it runs on the side connection at the same time.
        """
        docs = list(ranges)
        spans = [ranges[d] for d in docs]
        if self._arrays is not None:
            found = [self._within(e, spans) for e in (plan.fts_plain, plan.fts)]
            return (dict(zip(docs, found[0], strict=True)),
                    {} if plan.fts == plan.fts_plain else dict(zip(docs, found[1], strict=True)))
        expanded = (self._pool().submit(self._within, plan.fts, spans, True)
                    if plan.fts != plan.fts_plain else None)
        plain = dict(zip(docs, self._within(plan.fts_plain, spans), strict=True))
        if expanded is None:
            return plain, {}
        return plain, dict(zip(docs, expanded.result(), strict=True))

    def ranges(self, docs: list[int]) -> dict[int, tuple[int, int]]:
        """Document rowid -> (first, last) section rowid, by document rowid."""
        spans = self._doc_spans()
        return {d: spans[d] for d in sorted(set(docs)) if d in spans}

    def docs_of(self, sections: list[int]) -> dict[int, int]:
        """Section rowid -> the rowid of its document (a document's sections are contiguous)."""
        spans = self._doc_spans()
        out = {}
        for rowid in sections:
            i = bisect_right(self._firsts, rowid) - 1
            if i >= 0 and rowid <= spans[self._docs_by_first[i]][1]:
                out[rowid] = self._docs_by_first[i]
        return out

    def _doc_spans(self) -> dict[int, tuple[int, int]]:
        with self.lock:
            if self._spans is None:
                rows = self.conn.execute(
                    "SELECT rowid, first, last FROM doc_sections ORDER BY first, rowid").fetchall()
                # A document without sections (first > last) shares its first with the next
                # one; bisect_right then lands on that next one, which holds the section.
                self._firsts = [r[1] for r in rows]
                self._docs_by_first = [r[0] for r in rows]
                self._spans = {r[0]: (r[1], r[2]) for r in rows}
            return self._spans

    def _within(self, expression: str, spans: list[tuple[int, int]],
                side: bool = False) -> list[list[tuple[int, float]]]:
        if self._arrays is not None:
            found = self._arrays.match_spans(expression, "sections_fts", spans, CANDIDATES)
            if found is not None:
                return found
        return [self.match(expression, "sections_fts", side=side, within=span) for span in spans]

    def match(self, expression: str, table: str, side: bool = False,
              within: tuple[int, int] | None = None,
              limit: int = CANDIDATES) -> list[tuple[int, float]]:
        """(rowid, bm25) of ``table``, best first (``within``: a rowid range, inclusive)."""
        if self._arrays is not None:
            found = self._arrays.match(expression, table, within, limit)
            if found is not None:
                return found
        conn, lock = (self._side_conn, self._side_lock) if side else (self.conn, self.lock)
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


def relative_bm25(found: list[list[tuple[int, float]]]) -> dict[int, float]:
    """Row -> its bm25 over the best row's, in the ranking where that is highest (1: a best row).

    bm25 (FTS5's sign: lower is better) is comparable within one query, not across queries;
    over the query's best match it is a 0-1 score that can be added to another side's.
    """
    out: dict[int, float] = {}
    for ranked in found:
        best = min((score for _, score in ranked), default=0.0)
        if best >= 0:
            continue
        for rowid, score in ranked:
            out[rowid] = max(out.get(rowid, 0.0), score / best)
    return out


def _reader(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)


def marks(values: list[Any]) -> str:
    """``?,?,...`` for an IN list of ``values``."""
    return ",".join("?" * len(values))
