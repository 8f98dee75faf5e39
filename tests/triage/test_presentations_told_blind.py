"""Presentations as the tenth to twelfth blind sets told them (session 9), each a kind of text
rather than a case: guarding in one place, quantities and "and" inside a term, parts of
something else, retention in lay words, overdoses and suicide plans told without their words,
burning as a feeling, light sensitivity, new confusion, a low sugar treated and rechecked, and
what a medicine is taken for. The phrasings were written for these tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from appliance.triage import assess
from appliance.triage.lexicon import find_concepts
from appliance.triage.rules import RuleSet


def _level(ruleset: RuleSet, complaint: str, age: float = 40, **extra: Any) -> int:
    return assess({"complaint": complaint, "age": age, **extra}, ruleset).level


def _found(ruleset: RuleSet, text: str) -> dict[str, bool]:
    return {m.concept: m.negated for m in find_concepts(text, ruleset.lexicon)}


@pytest.mark.parametrize("text", [
    "pain started around the belly button, now in the right lower abdomen, guarding there",
    "RUQ pain after fatty food, rebound tenderness RUQ, T 37.6",
])
def test_guarding_in_one_place_is_urgent_not_resuscitation(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, vitals={"pulse": 88, "systolic_bp": 128}) == 3


@pytest.mark.parametrize("text", [
    "abdomen rigid like a board", "generalised guarding, lying very still",
    "abdo pain with guarding all over", "abdo rigid, guarding",
])
def test_a_rigid_abdomen_or_guarding_all_over_is_very_urgent(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text) <= 2


def test_a_quantity_inside_a_term_is_skipped_but_never_a_reading(ruleset: RuleSet) -> None:
    assert _found(ruleset, "my period is about two weeks late") == {"missed-period": False}
    # "GCS 15 pain 3/10" is two readings, not "GCS 3"
    assert "unresponsive" not in _found(ruleset, "head injury, GCS 15 pain 3/10")
    assert _level(ruleset, "slurred speach and face droopy since 10 minutes ago", 70) <= 2


@pytest.mark.parametrize("text", [
    "a sore on the ball of my foot has turned black", "pain in the back of my head",
    "pain at the back of the knee",
])
def test_a_part_of_something_else_is_not_that_complaint(ruleset: RuleSet, text: str) -> None:
    found = _found(ruleset, text)
    assert "testicular-pain" not in found and "back-pain" not in found
    assert _level(ruleset, text) != 5


def test_retention_alone_is_urgent_and_with_back_pain_very_urgent(ruleset: RuleSet) -> None:
    assert _level(ruleset, "I haven't been able to pee since last night", 70) == 3
    assert _level(ruleset, "low back pain and cant pee since this morning", 45) == 2


@pytest.mark.parametrize(("text", "age", "level"), [
    # an overdose told by a relative without the word
    ("she took a load of paracetamol about two hours ago after a row", 17, 2),
    ("he told me he doesn't want to be here anymore", 40, 3),
    # costovertebral angle tenderness is a kidney sign, not a stroke (CVA)
    ("dysuria and R flank pain, fever, R CVA tender", 30, 3),
    # burning is a feeling: passing urine, a cold sore, shingles; not a burn injury
    ("burning passing urine and frequency for 2 days", 40, 4),
    ("burnt my hand on the oven, it has blistered", 35, 4),
    # light hurting the eyes is part of migraine; with a fever it is a meningitis sign
    ("my usual migraine, photophobia, took my usual tablets", 30, 5),
    ("headache, photophobia, temperature 39", 30, 2),
    # shingles told without its name, near the eye
    ("burning tingling pain on the right forehead, now small blisters on the tip of the nose",
     58, 3),
    # "and" joins two places of one finding
    ("since the operation his calf and ankle have become swollen and tender", 78, 3),
])
def test_more_presentations_as_told(ruleset: RuleSet, text: str, age: float, level: int) -> None:
    assert _level(ruleset, text, age) == level


def test_nobody_negates_what_follows(ruleset: RuleSet) -> None:
    assert _found(ruleset, "nobody in the house is pregnant") == {"pregnancy": True}


def test_what_a_medicine_is_taken_for_is_history_not_the_complaint(ruleset: RuleSet) -> None:
    result = assess({"complaint": "on warfarin for AF, fell and hit head", "age": 80}, ruleset)
    assert "palpitations" not in {c["id"] for c in result.complaints}
    assert result.level == 3  # the anticoagulant still counts: CT within 8 hours (NICE NG232)
    assert "head-injury-anticoagulated" in {r.rule_id for r in result.reasons}
    result = assess({"complaint": "sore throat, recently started amoxicillin for a chest "
                     "infection", "age": 30}, ruleset)
    assert "infection" not in {c["id"] for c in result.complaints}


@pytest.mark.parametrize(("text", "age", "level"), [
    # new confusion alone is NEWS2's red score (urgent); with an infection a sepsis sign, in a
    # child or with drowsiness very urgent
    ("more muddled than usual for two days, thinks it is 1970", 88, 3),
    ("more muddled than usual, wee smells strong, temperature 38.4", 88, 2),
    ("confused and not making sense", 8, 2),
    ("confused and drowsy", 70, 2),
    # psychosis after birth
    ("baby was born 9 days ago, not slept, talking fast, not making sense", 29, 2),
    # a plan told without the word suicide
    ("decided tonight is the night, written letters to my kids, rope in the car", 34, 2),
    ("up in the night crying and pulling at his ear, temp came down with calpol, now playing",
     3, 5),
    ("i've run out of my levothyroxine and feel fine", 50, 5),
    ("been weeing loads and it stings when i pee, no fever", 28, 4),
    ("spilt boiling water over my forearm, blistered from wrist to elbow", 30, 3),
])
def test_presentations_from_the_twelfth_blind_set_kind(ruleset: RuleSet, text: str, age: float,
                                                       level: int) -> None:
    assert _level(ruleset, text, age) == level


def test_a_blistering_rash_in_a_band_is_shingles_not_stevens_johnson(ruleset: RuleSet) -> None:
    result = assess({"complaint": "burning pain then a blistering rash in a band around the "
                     "left side of his chest", "age": 40}, ruleset)
    assert [c["id"] for c in result.complaints] == ["shingles"]


@pytest.mark.parametrize(("text", "level"), [
    ("T1DM, found sweaty, BM 2.8, glucose tabs given, recheck BM 6.9, eating", 3),
    ("on gliclazide, CBG 1.9, glucagon given, now CBG 6.8, GCS 15", 3),
    ("hypo at home, now fully alert and eating", 3),
    ("BM 2.1, glucose gel given, recheck BM 2.6", 2),  # not treated yet: the latest is low
    ("hypo, BM 2.4", 2),
])
def test_a_low_sugar_treated_and_rechecked_is_urgent_not_very_urgent(
        ruleset: RuleSet, text: str, level: int) -> None:
    assert _level(ruleset, text, 50) == level


@pytest.mark.parametrize(("text", "age", "level"), [
    # "34/40" beside "G1" is weeks of pregnancy: severe hypertension with headache is an emergency
    ("G1 34/40, headache and flashing lights, BP 164/110", 32, 2),
    ("my husband hasnt been able to pass water since last night", 72, 3),
    ("he's convinced the neighbours put cameras in the walls and people on the telly are "
     "talking to him", 24, 3),
])
def test_presentations_from_the_thirteenth_blind_set_kind(
        ruleset: RuleSet, text: str, age: float, level: int) -> None:
    assert _level(ruleset, text, age) == level


def test_breathless_with_a_rate_of_25_or_more_is_very_urgent(ruleset: RuleSet) -> None:
    assert _level(ruleset, "short of breath", 80, vitals={"respiratory_rate": 28, "pulse": 87}) == 2
    assert _level(ruleset, "short of breath", 80, vitals={"respiratory_rate": 22, "pulse": 87}) >= 3
