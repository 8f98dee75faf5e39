"""A peak flow told against the person's best is graded by the asthma bands (BTS/SIGN 158,
NICE NG245); a bare reading, or a number that is not a peak flow, is left alone."""

from __future__ import annotations

import pytest

from appliance.triage import assess
from appliance.triage.peak_flow import BANDS, peak_flow_band
from appliance.triage.rules import RuleSet

KNOWN = {concept for concept, _ in BANDS}


@pytest.mark.parametrize(("text", "band"), [
    ("peak flow was 150 my best is 450", "peak-flow-33-50"),
    ("PEF 180 (best 400)", "peak-flow-33-50"),
    ("peak flow 120, usually 500", "peak-flow-under-33"),
    ("my best is 500 and my peak flow now is 300", "peak-flow-50-75"),
    ("peak flow 30% of predicted", "peak-flow-under-33"),
    ("PEFR 45 % of her best", "peak-flow-33-50"),
    ("peak flow 300 l/min, normal 350", None),  # 86%: no band
    ("peak flow 250", None),  # nothing to compare it with
    ("best friend says my peak flow", None),
    ("took 2 puffs, best 4 hours sleep", None),
])
def test_the_band_of_a_reading_against_the_best(text: str, band: str | None) -> None:
    assert peak_flow_band(text, KNOWN) == (frozenset({band}) if band else frozenset())


def test_a_pack_without_the_concepts_reads_nothing() -> None:
    assert peak_flow_band("peak flow 120, usually 500", set()) == frozenset()


@pytest.mark.parametrize(("text", "age", "level"), [
    ("asthma, peak flow 120, usually 500", 30, 1),
    ("wheezy tonight, PEF 180 (best 400)", 30, 2),
    ("asthma flare, peak flow 300 best 450, inhaler helping", 30, 3),
    ("wheezy, peak flow 100 and his best is 250", 10, 2),
])
def test_the_bands_set_the_level(ruleset: RuleSet, text: str, age: float, level: int) -> None:
    result = assess({"complaint": text, "age": age}, ruleset)
    assert result.level == level, [r.text for r in result.reasons]
