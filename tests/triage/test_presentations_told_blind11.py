"""Presentations two blind sets of session 15 showed unread or misread (a walk-in centre's
self check-in kiosk; care-home staff calling an advice line), each as a kind of text: black
stools and vomited blood in everyday words, a fever on clozapine, a tender scalp with a new
headache, a gastrostomy out, a catheter bag with nothing in it, blood sugars as "BMs",
a partner who is HIV positive, a possible assault told without the word, paranoid thoughts, a
collapse told as "slumped", and the glass test told with its answer (and a broken glass that
is not the test). The phrasings were written for these tests.
"""

from __future__ import annotations

import pytest

from appliance.triage import assess
from appliance.triage.rules import RuleSet
from appliance.triage.text_values import read_complaint


def _level(ruleset: RuleSet, complaint: str, age: float) -> int:
    return assess({"complaint": complaint, "age": age}, ruleset).level


def _complaints(ruleset: RuleSet, complaint: str, age: float) -> set[str]:
    return {c["id"] for c in assess({"complaint": complaint, "age": age}, ruleset).complaints}


@pytest.mark.parametrize("text", [
    "carer says her poo was black and sticky this morning, really smelly",
    "been throwing up and the last lot had blood in it",
])
def test_blood_from_the_gut_in_everyday_words_is_seen_today(
        ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 45) <= 3, text


@pytest.mark.parametrize("text", [
    "vomiting twice, no blood in it",
    "sick after feeds, the sick isn't bloody or green, gaining weight",
    "bowel motions a bit black since starting ferrous sulphate, well in herself",
])
def test_vomit_or_stools_told_without_blood_are_not_a_bleed(ruleset: RuleSet, text: str) -> None:
    found = _complaints(ruleset, text, 30)
    assert not {"vomiting-blood", "blood-in-stool"} & found, (text, found)


def test_a_fever_on_clozapine_is_possible_neutropenia(ruleset: RuleSet) -> None:
    assert _level(ruleset, "on clozapine, sore throat and temp 38.2", 30) <= 3


def test_a_new_headache_with_a_tender_scalp_from_50_is_urgent(ruleset: RuleSet) -> None:
    assert _level(ruleset, "new headache for a week, scalp sore when brushing her hair", 78) == 3


def test_a_gastrostomy_out_is_replaced_the_same_day(ruleset: RuleSet) -> None:
    assert _level(ruleset, "his PEG fell out an hour ago when we turned him", 40) == 3


def test_a_catheter_bag_with_nothing_in_it_is_retention(ruleset: RuleSet) -> None:
    text = "long-term catheter, nothing in the bag since breakfast, tummy swollen"
    assert "urinary-retention" in _complaints(ruleset, text, 80)


def test_blood_sugars_written_as_bms_are_read() -> None:
    assert read_complaint("BMs today 19, 22").fields["vitals"]["blood_glucose"] == 19


def test_a_partner_who_is_hiv_positive_after_sex_needs_pep(ruleset: RuleSet) -> None:
    assert _level(ruleset, "condom came off last night, she says shes hiv positive", 25) <= 3


def test_a_possible_assault_told_without_the_word(ruleset: RuleSet) -> None:
    text = "don't remember getting home, i think someone had sex with me"
    assert "sexual-assault" in _complaints(ruleset, text, 19)


def test_paranoid_thoughts_are_a_mental_health_crisis(ruleset: RuleSet) -> None:
    assert _level(ruleset, "not slept for days, sure the neighbours are spying on me", 22) <= 3


def test_a_collapse_told_as_slumped(ruleset: RuleSet) -> None:
    assert "syncope" in _complaints(ruleset, "went grey and slumped in his chair", 85)


@pytest.mark.parametrize(("text", "stays"), [
    ("spots on her chest, did the glass test and they disappear, otherwise well", False),
    ("rash, pressed a glass on it and you can still see the spots, temp 38.9", True),
    ("rash on his legs, did the glass test", True),
])
def test_the_glass_test_is_read_by_its_answer(ruleset: RuleSet, text: str, stays: bool) -> None:
    assert ("non-blanching-rash" in _complaints(ruleset, text, 4)) is stays, text


def test_a_broken_glass_is_not_the_glass_test(ruleset: RuleSet) -> None:
    text = "put his arm through a glass door panel, 4 cm cut, bleeding stopped"
    assert "non-blanching-rash" not in _complaints(ruleset, text, 25)
