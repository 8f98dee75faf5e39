"""Search quality on a labelled query set, per search mode.

Two shapes of JSON Lines are read: ``{"query": "...", "expected": "<doc id>", "kind": "..."}``
(one right document: recall@1 and recall@5) and ``{"query": "...", "relevant": ["<doc id>",
...], "kind": "..."}`` (real questions, several documents may answer: hit@5 and MRR@10).
``kind`` is optional. Used by the search-quality tests and the ``bench`` search modules.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance.errors import ValidationError

if TYPE_CHECKING:
    from appliance.protocols.search import Mode, Searcher

MODES: tuple[Mode, ...] = ("fts", "vector", "hybrid")


def load_queries(path: Path) -> list[dict[str, Any]]:
    """Read and check a query set (each line: 'query', and 'expected' or 'relevant')."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        relevant = row.get("relevant")
        judged = isinstance(row.get("expected"), str) or (
            isinstance(relevant, list) and relevant and all(isinstance(d, str) for d in relevant))
        if not isinstance(row.get("query"), str) or not judged:
            raise ValidationError(f"{path.name} line {n}: needs a 'query' string and an "
                                  "'expected' document id or a non-empty 'relevant' list.")
        out.append(row)
    return out


def relevant_ids(query: dict[str, Any]) -> set[str]:
    """The documents judged to answer ``query``."""
    return set(query["relevant"]) if "relevant" in query else {query["expected"]}


def reciprocal_rank(ids: list[str], relevant: set[str]) -> float:
    """1 / rank of the first relevant document in ``ids`` (0 when none is)."""
    return next((1.0 / (i + 1) for i, d in enumerate(ids) if d in relevant), 0.0)


def ranking_quality(ranked: list[list[str]], queries: list[dict[str, Any]]) -> dict[str, Any]:
    """hit@5 and MRR@10 of ``ranked`` (each query's document ids, best first), and per kind."""
    kinds: dict[str, list[float]] = {}
    hits = rr = 0.0
    for ids, q in zip(ranked, queries, strict=True):
        relevant = relevant_ids(q)
        hit, r = float(bool(relevant & set(ids[:5]))), reciprocal_rank(ids[:10], relevant)
        hits += hit
        rr += r
        k = kinds.setdefault(q.get("kind", "all"), [0.0, 0.0, 0.0])
        k[0] += hit
        k[1] += r
        k[2] += 1
    n = max(1, len(queries))
    return {"n": len(queries), "hit@5": round(hits / n, 4), "mrr@10": round(rr / n, 4),
            "by_kind": {name: {"hit@5": round(a / c, 4), "mrr@10": round(b / c, 4), "n": int(c)}
                        for name, (a, b, c) in sorted(kinds.items())}}


def hit_and_mrr(searcher: Searcher, queries: list[dict[str, Any]], mode: Mode) -> dict[str, Any]:
    """hit@5 and MRR@10 (document level) of one search mode, overall and per kind."""
    ranked = [[h.doc_id for h in searcher.search(q["query"], k=10, mode=mode)] for q in queries]
    return ranking_quality(ranked, queries)


def recall(searcher: Searcher, queries: list[dict[str, Any]], mode: Mode) -> dict[str, Any]:
    """recall@1, recall@5 (document level), overall and per kind, plus the misses at 5."""
    at1 = at5 = 0
    kinds: dict[str, list[int]] = {}
    misses = []
    for q in queries:
        ids = [h.doc_id for h in searcher.search(q["query"], k=5, mode=mode)]
        one, five = ids[:1] == [q["expected"]], q["expected"] in ids
        at1 += one
        at5 += five
        k = kinds.setdefault(q.get("kind", "all"), [0, 0, 0])
        k[0] += one
        k[1] += five
        k[2] += 1
        if not five:
            misses.append({"query": q["query"], "expected": q["expected"], "got": ids[:3]})
    n = max(1, len(queries))
    return {"n": len(queries), "recall@1": round(at1 / n, 4), "recall@5": round(at5 / n, 4),
            "by_kind": {name: {"recall@1": round(a / c, 4), "recall@5": round(b / c, 4), "n": c}
                        for name, (a, b, c) in sorted(kinds.items())},
            "misses": misses}
