"""Presentations a blind set of session 15 (an event medical tent's log) showed unread, each as a
kind of text: chest pain told as a tight band or a pressure, a baby kicking less told in the
mother's words, a used needle told as what happened, the Ottawa findings in lay words, a long
cough with "won't shift" after its duration, and the minor problems of a race (blisters,
chafing, cramp, a black toenail), sunburn with a fever, breathlessness of months. The
phrasings were written for these tests.
"""

from __future__ import annotations

import pytest

from appliance.triage import assess
from appliance.triage.rules import RuleSet


def _level(ruleset: RuleSet, complaint: str, age: float) -> int:
    return assess({"complaint": complaint, "age": age}, ruleset).level


@pytest.mark.parametrize("text", [
    "feels like a tight band across his chest, going down the left arm, sweaty",
    "pressure in the middle of my chest for half an hour, feel sick and clammy",
    "heaviness across her chest since lunchtime, into the jaw",
])
def test_chest_pain_told_as_a_band_or_a_pressure(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 58) <= 2, text


@pytest.mark.parametrize("text", [
    "painful blistering rash in a band round the left side of his chest, 2 days",
    "no tightness in the chest, just a runny nose",
])
def test_a_band_of_shingles_or_a_denied_tightness_is_not_chest_pain(
        ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 45) >= 3, text


@pytest.mark.parametrize("text", [
    "31 weeks pregnant, baby hasn't really kicked since yesterday evening",
    "I'm 36+2, not felt the baby move much at all today",
    "29/40, she's been much quieter than usual, hardly any kicks",
])
def test_a_baby_moving_less_in_the_mothers_words_is_urgent(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 30) <= 3, text


def test_no_movements_felt_yet_at_18_weeks_is_not_reduced_movements(ruleset: RuleSet) -> None:
    result = assess({"complaint": "18 weeks pregnant with my first, haven't felt the baby move "
                                  "yet, scans normal", "age": 26}, ruleset)
    assert "reduced-fetal-movements" not in {c["id"] for c in result.complaints}


@pytest.mark.parametrize("text", [
    "cleaner, a needle from the sharps bin stuck in her thumb half an hour ago",
    "picking up litter in the park, got jabbed by a used syringe through his glove",
])
def test_a_used_needle_told_as_what_happened_is_urgent(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 40) <= 3, text


def test_a_needle_given_as_treatment_is_not_a_needle_stick(ruleset: RuleSet) -> None:
    result = assess({"complaint": "had her flu jab yesterday, the needle went into her arm "
                                  "fine, arm a bit sore today", "age": 40}, ruleset)
    assert "needle-stick" not in {c["id"] for c in result.complaints}


@pytest.mark.parametrize("text", [
    "twisted his ankle playing football, couldn't manage more than a couple of steps",
    "rolled ankle, swollen, tender on the back of the outer ankle bone, hobbling",
])
def test_the_ottawa_findings_in_lay_words_are_not_self_care(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 27) <= 4, text


def test_an_ankle_without_the_ottawa_findings_stays_self_care(ruleset: RuleSet) -> None:
    text = ("rolled ankle stepping off a kerb, walked in fine, no tenderness over the ankle "
            "bone, mild swelling")
    assert _level(ruleset, text, 27) == 5


def test_a_cough_that_wont_shift_after_weeks_sees_a_gp(ruleset: RuleSet) -> None:
    assert _level(ruleset, "smoker, cough ~6 wks 'won't shift', no blood", 55) == 4


@pytest.mark.parametrize("text", [
    "marathon, blisters on both heels about 2cm, intact, not red, walking ok",
    "chafing under the arms and thighs after the race, skin raw, not infected",
    "cramp in the left calf at mile 20, eased after stretching, calf soft now, walking fine",
    "toenail gone black after the race, no cut, no redness, walking ok",
])
def test_the_minor_problems_of_a_race_are_self_care(ruleset: RuleSet, text: str) -> None:
    result = assess({"complaint": text, "age": 35}, ruleset)
    assert result.level == 5, text
    assert result.advice, text  # self-care always comes with safety-netting


def test_a_blister_on_a_diabetic_foot_is_not_self_care(ruleset: RuleSet) -> None:
    assert _level(ruleset, "blister on heel from new shoes, type 2 diabetic", 64) == 4


def test_sunburn_with_a_fever_is_seen_the_same_day(ruleset: RuleSet) -> None:
    text = "fell asleep in sun no suncream, shoulders red and blistered, shivery, temp 38.4"
    assert _level(ruleset, text, 9) == 3
    assert _level(ruleset, "sunburn on shoulders, no blisters, feels fine", 9) == 5


def test_breathlessness_of_months_with_nothing_acute_sees_a_gp(ruleset: RuleSet) -> None:
    assert _level(ruleset, "short of breath walking uphill for about 2 months", 68) == 4


@pytest.mark.parametrize("text", [
    "breathless walking uphill for 2 months, much worse today",
    "breathless for 6 weeks, coughing up blood",
    "breathless for 3 months, sats 91%",
])
def test_breathlessness_of_months_that_changed_or_has_a_sign_stays_urgent(
        ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 68) <= 3, text
