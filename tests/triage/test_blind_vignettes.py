"""The blind vignettes (``tests/data/triage_vignettes_blind.jsonl``): 60 case histories written
by a helper session without reading or running the engine, expected categories set first.

First run (2026-12-06): 33 of 60 — emergency 18/20, urgent 3/15, routine 7/10, self-care 5/15;
after the first round of fixes 50, after the second (session 7) 57.
The causes it showed were fixed for every text of their kind (docs/triage-evaluation.md); this
test holds the level reached, and every emergency recognised.
"""

from __future__ import annotations

import json
from pathlib import Path

from appliance.triage import assess
from appliance.triage.rules import RuleSet

DATA = Path(__file__).resolve().parents[1] / "data" / "triage_vignettes_blind.jsonl"
WANTED = {"emergency": (1, 2), "urgent": (3,), "routine": (4,), "self-care": (5,)}


def _results(ruleset: RuleSet) -> list[tuple[dict[str, object], int]]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    return [(v, assess({"complaint": v["text"], "age": v["age"], "sex": v["sex"]},
                       ruleset).level) for v in rows]


def test_every_blind_emergency_is_recognised(ruleset: RuleSet) -> None:
    results = _results(ruleset)
    assert len(results) == 60
    missed = [v["id"] for v, level in results if v["expected"] == "emergency" and level > 2]
    assert not missed


def test_the_blind_set_keeps_the_level_reached(ruleset: RuleSet) -> None:
    results = _results(ruleset)
    right = sum(level in WANTED[str(v["expected"])] for v, level in results)
    # no self-care or routine answer for an urgent case, two levels or more too low
    far_under = [v["id"] for v, level in results if level - max(WANTED[str(v["expected"])]) >= 2]
    assert right >= 57, right
    assert not far_under
