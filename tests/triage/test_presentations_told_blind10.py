"""Misreadings two blind sets of session 15 showed (a school's medical-room log; a GP surgery's
same-day list as receptionists type it), each as a kind of text: a rash that faded in the glass
test, a child not answering when called from behind, suicidal thoughts told in the person's
words, shingles told as blisters in a strip, hand, foot and mouth told by where the spots are, a
limb not used after a fall, pauses and gasps in sleep told with snoring, a toddler who "points
and grunts", a tummy pain that moved to the right, and "opens eyes to pain". The phrasings
were written for these tests.
"""

from __future__ import annotations

import pytest

from appliance.triage import assess
from appliance.triage.rules import RuleSet


def _level(ruleset: RuleSet, complaint: str, age: float) -> int:
    return assess({"complaint": complaint, "age": age}, ruleset).level


def _complaints(ruleset: RuleSet, complaint: str, age: float) -> set[str]:
    return {c["id"] for c in assess({"complaint": complaint, "age": age}, ruleset).complaints}


def test_a_rash_that_faded_in_the_glass_test_is_not_purpura(ruleset: RuleSet) -> None:
    text = "blotchy pink rash on his tummy, faded completely with the glass test, playing happily"
    assert _level(ruleset, text, 3) >= 4
    assert _level(ruleset, "spotty rash, did the glass test and it didn't fade, temp 38.5",
                  3) == 1


def test_a_child_who_does_not_answer_from_behind_is_a_hearing_question(
        ruleset: RuleSet) -> None:
    text = "mum says he doesn't respond when called from behind and turns the telly up loud"
    assert _level(ruleset, text, 4) == 4
    assert _level(ruleset, "toddler floppy, doesn't respond when we shout his name", 2) == 1


@pytest.mark.parametrize("text", [
    "told her teacher she has been thinking about killing herself",
    "says he keeps thinking of taking his own life",
])
def test_suicidal_thoughts_in_the_persons_words(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 15) <= 3, text


def test_shingles_told_as_blisters_in_a_strip_by_the_eye_is_urgent(ruleset: RuleSet) -> None:
    text = ("tingling on the left of her forehead for 2 days, now a cluster of blisters in a strip "
            "up into the hairline, eye a bit red")
    assert _level(ruleset, text, 40) == 3


def test_hand_foot_and_mouth_told_by_its_spots_is_self_care(ruleset: RuleSet) -> None:
    text = "small blisters on palms and soles, a few mouth ulcers, drinking fine, playing"
    assert _level(ruleset, text, 3) == 5


@pytest.mark.parametrize("text", [
    "fell off the trampoline onto her hand, wrist swelled up, she won't move it or use it",
    "tackled at rugby, landed on his shoulder, can't lift his arm",
])
def test_a_limb_not_used_after_a_fall_is_a_possible_fracture(ruleset: RuleSet, text: str) -> None:
    assert "suspected-fracture" in _complaints(ruleset, text, 8), text


@pytest.mark.parametrize(("text", "age"), [
    ("snores really loudly and stops breathing for a few seconds at night, then gasps", 48),
    ("loud snoring every night, big tonsils, mum sees pauses then a gasp, tired at school", 6),
])
def test_pauses_and_gasps_in_sleep_with_snoring_are_a_gps(
        ruleset: RuleSet, text: str, age: float) -> None:
    assert _level(ruleset, text, age) == 4, text


def test_gasping_in_a_baby_is_very_urgent_even_with_snoring(ruleset: RuleSet) -> None:
    assert _level(ruleset, "snoring and gasping, working hard to breathe", 0.5) <= 2


def test_snoring_breathing_in_someone_unresponsive_is_an_airway(ruleset: RuleSet) -> None:
    assert _level(ruleset, "slumped, snoring breathing, only opens eyes to pain", 40) == 1


def test_a_toddler_who_points_and_grunts_is_a_speech_question(ruleset: RuleSet) -> None:
    assert _level(ruleset, "2 and a half, not saying any words, points and grunts", 2.5) == 4


@pytest.mark.parametrize("text", [
    "tummy ache started round her belly button, now it's on the right side low down",
    "pain began in the middle of his tummy last night and has moved to the lower right",
])
def test_a_tummy_pain_moved_to_the_right_is_possible_appendicitis(
        ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 9) <= 3, text
