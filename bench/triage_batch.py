"""``lifeboat triage --no-llm --batch`` throughput (target ≥ 1,000 cases/s on one core), beside
the engine at ``BASELINE_REF`` (before the complaint taxonomy and first-order modifiers) run the
same way in the same run.

Each engine runs in its own process on the KTAS development rows (repeated to ``n`` cases): the
current tree from this checkout, the baseline from ``git archive`` of the reference. Without git
(an installed copy), the baseline is reported as unavailable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASELINE_REF = "51ff39e"
TARGET_PER_S = 1_000
# Runs inside each engine's process: time the batch command's own loop, output discarded.
_WORKER = """
import io, json, sys, time
try:  # this tree
    from appliance.protocols.pack_rules import load_pack_rules, sample_pack_dir
except ImportError:  # the baseline tree, where the triage rules module read the pack itself
    from appliance.triage.rules import load_ruleset as load_pack_rules, sample_pack_dir
from tui.cli.triage import _batch
text = open(sys.argv[1], encoding="utf-8").read()
ruleset = load_pack_rules(sample_pack_dir())
_batch(text.split("\\n", 50)[-1], ruleset, False, "json", io.StringIO())  # warm up
cpu, wall = time.process_time(), time.perf_counter()
_batch(text, ruleset, False, "json", io.StringIO())
print(json.dumps({"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall}))
"""


def _cases(n: int) -> str:
    from tests.triage.ktas import load

    visits = [v.case for v in load()]
    return "\n".join(json.dumps(visits[i % len(visits)]) for i in range(n)) + "\n"


def _baseline_tree(into: Path) -> Path | None:
    try:
        blob = subprocess.run(["git", "-C", str(ROOT), "archive", BASELINE_REF, "appliance",
                               "tui", "models", "sync"], capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(into, filter="data")
    return into


def _measure(tree: Path, cases_file: Path, n: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree), "OMP_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", _WORKER, str(cases_file)], env=env, cwd=tree,
                         capture_output=True, text=True, check=True).stdout
    timing = json.loads(out.strip().splitlines()[-1])
    return {"cases": n, "cpu_s": round(timing["cpu_s"], 3),
            "cases_per_s_cpu": round(n / max(timing["cpu_s"], 1e-9)),
            "cases_per_s_wall": round(n / max(timing["wall_s"], 1e-9))}


def run(quick: bool) -> dict[str, object]:
    n = 2_000 if quick else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        cases_file = Path(tmp) / "cases.jsonl"
        cases_file.write_text(_cases(n), encoding="utf-8")
        current = _measure(ROOT, cases_file, n)
        base_tree = _baseline_tree(Path(tmp) / "baseline")
        baseline = (_measure(base_tree, cases_file, n) if base_tree is not None
                    else {"unavailable": "not a git checkout"})
    return {"current": current, "baseline": {"ref": BASELINE_REF, **baseline},
            "target_cases_per_s": TARGET_PER_S,
            "meets_target": current["cases_per_s_cpu"] >= TARGET_PER_S,
            "load_average_1m": round(os.getloadavg()[0], 2)}
