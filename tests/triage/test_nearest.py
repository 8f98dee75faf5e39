"""The embedder fallback for complaint text the lexicon cannot read (real all-MiniLM-L6-v2).

It may only raise a priority, only when no complaint was recognised, and it always says so."""

from __future__ import annotations

import pytest

from appliance.triage import assess
from appliance.triage.nearest import THRESHOLD, NearestComplaints, for_ruleset, model_embed
from appliance.triage.rules import RuleSet


@pytest.fixture(scope="module")
def nearest(ruleset: RuleSet) -> NearestComplaints:
    embed = model_embed()
    assert embed is not None, "the embedder package is part of the test install"
    found = for_ruleset(ruleset.taxonomy, ruleset.lexicon, embed)
    assert found is not None
    return found


def test_an_unread_complaint_near_an_urgent_one_raises_and_says_so(
        ruleset: RuleSet, nearest: NearestComplaints) -> None:
    case = {"age": 50, "complaint": "swollen thigh on the left side"}
    plain = assess(case, ruleset)
    assert plain.level == 4 and not plain.complaints  # the lexicon does not read it
    raised = assess(case, ruleset, nearest=nearest)
    assert raised.level == 3
    why = [r for r in raised.reasons if r.source == "embedder"]
    assert why and "possible DVT" in why[0].text and "similarity" in why[0].text
    assert any("nearest in meaning" in w for w in raised.warnings)


@pytest.mark.parametrize("text", ["hello there", "xyzzy blorp", "wants to talk to a doctor"])
def test_unrelated_text_stays_below_the_threshold(nearest: NearestComplaints, text: str) -> None:
    assert nearest.match(text) is None
    assert nearest.nearest(text, k=1)[0].similarity < THRESHOLD


def test_a_recognised_complaint_is_never_second_guessed(ruleset: RuleSet,
                                                        nearest: NearestComplaints) -> None:
    for case in ({"age": 30, "complaint": "runny nose"},
                 {"age": 50, "complaint": "passed out in the shower"}):
        assert assess(case, ruleset, nearest=nearest) == assess(case, ruleset)


def test_a_self_care_neighbour_never_lowers(ruleset: RuleSet,
                                            nearest: NearestComplaints) -> None:
    """Text whose nearest complaint is self-care stays at the unrecognised level, whatever the
    threshold: the fallback adds an urgent guess, never a reassuring one."""
    loose = NearestComplaints(ruleset.taxonomy, ruleset.lexicon, model_embed(),  # type: ignore[arg-type]
                              threshold=0.0)
    case = {"age": 30, "complaint": "my stitches need taking out"}
    guess = loose.match(case["complaint"])
    assert guess is not None and guess.complaint.level == 5
    assert assess(case, ruleset, nearest=loose).level == assess(case, ruleset).level == 4


def test_the_cli_uses_it_and_can_be_told_not_to(tmp_path: object) -> None:
    import json
    import subprocess
    import sys

    case = json.dumps({"age": 50, "complaint": "swollen thigh on the left side"})
    run = [sys.executable, "-m", "tui.cli", "triage", "--no-llm"]
    with_it = subprocess.run(run, input=case, capture_output=True, text=True, check=True)
    without = subprocess.run([*run, "--no-embedder"], input=case, capture_output=True,
                             text=True, check=True)
    assert json.loads(with_it.stdout)["priority"]["level"] == 3
    assert json.loads(without.stdout)["priority"]["level"] == 4
