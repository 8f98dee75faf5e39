"""Search quality, gated on a held-out query set.

The fusion, rerank depth and bm25 column weights were chosen on the tuning set
(``tests/data/protocol_queries.jsonl``; the fusion also on the real questions' tuning half), so
its scores are optimistic. The gate is the held-out
set (``tests/data/protocol_queries_heldout.jsonl``), written separately and never used to choose
anything: hybrid must find the right protocol in the top 5 for at least 90% of its queries and
beat FTS-only and vector-only. The tuning set's scores are reported beside it (in failure
messages and as test properties) but do not gate. ``python -m bench protocols`` prints the
tuning set's numbers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from appliance.protocols.evaluation import MODES, load_queries, recall
from appliance.protocols.search import Searcher
from models.embedder import embedder_available
from tests.availability import unavailable

DATA = Path(__file__).resolve().parents[1] / "data"
REPO = Path(__file__).resolve().parents[2]
TUNING = DATA / "protocol_queries.jsonl"
HELD_OUT = DATA / "protocol_queries_heldout.jsonl"


@pytest.fixture(autouse=True, scope="module")
def _embedder_installed() -> None:
    if not embedder_available():
        unavailable("embedding model package not installed (make install-test installs it)")


@pytest.fixture(scope="module")
def searcher(installed_sample_pack: Any) -> Searcher:
    pack = installed_sample_pack
    return Searcher(pack.directory, vectors_ready=pack.vectors == "ready")


@pytest.fixture(scope="module")
def held_out(searcher: Searcher) -> dict[str, Any]:
    queries = load_queries(HELD_OUT)
    assert len(queries) >= 60
    return {mode: recall(searcher, queries, mode) for mode in MODES}


@pytest.fixture(scope="module")
def tuning(searcher: Searcher) -> dict[str, Any]:
    return {mode: recall(searcher, load_queries(TUNING), mode) for mode in MODES}


def _table(results: dict[str, Any]) -> str:
    return "; ".join(f"{m}: r@1 {r['recall@1']}, r@5 {r['recall@5']}" for m, r in results.items())


def _report(held_out: dict[str, Any], tuning: dict[str, Any]) -> str:
    return f"held-out: {_table(held_out)} | tuning (not gating): {_table(tuning)}"


def test_the_held_out_set_shares_no_query_with_the_tuning_set() -> None:
    tuned = {q["query"].strip().lower() for q in load_queries(TUNING)}
    shared = [q["query"] for q in load_queries(HELD_OUT) if q["query"].strip().lower() in tuned]
    assert shared == []


def test_hybrid_recall_at_5_is_at_least_90_percent_on_held_out_queries(
        held_out: dict[str, Any], tuning: dict[str, Any],
        record_property: Any) -> None:
    record_property("search_quality", _report(held_out, tuning))
    assert held_out["hybrid"]["recall@5"] >= 0.9, (_report(held_out, tuning),
                                                    held_out["hybrid"]["misses"])


def test_hybrid_beats_lexical_and_semantic_alone_on_held_out_queries(
        held_out: dict[str, Any], tuning: dict[str, Any]) -> None:
    hybrid = held_out["hybrid"]
    for other in ("fts", "vector"):
        assert hybrid["recall@1"] >= held_out[other]["recall@1"], _report(held_out, tuning)
        assert hybrid["recall@5"] >= held_out[other]["recall@5"], _report(held_out, tuning)
    assert (hybrid["recall@1"] + hybrid["recall@5"]
            > max(r["recall@1"] + r["recall@5"] for m, r in held_out.items() if m != "hybrid")), \
        _report(held_out, tuning)


def test_a_hit_opens_at_the_section_that_answers(searcher: Searcher,
                                                 installed_sample_pack: Any) -> None:
    # Words alone and meaning alone disagree on the section here; merged ranks once showed
    # "After the seizure" (second on both sides), the scores show where "Do not restrain" is.
    query = "should i hold someone down during a seizure"
    hit = next(h for h in searcher.search(query, k=3) if h.doc_id == "seizures")
    assert hit.heading_path[-1].startswith("Immediate actions")
    home = Path(installed_sample_pack.directory).parent.parent
    env = {**os.environ, "LIFEBOAT_HOME": str(home), "PYTHONPATH": str(REPO)}
    shown = subprocess.run([sys.executable, "-m", "tui.cli", "protocols", "search", query,
                            "--mode", "hybrid", "--json"], env=env, capture_output=True,
                           text=True, timeout=300, cwd=REPO, check=True)
    first = json.loads(shown.stdout)[0]
    assert first["doc_id"] == "seizures"
    assert first["heading_path"][-1].startswith("Immediate actions")
    assert first["line"] == "Do not restrain."


def test_the_issue_example_lands_on_the_dose_line(installed_sample_pack: Any) -> None:
    # issue 14: "anaphylaxis adrenaline dose" opened at Handover, then (section fusion) at Red
    # flags; landing leans less on the search's own section (landing.LAND_WEIGHTS)
    home = Path(installed_sample_pack.directory).parent.parent
    env = {**os.environ, "LIFEBOAT_HOME": str(home), "PYTHONPATH": str(REPO)}
    shown = subprocess.run([sys.executable, "-m", "tui.cli", "protocols", "search",
                            "anaphylaxis adrenaline dose", "--mode", "hybrid", "--json"],
                           env=env, capture_output=True, text=True, timeout=300, cwd=REPO,
                           check=True)
    first = json.loads(shown.stdout)[0]
    assert first["doc_id"] == "anaphylaxis"
    assert first["heading_path"][-1].startswith("Immediate actions")
    assert "500 micrograms (0.5 ml)" in first["line"]
