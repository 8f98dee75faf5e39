"""Presentations the blind sets over-triaged by a level, each a kind of text rather than a case
(issue 13, session 14): a sore throat's own fever with no pulse taken, a dog bite that broke the
skin away from the places bites get infected, an older person's first fall without injury, the
tingling before a shingles rash. Each has its counterpart that must stay as urgent as before.
The phrasings were written for these tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from appliance.triage import assess
from appliance.triage.onset import longest_told
from appliance.triage.rules import RuleSet


def _level(ruleset: RuleSet, complaint: str, age: float = 40, **extra: Any) -> int:
    return assess({"complaint": complaint, "age": age, **extra}, ruleset).level


# --- fever with no pulse or breathing rate taken --------------------------------------------

@pytest.mark.parametrize("text", [
    "sore throat for 3 days, temp 38.6, white spots on my tonsils, can swallow drinks",
    "tonsils really swollen with white patches, had a temperature of 101.8F last night",
    "earache since yesterday, temp 38.2, had a cold all week",
    "blocked nose, sneezing and a temp of 38.1 since Sunday",
])
def test_a_self_limiting_infections_own_fever_is_standard(ruleset: RuleSet, text: str) -> None:
    # NICE NG84: a sore throat with fever is assessed (FeverPAIN), not seen urgently
    assert _level(ruleset, text, 25) == 4, text


@pytest.mark.parametrize("text", [
    # another finding beside the fever keeps an unmeasured pulse from counting as normal
    "red hot swollen shin spreading past the pen line, temp 38.4",
    "pain low on the right of my tummy, temp 38.2, off my food",
    "knee swelled up overnight, hot and red, temp 38.1",
    "cough with green phlegm and a temp of 38.5",
    # a sore throat with a sign of quinsy or a raised pulse is urgent as before
    "sore throat, can't swallow my spit, temp 38.6",
    "sore throat and temp 38.4, pulse 104",
])
def test_a_fever_with_anything_else_and_no_pulse_stays_urgent(
        ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 30) <= 3, text


def test_a_sore_throats_fever_on_chemotherapy_stays_urgent(ruleset: RuleSet) -> None:
    assert _level(ruleset, "sore throat and temp 38.3, on chemo", 50) <= 3


def test_the_sore_throats_fever_edge_is_38(ruleset: RuleSet) -> None:
    below = _level(ruleset, "sore throat 2 days, temp 37.9", 25)
    at = _level(ruleset, "sore throat 2 days, temp 38.0", 25)
    assert at == 4
    assert below >= at


# --- bites that broke the skin ---------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "neighbour's dog bit my calf an hour ago, two puncture wounds, bleeding stopped",
    "dog bite on the forearm this morning, skin broken, washed it",
    "bitten on the thigh by a dog in the park, puncture marks, tetanus up to date",
])
def test_a_dog_bite_through_the_skin_of_a_limb_is_standard(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text) == 4, text


@pytest.mark.parametrize("text", [
    # hand, face, foot and joints are where bites get infected (NICE NG184)
    "dog bit the back of my hand, two puncture wounds, bleeding stopped",
    "the dog went for her face, puncture marks on her cheek",
    "dog bite on the ankle, skin broken",
    "bitten on the foot by a dog, puncture holes",
    # cat and human bites that break the skin, wherever they are
    "my cat bit my forearm, two deep puncture holes",
    "cat bite to the arm, broke the skin",
    "human bite on the shoulder, skin broken",
])
def test_a_bite_through_the_skin_where_bites_get_infected_is_urgent(
        ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text) == 3, text


def test_an_infected_bite_anywhere_is_urgent(ruleset: RuleSet) -> None:
    text = "dog bit my calf 2 days ago, puncture wounds now red, hot and spreading, temp 38.3"
    assert _level(ruleset, text) <= 3


def test_a_site_word_means_nothing_without_a_bite(ruleset: RuleSet) -> None:
    with_hand = assess({"complaint": "runny nose and sneezing, hands fine", "age": 30}, ruleset)
    without = assess({"complaint": "runny nose and sneezing", "age": 30}, ruleset)
    assert with_hand.level == without.level


def test_cat_bit_is_a_bite(ruleset: RuleSet) -> None:
    result = assess({"complaint": "our cat bit me yesterday", "age": 30}, ruleset)
    assert "animal-bite" in {c["id"] for c in result.complaints}


# --- an older person's first fall ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "slid off the sofa onto her bottom, no pain, walking normally, first fall she's had, "
    "not on blood thinners",
    "tripped on the rug, got herself up, didn't hit her head, no pain. Never fallen before.",
])
def test_a_first_fall_without_injury_is_self_care(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 80) == 5, text


@pytest.mark.parametrize("text", [
    # recurrent falls call for a falls assessment (NICE NG249)
    "slid off the sofa onto her bottom, no pain, walking normally, third fall this month",
    "tripped on the rug, got herself up, no pain",
])
def test_a_fall_not_told_as_the_first_is_standard(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 80) == 4, text


@pytest.mark.parametrize("text", [
    "first fall, hit her head on the door frame, on apixaban",
    "first fall, felt dizzy just before, now confused",
    "first fall, can't put weight on the right leg, hip very painful",
])
def test_a_first_fall_with_injury_or_a_cause_stays_urgent(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 82) <= 3, text


def test_the_first_fall_stand_down_is_for_65_and_over(ruleset: RuleSet) -> None:
    text = "slid off the sofa, no pain, walking normally, first fall"
    assert _level(ruleset, text, 64) == 5
    assert _level(ruleset, text, 65) == 5


# --- shingles -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "painful band of blisters round my right side, tingly for 3 days before they came",
    "burning rash in a band on the left of my back, it was tingling first",
    "shingles on my chest, tingling and sore",
])
def test_the_tingling_of_shingles_is_the_shingles(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 60) == 4, text


@pytest.mark.parametrize("text", [
    "shingles rash on my forehead near my eye, eye red and sore",
    "band of blisters on the chest with tingling, on chemo",
    "tingling down my left arm and my face has dropped, rash on my chest",
])
def test_shingles_near_the_eye_or_with_stroke_signs_stays_urgent(
        ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 60) <= 3, text


def test_tingling_without_a_rash_stays_urgent(ruleset: RuleSet) -> None:
    assert _level(ruleset, "tingling down my right side since this morning", 60) <= 3


# --- how long ago something else happened --------------------------------------------------

@pytest.mark.parametrize("text", [
    "itchy with thick white discharge, had thrush once before about a year ago, same again",
    "grazed both knees off my bike, tetanus 3 yrs ago",
    "c/o vaginal itch x 5/7. Similar episode 2 yrs ago",
    "scratched hand on a rose bush this morning, last Td booster 6 years ago",
])
def test_how_long_ago_a_past_event_was_is_not_how_long_this_has_lasted(text: str) -> None:
    assert longest_told(text) < 21, text


@pytest.mark.parametrize(("text", "days"), [
    ("cough started 4 weeks ago, had a chest infection before", 28),
    ("rash began 2 months ago and is spreading", 60),
    ("itchy shins for 3 weeks; previous eczema as a child", 21),
])
def test_the_illness_own_duration_still_counts(text: str, days: float) -> None:
    assert longest_told(text) >= days, text


def test_a_minor_graze_with_a_tetanus_date_is_self_care(ruleset: RuleSet) -> None:
    text = "grazed both palms falling off my bike, cleaned at home, tetanus 3 yrs ago"
    assert _level(ruleset, text, 48) == 5


# --- urine infection in pregnancy ----------------------------------------------------------

def test_a_lower_urine_infection_in_pregnancy_is_standard_not_self_care(
        ruleset: RuleSet) -> None:
    text = "20 weeks pregnant, burns when I wee and going all the time, no fever, no back pain"
    assert _level(ruleset, text, 27) == 4


@pytest.mark.parametrize("text", [
    "20 weeks pregnant, burns when I wee, temp 38.2",
    "16 weeks pregnant, stinging passing urine and pain in my right loin",
])
def test_a_urine_infection_in_pregnancy_with_fever_or_loin_pain_is_urgent(
        ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 27) <= 3, text


# --- tiredness for weeks in an older person ------------------------------------------------

@pytest.mark.parametrize("text", [
    "tired all the time for about two months, eating normally, no other symptoms",
    "feeling tired and not right x 3 wks, no fever, no falls, no new confusion",
])
def test_tiredness_for_weeks_at_70_is_a_gps(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 70) == 4, text


@pytest.mark.parametrize("text", [
    "generally weak and off her legs since yesterday",
    "more tired than usual for 2 days, not eating",
])
def test_new_weakness_at_70_stays_urgent(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 70) == 3, text


# --- stress about work or exams, told as people tell it -------------------------------------

@pytest.mark.parametrize("text", [
    "stressed with work deadlines, sleeping badly this week, mood otherwise OK",
    "got my GCSEs in two weeks, really stressed, sleeping badly, no thoughts of harm",
])
def test_stress_about_a_life_event_with_coping_is_self_care(
        ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 17) == 5, text


def test_stress_with_thoughts_of_ending_it_is_not_self_care(ruleset: RuleSet) -> None:
    text = "stressed with work deadlines, mood otherwise ok but thinking of ending my life"
    assert _level(ruleset, text, 35) <= 3


# --- the desiccant sachet told by its label -------------------------------------------------

@pytest.mark.parametrize("text", [
    "ate one of those little packets from new shoes, it says DO NOT EAT on it, he's fine",
    "chewed open a 'do not eat' packet from a shoe box, ate a few beads, playing normally",
])
def test_a_do_not_eat_sachet_is_a_harmless_ingestion(ruleset: RuleSet, text: str) -> None:
    result = assess({"complaint": text, "age": 2}, ruleset)
    assert "non-toxic-ingestion" in {c["id"] for c in result.complaints}
    assert result.level == 5


def test_not_eating_is_still_a_poor_appetite(ruleset: RuleSet) -> None:
    result = assess({"complaint": "she does not eat much these days", "age": 80}, ruleset)
    assert "poor-appetite" in {c["id"] for c in result.complaints}
    assert result.level <= 3


# --- an ankle injury as a minor-injuries note writes it ------------------------------------

@pytest.mark.parametrize("text", [
    "Inversion inj L ankle at 5-a-side 2h ago. Couldn't WB 4 steps in dept. Pain 5/10.",
    "inverted R ankle at netball, unable to take 4 steps, tender lateral malleolus, pain 6/10",
])
def test_an_ottawa_positive_ankle_is_an_x_ray_not_an_urgent_pain(
        ruleset: RuleSet, text: str) -> None:
    result = assess({"complaint": text, "age": 30}, ruleset)
    assert "suspected-fracture" in {c["id"] for c in result.complaints}
    assert result.level == 4


def test_an_ankle_that_can_take_four_steps_is_not_a_suspected_fracture(
        ruleset: RuleSet) -> None:
    result = assess({"complaint": "inverted L ankle, can take four steps, no bony tenderness",
                     "age": 30}, ruleset)
    assert "suspected-fracture" not in {c["id"] for c in result.complaints}


# --- the lump a knock to the head raises ----------------------------------------------------

@pytest.mark.parametrize("text", [
    "banged his forehead on the coffee table, cried straight away, small lump, not sick",
    "bumped her head on the table 3 hrs ago, cried straight away, small lump, playing",
])
def test_the_bump_after_a_knock_is_the_head_injurys_own(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 3) == 5, text


@pytest.mark.parametrize(("text", "age"), [
    ("found a lump in my armpit, been fine since", 40),  # no knock: a lump to be seen
    ("banged head, cried straight away, small lump, on warfarin", 70),
    ("banged her head, cried straight away, lump, been sick twice since", 4),
])
def test_a_lump_without_a_knock_or_with_a_risk_factor_is_not_self_care(
        ruleset: RuleSet, text: str, age: float) -> None:
    assert _level(ruleset, text, age) <= 4, text


def test_a_complaint_keeps_what_its_concept_implies(ruleset: RuleSet) -> None:
    # complaints.toml extends lexicon concepts with more words; the concept's implications
    # (head injury: the knock's context) must survive the extension
    assert "head-knock" in ruleset.lexicon.concepts["head-injury"].implies


# --- the morning after drinking -------------------------------------------------------------

def test_a_hangover_told_as_a_heavy_night_is_self_care(ruleset: RuleSet) -> None:
    text = "heavy night drinking, woke with a headache, vomited once, now keeping water down"
    assert _level(ruleset, text, 20) == 5


def test_a_head_injury_after_a_heavy_night_is_not_a_hangover(ruleset: RuleSet) -> None:
    text = "heavy night drinking, fell and hit his head, headache, vomited twice"
    assert _level(ruleset, text, 20) <= 3
