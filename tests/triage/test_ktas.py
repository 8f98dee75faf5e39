"""Real emergency-department visits (Moon et al., PLOS ONE 2019, CC BY 4.0): the deterministic
engine, with no model, against the expert panel's KTAS level.

The issue's targets: under-triage ≤ 8 % (the nurses on the same rows: 9.5 %), no severe
under-triage (expert 1–2 given 4–5), exact ≥ 70 %, quadratic-weighted kappa ≥ 0.80, over-triage
≤ 15 %. They are not all met yet; one test says so (strict xfail, so it fails once they are) and
another holds the floor reached. The check half (odd row ids) was never looked at row by row
while tuning.
"""

from __future__ import annotations

import pytest

from appliance.triage.rules import RuleSet
from tests.triage.ktas import Scores, evaluate, load, qwk


def _scores(split: str, ruleset: RuleSet) -> Scores:
    engine, nurse, _ = evaluate(load(split=split), ruleset)
    print(f"\n{split}: engine {engine.to_json()}\n{split}: nurses {nurse.to_json()}")
    return engine


def test_the_rows_are_all_read() -> None:
    visits = load()
    assert len(visits) == 507
    assert len(load(split="tune")) + len(load(split="check")) == 507
    # vital signs and pain come through the source's decimal commas and '??' cells
    assert sum("vitals" in v.case for v in visits) > 480
    assert sum("pain_score" in v.case for v in visits) > 200


def test_no_worse_than_today_on_all_development_rows(ruleset: RuleSet) -> None:
    """The floor this engine holds; any change to the rules must not fall below it."""
    s = _scores("all", ruleset).to_json()
    assert s["severe_under"] <= 1
    assert s["under"] <= 0.08  # the target, met; the nurses on the same rows: 0.095
    assert s["exact"] >= 0.725
    assert s["qwk"] >= 0.765
    assert s["over"] <= 0.195


@pytest.mark.xfail(strict=True, reason="issue #13 targets not met yet: over-triage and agreement "
                   "fall short where the NHS-aligned rules (chest pain at 30 or over, stroke "
                   "signs, responds-to-pain, the voice-responsive) grade above the KTAS expert "
                   "panel; one severe miss is an unreadable complaint with normal "
                   "observations")
def test_issue_targets_on_all_development_rows(ruleset: RuleSet) -> None:
    s = _scores("all", ruleset).to_json()
    assert s["severe_under"] == 0
    assert s["under"] <= 0.08
    assert s["over"] <= 0.15
    assert s["exact"] >= 0.70
    assert s["qwk"] >= 0.80


def test_safety_holds_on_the_check_half(ruleset: RuleSet) -> None:
    s = _scores("check", ruleset).to_json()
    assert s["severe_under"] == 0
    assert s["under"] <= 0.105


@pytest.mark.parametrize(("pairs", "kappa"), [
    ([(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)], 1.0),
    ([(1, 5), (5, 1)], -1.0),
    ([(3, 3), (3, 4), (4, 3), (4, 4)], 0.0),
])
def test_quadratic_weighted_kappa(pairs: list[tuple[int, int]], kappa: float) -> None:
    assert qwk(pairs) == pytest.approx(kappa)
