"""Presentations of the kinds issue #13's fifteenth triage session fixed (blind sets 1-47 read,
48-58 held out), each a kind of text rather than a case: pregnancy that matters only where the
complaint does, gestation told in obstetric shorthand, colic in a thriving baby, a teething gum,
a bite by what it names, swallowed beads and coins, long-standing cramps and constipation,
chest-wall strain, a nosebleed that went on past first aid, sickle cell pain. The phrasings were
written for these tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from appliance.triage import assess
from appliance.triage.gestation import gestation_spans
from appliance.triage.lexicon import find_concepts
from appliance.triage.onset import longest_told
from appliance.triage.rules import RuleSet

NORMAL = {"respiratory_rate": 16, "spo2": 98, "systolic_bp": 124, "pulse": 76,
          "consciousness": "A", "temperature": 36.8}


def _level(ruleset: RuleSet, complaint: str, age: float = 30, **extra: Any) -> int:
    return assess({"complaint": complaint, "age": age, **extra}, ruleset).level


def _concepts(ruleset: RuleSet, text: str) -> set[str]:
    return {m.concept for m in find_concepts(text, ruleset.lexicon) if not m.negated}


# --- gestation ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "weeks"), [
    ("she is 32 weeks pregnant", 32),
    ("G1 16+2/40, booking bloods normal", 16),
    ("8/40 preg, spotting", 8),
    ("pregnant, 24 weeks, baby moving", 24),
    ("thirty-two weeks pregnant with her second", 32),
    ("about 9 wks pregnant", 9),
])
def test_gestation_is_read_however_it_is_written(text: str, weeks: int) -> None:
    assert [w for _, _, w in gestation_spans(text)] == [weeks]


@pytest.mark.parametrize("text", ["cough for 3 weeks", "BP 140/90, HR 40", "2/52 of back pain"])
def test_durations_and_readings_are_not_gestation(text: str) -> None:
    assert gestation_spans(text) == []


def test_a_gestation_is_not_how_long_the_illness_has_lasted() -> None:
    assert longest_told("G1 at 16 wks, sneezing and a sore throat for 2 days") == 2


# --- pregnancy: benign alone, relevant where the complaint is ---------------------------------

@pytest.mark.parametrize(("text", "level"), [
    # a cold, constipation or morning sickness that stays down are cared for at home
    ("22 weeks pregnant, blocked nose and sneezing for 3 days, no fever, baby moving", 5),
    ("G1 at 16 wks, stuffy nose and sneezing for 2 days, asking what is safe to take", 5),
    ("10 weeks pregnant, being sick twice a day but keeping fluids down, weeing normally", 5),
    ("14 weeks pregnant, heartburn after meals, no headache, no pain under the ribs", 5),
    # where pregnancy changes what a complaint means, it keeps it above self-care
    ("26 weeks pregnant, vomiting, keeping fluids down", 4),
    ("pregnant, vomiting since yesterday, keeping fluids down", 4),
    ("32 weeks pregnant, heartburn after meals", 4),
    ("28 weeks pregnant, itchy palms and soles at night", 4),
    ("30 weeks pregnant, tripped and fell onto her knees, baby moving", 4),
])
def test_pregnancy_blocks_self_care_only_where_the_complaint_is_pregnancy_relevant(
        ruleset: RuleSet, text: str, level: int) -> None:
    assert _level(ruleset, text, 29, sex="F") == level


@pytest.mark.parametrize(("text", "level"), [
    ("34/40, severe headache and flashing lights since this morning", 2),
    ("G2P1 32/40, vaginal bleeding for an hour, no pain", 2),  # antepartum haemorrhage
    ("36+2/40, constant tummy pain and some bleeding", 2),
    ("9 weeks pregnant, light bleeding with mild cramping, not dizzy", 3),
    ("9 weeks pregnant, bleeding and cramping", 2),
    ("9 weeks pregnant, bleeding, feels faint", 2),
])
def test_pregnancy_told_in_shorthand_still_counts(ruleset: RuleSet, text: str,
                                                  level: int) -> None:
    assert _level(ruleset, text, 31, sex="F") == level


# --- babies ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "age", "level"), [
    ("cries for hours every evening and pulls his legs up, fine in the day, feeding well and "
     "putting on weight", 0.35, 5),
    # under 3 months a GP or health visitor sees the baby once before it is called colic
    ("cries for hours every evening and pulls his legs up, fine in the day, feeding well and "
     "putting on weight", 0.12, 4),
    ("screams every evening and pulls her legs up, feeding well, and she has vomited twice",
     0.3, 2),
])
def test_colic_in_a_thriving_baby(ruleset: RuleSet, text: str, age: float,
                                  level: int) -> None:
    assert _level(ruleset, text, age) == level


@pytest.mark.parametrize(("text", "age", "level"), [
    ("teething, chewing fists, gum red and swollen where a tooth is coming through, feeding "
     "well, plenty of wet nappies", 0.7, 5),
    # a fever keeps it an abscess to examine (teething does not cause a high temperature)
    ("teething, gum red and swollen where a tooth is coming through, temperature 38.6", 0.7, 3),
    ("wisdom tooth coming through, gum swollen and sore", 24, 4),
])
def test_a_teething_gum_is_not_an_abscess(ruleset: RuleSet, text: str, age: float,
                                          level: int) -> None:
    assert _level(ruleset, text, age) == level


# --- bites and stings --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "level"), [
    ("bitten by a mosquito yesterday, itchy red bump on the arm, not spreading", 5),
    ("got bitten by midges in the garden, itchy red spots on my legs", 5),
    ("bitten on the ankle by an adder 30 minutes ago, some swelling around the bite", 3),
    ("a snake bit him on the hand on the moor, now vomiting and feeling faint", 2),
    ("bitten on the finger by his pet cobra", 2),
    ("bitten by the neighbour's dog, skin broken on the back of the hand", 3),
])
def test_a_bite_is_graded_by_what_bit(ruleset: RuleSet, text: str, level: int) -> None:
    assert _level(ruleset, text, 35, vitals=NORMAL) == level


def test_an_insect_in_the_ear_is_not_an_insect_bite(ruleset: RuleSet) -> None:
    assert _level(ruleset, "an insect flew into my ear and is buzzing", 35) == 4


# --- swallowed things --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "level"), [
    ("swallowed some beads from a bracelet, no choking, playing normally", 4),
    ("swallowed a small toy wheel an hour ago, eating and playing normally", 4),
    ("swallowed a coin, coughed once, now eating a snack", 4),
    ("swallowed a coin and is drooling and cannot swallow his spit", 2),
    ("swallowed a magnet from the fridge, playing normally", 3),
    ("swallowed some of grandad's heart tablets", 2),
])
def test_a_swallowed_object_is_not_an_overdose(ruleset: RuleSet, text: str,
                                               level: int) -> None:
    got = _level(ruleset, text, 3)
    # an emergency may be read as the airway's (1) or the gullet's (2): both are emergencies
    assert got <= level if level <= 2 else got == level


# --- long-standing, told as such ---------------------------------------------------------------

@pytest.mark.parametrize(("text", "age", "level"), [
    ("calf cramps at night for months, they go when I stretch, legs look normal", 60, 5),
    ("chronic constipation for years, passing wind, no pain, wants a laxative", 40, 5),
    ("constipated for 6 weeks, which is new for me, passing wind, no pain", 68, 4),
    ("chronic cough for months", 40, 4),
])
def test_long_standing_cramps_and_constipation_are_self_care(ruleset: RuleSet, text: str,
                                                             age: float, level: int) -> None:
    assert _level(ruleset, text, age) == level


def test_shorthand_that_opens_a_note_is_an_age(ruleset: RuleSet) -> None:
    text = "6/12. nappy rash for 3 days, creases spared, no fever, feeding well"
    assert longest_told(text) == 3
    assert _level(ruleset, text, 0.5) == 5


# --- chest-wall strain -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "age", "level"), [
    ("sharp chest pain since bench pressing yesterday, sore when pressed, no breathlessness",
     25, 4),
    ("chest pain on the left since carrying heavy boxes, tender to press and worse on twisting",
     38, 4),
    ("sharp chest pain since bench pressing yesterday, sore when pressed, no breathlessness",
     58, 3),
    ("sharp chest pain since bench pressing yesterday, sore when pressed, now short of breath",
     25, 2),
])
def test_chest_wall_strain(ruleset: RuleSet, text: str, age: float, level: int) -> None:
    assert _level(ruleset, text, age, vitals=NORMAL) == level


# --- nosebleeds --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "level"), [
    ("nosebleed for 25 minutes, stopped with pressure, not on blood thinners", 4),
    ("nosebleed x 20 min this morning, now stopped", 4),
    ("nosebleed, stopped after 10 minutes of pinching", 5),
    ("nosebleed started 30 min ago, stopped after 5 minutes of pinching", 5),
])
def test_a_nosebleed_past_first_aid_is_seen(ruleset: RuleSet, text: str, level: int) -> None:
    assert _level(ruleset, text, 35) == level


# --- other wordings ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "level"), [
    ("sickle cell disease, pain in both legs like her usual crises", 3),
    ("sickle cell anaemia, chest pain and a temperature of 38.5", 2),
])
def test_sickle_cell_pain(ruleset: RuleSet, text: str, level: int) -> None:
    assert _level(ruleset, text, 19) == level


@pytest.mark.parametrize(("text", "concept"), [
    ("watching telly and next thing I was on the floor", "syncope"),
    ("she went stiff and shaking for a minute", "seizure"),
    ("fell last night and could not get up", "long-lie"),
    ("the red patch has got bigger since this morning", "spreading"),
])
def test_everyday_wordings(ruleset: RuleSet, text: str, concept: str) -> None:
    assert concept in _concepts(ruleset, text)


def test_mild_indrawing_is_work_of_breathing_not_the_red_sign(ruleset: RuleSet) -> None:
    found = _concepts(ruleset, "wheezy with mild indrawing")
    assert "breathing-difficulty" in found
    assert "severe-breathing-difficulty" not in found


def test_see_a_gp_if_names_what_has_not_happened(ruleset: RuleSet) -> None:
    result = assess({"complaint": "sunburnt shoulders, no blisters; see a GP if she feels "
                     "unwell or dizzy", "age": 30}, ruleset)
    assert "general-weakness" not in {c["id"] for c in result.complaints}


@pytest.mark.parametrize("text", [
    "no bowel movement for 4 days since starting co-codamol for knee pain, passing wind",
    "constipated since starting codeine for a sore knee, passing wind, no pain",
])
def test_what_a_medicine_was_started_for_is_history(ruleset: RuleSet, text: str) -> None:
    result = assess({"complaint": text, "age": 52}, ruleset)
    assert {c["id"] for c in result.complaints} == {"constipation"}
    assert result.level == 5


@pytest.mark.parametrize(("text", "level"), [
    ("on warfarin for AF, INR today 9.1, target 2-3, no bleeding, feels well", 3),
    ("on warfarin, INR 3.4 at the clinic, no bleeding, feels well", 4),
])
def test_a_very_high_inr_is_treated_today(ruleset: RuleSet, text: str, level: int) -> None:
    assert _level(ruleset, text, 75) == level


@pytest.mark.parametrize(("text", "age", "level"), [
    ("runny poo four times since yesterday with some stomach cramps, keeping fluids down, no "
     "blood", 30, 5),
    ("runny poo four times since yesterday with some stomach cramps", 30, 4),  # no reassurance
    ("runny poo four times since yesterday with some stomach cramps, keeping fluids down, no "
     "blood", 72, 3),  # abdominal pain from 65 is still assessed
    ("diarrhoea and tummy cramps, now the pain has moved low on the right, keeping fluids down",
     30, 3),
])
def test_cramps_with_a_bowel_upset(ruleset: RuleSet, text: str, age: float,
                                   level: int) -> None:
    assert _level(ruleset, text, age) == level


@pytest.mark.parametrize(("text", "level"), [
    ("five days after the birth of my son I keep crying and feel anxious and overwhelmed, "
     "eating and sleeping when he sleeps, no thoughts of harming myself or him", 5),
    ("my baby is 6 days old, I feel tearful and low, my partner is helping", 5),
    ("my baby is 6 days old, I feel tearful and low and have thoughts of harming myself", 3),
    ("five days after the birth, tearful, hearing voices telling her the baby is not hers", 2),
])
def test_the_baby_blues(ruleset: RuleSet, text: str, level: int) -> None:
    assert _level(ruleset, text, 29, sex="F") == level
