"""Search time at 20,000 documents / 100,000 sections, this code beside git ``main``'s (issue 18).

``python -m bench search_cpu``: the generated pack of ``bench protocols large`` (text recombined
from the sample pack, random unit vectors: latency only), built once and cached under
``LIFEBOAT_BENCH_WORK`` (default: the system temp folder), searched by this code's ``Searcher``
and by git ``main``'s (``bench/search_baseline.py``; ``LIFEBOAT_BENCH_BASELINE_REF`` to change)
on the same index, **alternating query by query** (which code goes first flips every pass), so
both see the same load. Sets: every 4th query of the sample pack's query set, and the 20
questions of 60+ words that ``bench protocols`` joins from real ones.

Reports per code, mode and set: process CPU time (every thread of the process: on a shared
machine the figure least moved by other work) and wall time, ms p50 / p95, and the load average
before and after, and the cores other processes kept busy during the timed searches (from
``/proc/stat``: a quiet machine shows ~0; wall time is the issue's measure, and means little
when other work holds the cores), and ``wall_quiet``: wall time over only the queries during
whose searches (all modes, both codes) other processes kept under a quarter of a core busy.
``--quick``: 2,000 documents, 2 passes.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import machine_busy_s, summarise_ms

MODES = ("fts", "vector", "hybrid")
QUIET_CORES = 0.25  # other work below this counts as a quiet machine for "wall_quiet"


def run(quick: bool) -> dict[str, Any]:
    docs, passes = (2000, 2) if quick else (20000, 5)
    work = Path(os.environ.get("LIFEBOAT_BENCH_WORK")
                or Path(tempfile.gettempdir()) / "lifeboat-bench-search-cpu")
    os.environ.setdefault("LIFEBOAT_HOME", str(work / "home"))
    pack, build = generated_index(work, docs)
    from appliance.protocols.search import Searcher
    from bench.protocols import _long_questions, _queries
    from bench.search_baseline import baseline_searcher

    codes: dict[str, Any] = {"this": Searcher(pack), "main": baseline_searcher(pack)}
    if codes["main"] is None:
        del codes["main"]
    sets = {"query_set": _queries()[::4], "60plus_words": _long_questions()}
    load_before = [round(x, 2) for x in os.getloadavg()]
    for searcher in codes.values():
        searcher.warm()
        for mode in MODES:  # first calls load lazily (stemmer cache, collection, code paths)
            searcher.search(sets["query_set"][0], mode=mode)
    cpu: dict[tuple[str, str, str], list[float]] = {}
    wall: dict[tuple[str, str, str], list[float]] = {}
    quiet: dict[tuple[str, str, str], list[float]] = {}
    busy, own, started = machine_busy_s(), time.process_time(), time.perf_counter()
    for p in range(passes):
        order = list(codes) if p % 2 == 0 else list(reversed(codes))
        for set_name, queries in sets.items():
            for query in queries:
                group: list[tuple[tuple[str, str, str], float]] = []
                group_busy, group_own = machine_busy_s(), time.process_time()
                group_start = time.perf_counter()
                for mode in MODES:
                    for code in order:
                        c, w = time.process_time(), time.perf_counter()
                        codes[code].search(query, k=10, mode=mode)
                        cpu.setdefault((code, mode, set_name), []).append(time.process_time() - c)
                        group.append(((code, mode, set_name), time.perf_counter() - w))
                        wall.setdefault((code, mode, set_name), []).append(group[-1][1])
                if _quiet(group_busy, group_own, group_start):
                    for key, seconds in group:
                        quiet.setdefault(key, []).append(seconds)
    elapsed, own = time.perf_counter() - started, time.process_time() - own
    busy_after = machine_busy_s()
    others = None if busy is None or busy_after is None else round(
        (busy_after - busy - own) / elapsed, 2)
    out: dict[str, Any] = {"documents": docs, "index": str(pack), **build,
                           "passes": passes, "other_processes_cores": others,
                           "load_average_before": load_before,
                           "load_average_after": [round(x, 2) for x in os.getloadavg()],
                           "cpu_count": os.cpu_count()}
    for (code, mode, set_name), samples in cpu.items():
        out.setdefault(code, {}).setdefault(set_name, {})[mode] = {
            "cpu": summarise_ms(samples), "wall": summarise_ms(wall[(code, mode, set_name)]),
            "wall_quiet": summarise_ms(quiet[key]) if (key := (code, mode, set_name)) in quiet
            else {"n": 0}}
    for searcher in codes.values():
        searcher.close()
    return out


def _quiet(busy: float | None, own: float, start: float) -> bool:
    """Whether other processes kept under ``QUIET_CORES`` cores busy since ``busy`` (the
    machine's, ``own``: this process's CPU seconds, at ``start``): one query's searches in all
    modes and codes take ~0.1-0.2 s, a dozen or more clock ticks per core."""
    after = machine_busy_s()
    if busy is None or after is None:
        return False
    elapsed = time.perf_counter() - start
    return (after - busy - (time.process_time() - own)) / elapsed < QUIET_CORES


def generated_index(work: Path, docs: int) -> tuple[Path, dict[str, Any]]:
    """The generated pack's search index and vectors, built once per size under ``work``."""
    import shutil

    from bench.protocols import _generate_source, build_generated

    pack = work / f"generated-{docs}"
    info = pack / "built.json"
    if info.exists():
        return pack, {"built": "reused", **json.loads(info.read_text())}
    shutil.rmtree(work / f"source-{docs}", ignore_errors=True)
    src = _generate_source(work / f"source-{docs}", docs)
    staging = work / f"generated-{docs}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    sections, fts_s, vectors_s = build_generated(src, staging)
    counts = {"sections": sections, "search_db_s": round(fts_s, 1),
              "vectors_s": round(vectors_s, 1)}
    (staging / "built.json").write_text(json.dumps(counts))
    shutil.rmtree(pack, ignore_errors=True)
    staging.replace(pack)
    shutil.rmtree(src, ignore_errors=True)
    return pack, {"built": "now", **counts}
