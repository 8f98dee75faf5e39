"""Search quality on a labelled query set: recall@1 and recall@5 per search mode.

The query set is JSON Lines: ``{"query": "...", "expected": "<doc id>", "kind": "..."}``
(``kind`` optional). Used by ``tests/protocols/test_search_quality.py`` and ``bench/protocols.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance.errors import ValidationError

if TYPE_CHECKING:
    from appliance.protocols.search import Mode, Searcher

MODES: tuple[Mode, ...] = ("fts", "vector", "hybrid")


def load_queries(path: Path) -> list[dict[str, str]]:
    """Read and check the query set (each line needs 'query' and 'expected')."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not isinstance(row.get("query"), str) or not isinstance(row.get("expected"), str):
            raise ValidationError(f"{path.name} line {n}: needs 'query' and 'expected' strings.")
        out.append(row)
    return out


def recall(searcher: Searcher, queries: list[dict[str, str]], mode: Mode) -> dict[str, Any]:
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
