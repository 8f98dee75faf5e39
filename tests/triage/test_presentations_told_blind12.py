"""Emergencies and urgent cases the last two sets of session 15 (65, custody notes; 66, a
parents' forum) missed or misread on their first runs, each as a kind of text: a toddler found
with a grandparent's tablets open, not known to have swallowed any; a boy's "privates" hurting
suddenly; a chickenpox spot gone red, hot and swollen; "none of the spots are red" as a
negation; a police arrest that is not a cardiac arrest; a dental swelling getting bigger; a
baby "barely felt" late in pregnancy; a red, hot breast while feeding. The phrasings were
written for these tests.
"""

from __future__ import annotations

import pytest

from appliance.triage import assess
from appliance.triage.rules import RuleSet


def _level(ruleset: RuleSet, complaint: str, age: float, sex: str | None = None) -> int:
    return assess({"complaint": complaint, "age": age, "sex": sex}, ruleset).level


@pytest.mark.parametrize("text", [
    "found him with grandad's pill box open and two days empty, not sure if he ate any",
    "she had the blister packs out of my bag, a couple of tablets chewed on the floor",
])
def test_a_toddler_found_with_medicines_is_a_possible_poisoning(
        ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 2) <= 2, text


def test_medicines_in_an_older_childs_note_are_read_only_as_told(ruleset: RuleSet) -> None:
    text = "headache since school, mum's tablets were on the floor when he got home"
    found = {c["id"] for c in assess({"complaint": text, "age": 10}, ruleset).complaints}
    assert "overdose" not in found


def test_a_boys_privates_hurting_suddenly_is_possible_torsion(ruleset: RuleSet) -> None:
    assert _level(ruleset, "came in from football saying his privates hurt, sick once", 12,
                  "M") <= 2


def test_a_chickenpox_spot_gone_red_and_hot_is_seen_today(ruleset: RuleSet) -> None:
    text = "chickenpox day 4, one spot on her arm red and swollen around it and hot"
    assert _level(ruleset, text, 3) == 3


def test_none_of_negates_what_follows(ruleset: RuleSet) -> None:
    text = "chickenpox, itchy spots, drinking well, none of the spots are red and swollen"
    assert _level(ruleset, text, 5) == 5


@pytest.mark.parametrize("text", [
    "arrested for shoplifting, up 4 times a night to pass water for months",
    "re-arrested, hand numb since cuffed 4 weeks ago",
])
def test_a_police_arrest_is_not_a_cardiac_arrest(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 50) >= 3, text


@pytest.mark.parametrize("text", [
    "pt arrested en route, CPR in progress",
    "patient arrested at scene",
])
def test_arrested_alone_stays_a_cardiac_arrest(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 60) == 1, text


def test_a_dental_swelling_getting_bigger_is_seen_today(ruleset: RuleSet) -> None:
    text = "toothache 4 days, swelling of the jaw since this morning, getting bigger"
    assert _level(ruleset, text, 30) == 3


def test_barely_felt_anything_in_late_pregnancy_is_reduced_movements(ruleset: RuleSet) -> None:
    assert _level(ruleset, "33 weeks, today I've barely felt anything", 28) == 3


def test_a_red_hot_breast_with_fever_while_feeding_is_urgent(ruleset: RuleSet) -> None:
    text = "breastfeeding, my boob has a red hot hard patch, shivery, temp 38.6"
    assert _level(ruleset, text, 29) == 3
