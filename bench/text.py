"""The deterministic text readers (``appliance.text.patterns.find_all``) on short complaints.

Target: at least 5,000 complaints per second on one core (this process is single-threaded).
Beside it, from the same run and the same texts: the triage lexicon's concept matcher (the other
deterministic pass over a complaint) and one precompiled regular expression over each text, a
floor for any regex reader.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import summarise_ms

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "tests" / "triage" / "cases.jsonl", ROOT / "tests" / "data" /
           "extraction_context.jsonl", ROOT / "tests" / "data" / "extraction_notes.jsonl")
TARGET_PER_S = 5_000
_FLOOR = re.compile(r"\b(\d{1,3})\s*(?:/|%|bpm)", re.IGNORECASE)


def _texts() -> list[str]:
    out: list[str] = []
    for path in SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.append(row["input"]["complaint"] if "input" in row else row["text"])
    return out


def _rate(fn: Callable[[str], Any], texts: list[str]) -> dict[str, Any]:
    per_call = []
    cpu = time.thread_time()
    for text in texts:
        t = time.perf_counter()
        fn(text)
        per_call.append(time.perf_counter() - t)
    cpu_s = time.thread_time() - cpu
    return {**summarise_ms(per_call), "per_s_cpu": round(len(texts) / max(cpu_s, 1e-9)),
            "per_s_wall": round(len(texts) / max(sum(per_call), 1e-9))}


def run(quick: bool) -> dict[str, Any]:
    from appliance.protocols.pack_rules import load_pack_rules, sample_pack_dir
    from appliance.text.patterns import find_all
    from appliance.triage.lexicon import find_concepts

    lexicon = load_pack_rules(sample_pack_dir()).lexicon
    base = _texts()
    n = 2_000 if quick else 20_000
    rnd = random.Random(13)
    texts = [base[rnd.randrange(len(base))] for _ in range(n)]
    for text in texts[:200]:  # warm both the same way
        find_all(text)
        find_concepts(text, lexicon)
    readers = _rate(find_all, texts)
    lexicon_rate = _rate(lambda t: find_concepts(t, lexicon), texts)
    floor = _rate(_FLOOR.findall, texts)
    return {
        "complaints": n,
        "distinct_texts": len(set(texts)),
        "mean_words": round(sum(len(t.split()) for t in texts) / n, 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "find_all": readers,
        "baseline_lexicon_find_concepts": lexicon_rate,
        "floor_one_regex": floor,
        "target_per_s": TARGET_PER_S,
        "meets_target": readers["per_s_cpu"] >= TARGET_PER_S,
        "ratio_to_lexicon": round(readers["per_s_cpu"] / max(lexicon_rate["per_s_cpu"], 1), 2),
    }
