"""Search quality on real consumer questions, gated on held-out questions.

The pack is 240 MedQuAD documents (``tests/data/medquad_subset``, credited in its CREDITS.md),
built, signed and installed as a Trust's IT would, with the real embedder. The questions are
those of ``tests/data/medquad_questions*.jsonl`` whose judged answers are all in the subset. The
fusion was chosen on tuning questions only (the tuning file, on this subset and on the whole
corpus, with the sample pack's tuning set); the held-out file gates: hybrid search must rank at
least as well as the better of lexical and semantic search alone, on hit@5 and on MRR@10.
``python -m bench search_scale`` reports the same on the whole corpus.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from appliance.protocols.evaluation import MODES, hit_and_mrr, load_queries
from appliance.protocols.search import Searcher
from models.embedder import embedder_available
from tests.availability import unavailable

DATA = Path(__file__).resolve().parents[1] / "data"
SUBSET = DATA / "medquad_subset"
TUNE = DATA / "medquad_questions.jsonl"
HELD_OUT = DATA / "medquad_questions_heldout.jsonl"


@pytest.fixture(autouse=True, scope="module")
def _embedder_installed() -> None:
    if not embedder_available():
        unavailable("embedding model package not installed (make install-test installs it)")


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    from appliance.paths import Layout
    from appliance.protocols.build import build_pack
    from appliance.protocols.lifecycle import install
    from appliance.protocols.trust import generate_keypair, trust_key

    root = tmp_path_factory.mktemp("medquad")
    src = root / "src"
    (src / "docs").mkdir(parents=True)
    for name in ("pack.toml", "CREDITS.md"):
        (src / name).write_bytes((SUBSET / name).read_bytes())
    for line in (SUBSET / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        (src / "docs" / doc["file"]).write_text(doc["text"], encoding="utf-8")
    key = root / "publisher.pem"
    generate_keypair(key)
    build_pack(src, key)
    lay = Layout(root / "home")
    lay.ensure()
    trust_key(lay, key.with_suffix(".pub"))
    pack = install(lay, src)
    assert pack.vectors == "ready"
    return Searcher(pack.directory, vectors_ready=True)


def _in_subset(path: Path) -> list[dict[str, Any]]:
    present = {json.loads(line)["file"].removesuffix(".md")
               for line in (SUBSET / "docs.jsonl").read_text(encoding="utf-8").splitlines()}
    return [q for q in load_queries(path) if set(q["relevant"]) <= present]


def _quality(searcher: Searcher, path: Path) -> dict[str, Any]:
    queries = _in_subset(path)
    return {mode: hit_and_mrr(searcher, queries, mode) for mode in MODES}


def _table(results: dict[str, Any]) -> str:
    return "; ".join(f"{m}: hit@5 {r['hit@5']}, MRR@10 {r['mrr@10']}" for m, r in results.items())


def test_the_split_is_fixed_and_disjoint() -> None:
    tune = {q["query"].strip().lower() for q in load_queries(TUNE)}
    held = [q["query"] for q in load_queries(HELD_OUT)]
    assert len(tune) >= 100 and len(held) >= 100
    assert [q for q in held if q.strip().lower() in tune] == []


def test_the_subset_keeps_enough_held_out_questions() -> None:
    assert len(_in_subset(HELD_OUT)) >= 30
    assert len(_in_subset(TUNE)) >= 30


def test_hybrid_is_never_worse_than_its_best_part_on_held_out_questions(
        searcher: Searcher, record_property: Any) -> None:
    held = _quality(searcher, HELD_OUT)
    report = f"held-out: {_table(held)} | tuning (not gating): {_table(_quality(searcher, TUNE))}"
    record_property("search_quality_real_questions", report)
    for metric in ("hit@5", "mrr@10"):
        best = max(held["fts"][metric], held["vector"][metric])
        assert held["hybrid"][metric] >= best, report
