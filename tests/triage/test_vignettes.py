"""Vignettes written the way case histories and referral letters are (tests/triage/vignettes.jsonl):
the whole text goes in as the complaint, with the values written inside it, and no model.

They were written, with their expected category, before the engine was run on them. The first
run recognised 9 of 12 emergencies and 8 of 10 self-care presentations; the causes it showed
(chest pain described by place, a counted overdose, a late period, a graze after a trip kept out
of self-care by an adult-fall rule, and others in docs/triage-evaluation.md) were fixed in
the lexicon and rules, so the set is no longer held out. What it holds now is a floor.
"""

from __future__ import annotations

import json
from pathlib import Path

from appliance.triage import assess
from appliance.triage.rules import RuleSet

VIGNETTES = [json.loads(line) for line in
             (Path(__file__).parent / "vignettes.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
# what each expected category is on the five-level scale
WANTED = {"emergency": (1, 2), "urgent": (3,), "routine": (4,), "self-care": (5,)}


def _levels(ruleset: RuleSet) -> list[tuple[dict[str, object], int]]:
    return [(v, assess({"age": v["age"], "sex": v["sex"], "complaint": v["text"]},
                       ruleset).level) for v in VIGNETTES]


def test_every_emergency_is_recognised_and_every_self_care_case_gets_advice(
        ruleset: RuleSet) -> None:
    levels = _levels(ruleset)
    assert len(levels) == 30
    missed = [v["id"] for v, level in levels
              if v["expected"] in ("emergency", "self-care")
              and level not in WANTED[str(v["expected"])]]
    assert missed == []


def test_no_vignette_is_two_levels_too_low_and_most_are_right(ruleset: RuleSet) -> None:
    levels = _levels(ruleset)
    right = sum(level in WANTED[str(v["expected"])] for v, level in levels)
    far_under = [v["id"] for v, level in levels if level - max(WANTED[str(v["expected"])]) >= 2]
    assert far_under == []
    assert right >= 26  # of 30; the misses are urgent ones (docs/triage-evaluation.md)
