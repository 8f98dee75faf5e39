"""The screen benchmark still drives the real screens (it leans on Textual internals).

Structure only: every measurement present and the spare record used; no timing asserted
(times belong to ``python -m bench encounters``, beside their baselines).
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.processes import REPO


def test_encounters_benchmark_runs_its_quick_mode(lifeboat_home: object) -> None:
    run = subprocess.run([sys.executable, "-m", "bench", "encounters", "--quick"], cwd=REPO,
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout)["encounters"]
    for name in ("open_record", "new_record", "open_record_without_spare", "screen_switch",
                 "save_observation", "board_500", "board_resort", "baseline_keystroke"):
        assert out[name]["n"] >= 3 and out[name]["p50_ms"] > 0, name
    assert out["open_encounters"] == 100
    assert out["spares_composed"] >= 3  # Enter on the board took a composed spare
    assert set(out["meets_targets"]) == set(out["targets_ms"])
