"""Query and section embedding: this code beside git ``main``'s embedder in the same run.

``python -m bench embedder`` loads the current ``models/embedder.py`` and the one of a git ref
(``LIFEBOAT_BENCH_BASELINE_REF``, default ``main``, imported from a copy read with ``git show``,
as ``bench/search_baseline.py`` does for search) and reports, for each:

- query embedding, process CPU and wall ms p50 / p95, alternating the two embedders query by
  query: short questions (5-12 words, the query set's), long ones (60+ words, as
  ``bench protocols`` joins them) cut as search cuts them (``vector.QUERY_TOKENS`` pieces, the
  last ``QUERY_TAIL_TOKENS`` kept), and the same long ones at the full 128 pieces;
- batch embedding of sample-pack sections (batches of 32) with one BLAS thread, as the pack
  build's worker processes run it: sections per CPU second;
- the smallest cosine between the two embedders' vectors over the texts above: in batches
  (packs ship vectors made by older code, so this must stay at 1 up to float32 rounding) and
  one at a time (a long text takes the 8-bit path: ~0.99).
"""

from __future__ import annotations

import importlib.util
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from appliance.protocols.vector import QUERY_TAIL_TOKENS, QUERY_TOKENS
from bench.common import summarise_ms

REPO = Path(__file__).resolve().parent.parent
SECTIONS = 128


def baseline_embedder_class() -> Any | None:
    """The ``Embedder`` class of git ``main`` (or the ref named), or None if it cannot be read."""
    ref = os.environ.get("LIFEBOAT_BENCH_BASELINE_REF", "main")
    try:
        source = subprocess.run(["git", "-C", str(REPO), "show", f"{ref}:models/embedder.py"],
                                check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    spec = importlib.util.spec_from_loader("bench_baseline_embedder", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    exec(compile(source, f"{ref}:models/embedder.py", "exec"), module.__dict__)
    return module.Embedder


def _short_questions() -> list[str]:
    from bench.protocols import _queries

    return [q for q in _queries() if 5 <= len(q.split()) <= 12][:10]


def _sections(n: int) -> list[str]:
    from appliance.protocols.documents import parse_document
    from appliance.protocols.index import chunk_pack, embed_text

    paths = sorted((REPO / "appliance" / "protocols" / "sample_pack" / "docs").glob("*.md"))
    docs = [parse_document(f"docs/{p.name}", p.read_bytes()) for p in paths]
    texts = [embed_text(d, s) for d, s in chunk_pack(docs)]  # what a pack build embeds
    return random.Random(0).sample(texts, min(n, len(texts)))


def _queries_timed(embedders: dict[str, Any], texts: list[str], passes: int,
                   **cut: int) -> dict[str, Any]:
    cpu: dict[str, list[float]] = {k: [] for k in embedders}
    wall: dict[str, list[float]] = {k: [] for k in embedders}
    names = list(embedders)
    for p in range(passes):
        for text in texts:
            for name in (names if p % 2 == 0 else names[::-1]):
                w, c = time.perf_counter(), time.process_time()
                embedders[name].embed_one(text, **cut)
                cpu[name].append(time.process_time() - c)
                wall[name].append(time.perf_counter() - w)
    return {name: {"cpu": summarise_ms(cpu[name]), "wall": summarise_ms(wall[name])}
            for name in names}


def _batch_timed(embedders: dict[str, Any], texts: list[str], passes: int) -> dict[str, Any]:
    from threadpoolctl import threadpool_limits

    best: dict[str, float] = {}
    with threadpool_limits(1, user_api="blas"):
        for p in range(passes):
            for name in (list(embedders) if p % 2 == 0 else list(embedders)[::-1]):
                c = time.process_time()
                embedders[name].embed(texts, batch_size=32)
                best[name] = min(best.get(name, float("inf")), time.process_time() - c)
    return {name: {"sections_per_cpu_s": round(len(texts) / s, 1)} for name, s in best.items()}


def run(quick: bool) -> dict[str, Any]:
    import numpy as np

    from bench.protocols import _long_questions
    from models.embedder import Embedder

    embedders: dict[str, Any] = {"current": Embedder.load()}
    baseline = baseline_embedder_class()
    if baseline is not None:
        embedders["baseline_main"] = baseline.load()
    short, long_ = _short_questions(), _long_questions()[:10]
    sections = _sections(32 if quick else SECTIONS)
    passes = 3 if quick else 20
    for e in embedders.values():  # warm up
        e.embed_one(short[0])
    out: dict[str, Any] = {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "short_5_12_words": _queries_timed(embedders, short, passes),
        "long_60plus_words_cut_as_search": _queries_timed(
            embedders, long_, passes, max_tokens=QUERY_TOKENS, keep_last=QUERY_TAIL_TOKENS),
        "long_60plus_words_128": _queries_timed(embedders, long_, passes),
        "batch_sections_1_thread": _batch_timed(embedders, sections, 2 if quick else 4),
    }
    if baseline is not None:
        texts = short + long_ + sections
        a, b = (e.embed(texts) for e in embedders.values())
        singles = np.array([embedders["current"].embed_one(t) for t in texts])
        out["min_cosine_current_vs_baseline"] = {
            "batch": round(float(np.min(np.sum(a * b, axis=1))), 7),
            "one_at_a_time": round(float(np.min(np.sum(singles * b, axis=1))), 7),
            "texts": len(texts)}
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return out
