"""Triage without the LLM: one assessment's cost over a batch of cases (target ≤ 2 ms each),
beside the cost of ``json.loads`` of the same cases measured in the same run."""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path
from typing import Any

from bench.common import summarise_ms

CASES = Path(__file__).resolve().parent.parent / "tests" / "triage" / "cases.jsonl"
TARGET_MS = 2.0


def _corpus(n: int) -> list[str]:
    rnd = random.Random(4)
    base = [json.dumps(json.loads(line)["input"]) for line in
            CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [base[rnd.randrange(len(base))] for _ in range(n)]


def _timed(fn: Any, items: list[Any]) -> list[float]:
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - t)
    return out


def run(quick: bool) -> dict[str, object]:
    from appliance.protocols.pack_rules import load_pack_rules, sample_pack_dir
    from appliance.triage import assess, parse_input

    n = 1_000 if quick else 10_000
    started = time.perf_counter()
    ruleset = load_pack_rules(sample_pack_dir())
    load_s = time.perf_counter() - started
    texts = _corpus(n)
    cases = [json.loads(t) for t in texts]
    for case in cases[:50]:  # warm caches the same way for both measurements
        assess(case, ruleset)
    baseline = summarise_ms(_timed(json.loads, texts))
    parse = summarise_ms(_timed(parse_input, cases))
    cpu_started = time.thread_time()
    full = _timed(lambda c: assess(c, ruleset).to_json(), cases)
    cpu_mean_ms = round((time.thread_time() - cpu_started) / n * 1000, 4)
    summary = summarise_ms(full)
    mean_ms = round(sum(full) / len(full) * 1000, 4)
    return {
        "cases": n,
        "ruleset_load_ms": round(load_s * 1000, 2),
        "assess": {**summary, "mean_ms": mean_ms, "cpu_mean_ms": cpu_mean_ms},
        # wall-clock tails on a shared 2-core machine include preemption; CPU time does not
        "load_average_1m": round(os.getloadavg()[0], 2),
        "baseline_json_loads": baseline,
        "parse_input_only": parse,
        "target_ms": TARGET_MS,
        "meets_target_mean": mean_ms <= TARGET_MS,
        "meets_target_p95": summary["p95_ms"] <= TARGET_MS,
        "ratio_p95_to_baseline": round(summary["p95_ms"] / max(baseline["p95_ms"], 1e-6), 1),
    }
