"""Emergencies and urgent cases a community pharmacist's blind set (session 15, set 59) was
missed by on its first run, each as a kind of text: an asthma attack told by words between
breaths and the neck muscles working, a tearing pain and a "swollen artery" in lay words, saliva
that cannot be swallowed past a sore throat, a child's fevers told as "temps" with a range in °F,
and a foot not walked on at all. The phrasings were written for these tests.
"""

from __future__ import annotations

import pytest

from appliance.triage import assess
from appliance.triage.rules import RuleSet
from appliance.triage.text_values import read_complaint


def _level(ruleset: RuleSet, complaint: str, age: float) -> int:
    return assess({"complaint": complaint, "age": age}, ruleset).level


@pytest.mark.parametrize("text", [
    "wheezy, only managing two or three words between breaths",
    "asthma, sat forward with his neck muscles working, inhaler every half hour",
])
def test_breathlessness_told_by_words_or_the_neck_muscles(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 12) <= 2, text


def test_a_toddler_who_says_a_few_words_is_not_breathless(ruleset: RuleSet) -> None:
    assert _level(ruleset, "18 months, not walking yet, says a few words, happy", 1.5) >= 3


@pytest.mark.parametrize("text", [
    "sudden pain low in his back and across the belly, 'ripping', worst ever",
    "pain in the tummy going through to the back, told years ago he had a swollen artery there",
])
def test_a_tearing_pain_or_an_aneurysm_in_lay_words(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 74) <= 2, text


def test_watering_eyes_are_not_a_tearing_pain(ruleset: RuleSet) -> None:
    assert _level(ruleset, "eye sore and tearing since yesterday, no back pain", 40) >= 3


def test_saliva_that_cannot_be_swallowed_with_a_sore_throat(ruleset: RuleSet) -> None:
    text = "sore throat, can't swallow her own spit, voice muffled, temp 39"
    assert _level(ruleset, text, 30) <= 2


def test_a_temperature_range_in_fahrenheit_is_a_temperature_not_an_age_and_sex() -> None:
    reading = read_complaint("temps on and off, 101-102F at home")
    assert reading.fields.get("vitals", {}).get("temperature") == pytest.approx(38.9, abs=0.1)
    assert "age" not in reading.fields and "sex" not in reading.fields


def test_a_childs_temps_on_and_off_for_five_days_is_amber(ruleset: RuleSet) -> None:
    assert _level(ruleset, "temps on & off for 5 days, 101-102F at home, runny nose", 2) == 3


@pytest.mark.parametrize("text", [
    "went over on his ankle at football, couldn't walk on it after, hopping now",
    "twisted ankle, tender when pressed on the bony bump on the outer side",
])
def test_a_foot_not_walked_on_is_not_self_care(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 13) <= 4, text
