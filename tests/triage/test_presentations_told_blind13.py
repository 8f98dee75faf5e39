"""Emergencies the session's last blind sets (67, a rural practice's duty list; 68, people
writing English as a second language) missed on their first runs on the final code, each as a
kind of text: stroke signs in plain words ("her face is fall down", "the words coming wrong"), a
heart that "is squeezing", pain "on top of my shoulder" with a belly pain, a lower belly told as
"down belly", pre-eclampsia after a birth, an injury with a pulse above the systolic pressure,
and a chemical swallowed with drooling and pinpoint pupils. The phrasings were written for these
tests.
"""

from __future__ import annotations

import pytest

from appliance.triage import assess
from appliance.triage.rules import RuleSet


def _level(ruleset: RuleSet, complaint: str, age: float, sex: str | None = None) -> int:
    return assess({"complaint": complaint, "age": age, "sex": sex}, ruleset).level


@pytest.mark.parametrize("text", [
    "since lunch his face is drop on the left side and he cannot find the words",
    "my father mouth is crooked and the speech is strange, one hour",
])
def test_stroke_signs_in_plain_words(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 70) <= 2, text


def test_a_face_that_falls_is_not_a_fall(ruleset: RuleSet) -> None:
    found = {c["id"] for c in assess({"complaint": "her face is fall down on one side",
                                      "age": 75}, ruleset).complaints}
    assert "facial-droop" in found


@pytest.mark.parametrize("text", [
    "my heart is squeezing since 30 minutes and I am sweating",
    "pain in my heart going to the left arm",
])
def test_a_heart_that_hurts_is_chest_pain(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 55) <= 2, text


def test_the_words_coming_right_are_not_a_speech_problem(ruleset: RuleSet) -> None:
    found = {c["id"] for c in assess({"complaint": "headache, no problem with words, face normal",
                                      "age": 40}, ruleset).complaints}
    assert not {"slurred-speech", "facial-droop"} & found


def test_shoulder_top_pain_and_a_low_belly_pain_late_period_is_possible_ectopic(
        ruleset: RuleSet) -> None:
    text = "period late 6 weeks, sharp pain in down belly on the left and on top of my shoulder"
    assert _level(ruleset, text, 25, "F") <= 2


@pytest.mark.parametrize("text", [
    "had my baby four days ago, bad headache and I see flashing lights, face swollen",
    "gave birth 6 days ago, BP with the machine 166/104, headache",
])
def test_pre_eclampsia_after_a_birth(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 31, "F") <= 2, text


def test_an_injury_with_a_shock_index_over_one(ruleset: RuleSet) -> None:
    text = "kicked in the belly by a cow an hour ago, pulse 120, BP 95/60"
    assert _level(ruleset, text, 50) <= 2


def test_a_chemical_with_drooling_and_pinpoint_pupils_is_a_poisoning(ruleset: RuleSet) -> None:
    text = "got into the sheep dip (organophosphate), drooling, pupils pinpoint, sick x3"
    assert _level(ruleset, text, 3) <= 2


def test_observations_dictated_as_words_are_read(ruleset: RuleSet) -> None:
    result = assess({"complaint": "cough, temp thirty nine point two, pulse one hundred and "
                                  "twenty, sats ninety one", "age": 70}, ruleset)
    assert result.level <= 2
    assert result.news2["total"] >= 7


@pytest.mark.parametrize("text", [
    "her face fell when she heard the news, headache since",
    "I can't find the words to describe how bad the headache is",
])
def test_idioms_are_not_stroke_signs(ruleset: RuleSet, text: str) -> None:
    found = {c["id"] for c in assess({"complaint": text, "age": 45}, ruleset).complaints}
    assert not {"facial-droop", "slurred-speech"} & found, text
