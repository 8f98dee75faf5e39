"""Self-care and routine presentations that sets 69-72 and the two sets after them missed, each
as a kind of text: a benign presentation told without its name (muscles sore after the gym,
skin burnt by the sun, white soggy skin between the toes, a baby biting everything, a sore
arm after the jabs, a "wound" inside the lip, a headache like a band, a red sore bottom in
the nappy area, stinging wee with "not pregnant", morning sickness kept down, heartburn after
food), the child's age told only in the text, and routine problems that were read as
self-care (a changing mole, liquid from the ear after an ear infection, a pharmacy treatment
that no longer helps). The phrasings were written for these tests.
"""

from __future__ import annotations

import pytest

from appliance.text.patterns import find_all, triage_fields
from appliance.triage import assess
from appliance.triage.onset import longest_told
from appliance.triage.rules import RuleSet


def _level(ruleset: RuleSet, complaint: str, age: float, sex: str | None = None) -> int:
    return assess({"complaint": complaint, "age": age, "sex": sex}, ruleset).level


def _age(text: str) -> object:
    return triage_fields(find_all(text)).get("age")


# --- delayed onset muscle soreness (NHS website, why do I feel pain after exercise?) ---------

@pytest.mark.parametrize("text", [
    "started a new spin class on monday, today my thighs are stiff and aching and stairs are "
    "hard work, wee is a normal colour",
    "arms and shoulders sore and stiff after the gym yesterday, first time in ages",
    "everything aches after my first week on the job, not used to it, no swelling",
])
def test_aching_muscles_after_unaccustomed_exercise_is_self_care(ruleset: RuleSet,
                                                                 text: str) -> None:
    assert _level(ruleset, text, 31, "M") == 5, text


def test_aching_muscles_with_cola_urine_is_urgent(ruleset: RuleSet) -> None:
    text = "sore muscles after my first gym session in years and now my pee is dark brown"
    assert _level(ruleset, text, 24, "M") <= 3


def test_first_time_in_years_is_not_how_long_the_aches_have_lasted() -> None:
    assert longest_told("back at football for the first time in 2 years, legs aching") == 0


# --- sunburn, athlete's foot, mouth ulcer -------------------------------------------------------

def test_skin_bared_to_the_sun_red_and_sore_without_blisters(ruleset: RuleSet) -> None:
    text = "had my top off at the barbecue all afternoon, back is pink and sore, no blisters"
    assert _level(ruleset, text, 28, "M") == 5


def test_athletes_foot_told_by_the_skin_between_the_toes(ruleset: RuleSet) -> None:
    assert _level(ruleset, "skin between my toes is soggy and white and itches", 33) == 5
    # peeling between the toes is not the widespread peeling of SJS/TEN
    assert _level(ruleset, "skin white and peeling between the little toes, itchy", 33) == 5
    # with diabetes it is the GP's, not the pharmacist's (NHS website)
    assert _level(ruleset, "itchy cracked skin between my toes, I am diabetic", 58) == 4


def test_mouth_ulcer_told_as_a_sore_or_wound_inside_the_lip(ruleset: RuleSet) -> None:
    assert _level(ruleset, "round white sore inside my lip, stings with crisps, 4 days", 40) == 5
    assert _level(ruleset, "wound inside my lip that is white, 3 days", 40) == 5
    # unhealed after 3 weeks: checked for mouth cancer (NICE NG12)
    assert _level(ruleset, "ulcer inside my lip for 5 weeks, not healing", 62) == 4


# --- babies: age told in the text, nappy rash, teething, the jabs ------------------------------

@pytest.mark.parametrize(("text", "years"), [
    ("baby girl 7 mo, red bottom", 0.58),
    ("my baby boy 9 months, his cheeks are red", 0.75),
    ("Mum re 5mo ds, bottom red", 0.42),
])
def test_a_babys_months_told_in_the_text(text: str, years: float) -> None:
    assert _age(text) == years


@pytest.mark.parametrize("text", ["baby 2 months early, now breathing fast",
                                  "my baby 3 months ago was poorly"])
def test_months_that_are_not_the_babys_age(text: str) -> None:
    assert _age(text) is None


def test_nappy_rash_in_a_thriving_baby_aged_in_the_text(ruleset: RuleSet) -> None:
    text = "Mum re 9mo ds, red and sore bottom in the nappy area 2 days, happy and feeding well"
    assert _level(ruleset, text, 0) == 5
    # a baby under 3 months with a rash is still seen
    assert _level(ruleset, "baby girl 6 weeks old, red bottom in nappy area", 0) == 4


def test_teething_told_as_biting_and_saliva(ruleset: RuleSet) -> None:
    text = ("my little one is 8 months old, biting everything, lots of saliva, one red cheek, "
            "temp 37.4, feeding well")
    assert _level(ruleset, text, 0) == 5


def test_a_sore_leg_and_mild_temperature_after_the_jabs(ruleset: RuleSet) -> None:
    text = ("baby 4 months had his jabs this morning, thigh red and a bit hard where the needle "
            "went in, temp 37.8, feeding ok")
    assert _level(ruleset, text, 0) == 5
    # a fever of 38 under 3 months is still graded by the NG143 rules
    assert _level(ruleset, "had her 8 week jabs yesterday and her temp is 38.4", 0.15) <= 3


def test_recession_and_grunting_told_by_a_parent(ruleset: RuleSet) -> None:
    text = "baby boy 6 months, breathing fast, the skin under his ribs going in, grunt every breath"
    assert _level(ruleset, text, 0) <= 2


# --- headache, period pain, heartburn, morning sickness, a stomach bug --------------------------

def test_headache_like_a_band_with_screens_and_no_red_flag(ruleset: RuleSet) -> None:
    text = ("headache on both sides like a tight band round my head after long days at the "
            "screen, paracetamol helps, no vomiting, vision fine")
    assert _level(ruleset, text, 30) == 5
    # several a week is the GP's (NHS website tension headaches)
    assert _level(ruleset, "most days a headache like a band round my head", 30) == 4
    assert _level(ruleset, "sudden worst headache ever like a band round my head", 30) <= 2


def test_period_pain_same_like_always(ruleset: RuleSet) -> None:
    text = ("first day of my period, strong cramps low in my belly, same like always, "
            "ibuprofen helps")
    assert _level(ruleset, text, 19, "F") == 5


def test_heartburn_after_food_in_the_second_half_of_pregnancy(ruleset: RuleSet) -> None:
    text = ("I am 30 weeks pregnant, heartburn after dinner, burning coming up into my throat. "
            "No headache, no pain under my ribs")
    assert _level(ruleset, text, 29, "F") == 5
    # with a headache it may be pre-eclampsia (NICE NG133): not self-care
    assert _level(ruleset, "32 weeks pregnant, heartburn after food and a bad headache", 29,
                  "F") <= 4


def test_heartburn_after_a_big_meal_is_not_a_fever(ruleset: RuleSet) -> None:
    text = "indigestion after a big meal, worse lying down, burning comes up into my throat"
    result = assess({"complaint": text, "age": 28, "sex": "M"}, ruleset)
    assert result.level == 5
    assert "fever" not in {c["id"] for c in result.complaints}


def test_morning_sickness_sick_a_few_times_this_week_fluids_kept_down(ruleset: RuleSet) -> None:
    text = ("8 weeks pregnant, queasy every morning, vomited a couple of times this week, "
            "keeping water + toast down, peeing normal")
    assert _level(ruleset, text, 27, "F") == 5
    worse = ("9 weeks pregnant, sick about 7 times a day, keeping sips down but weeing dark, "
             "the tablets arent working")
    assert _level(ruleset, worse, 27, "F") <= 4


def test_stomach_bug_after_a_takeaway_cramps_in_stomach(ruleset: RuleSet) -> None:
    text = ("runny poo 3 times since a dodgy kebab, cramps in stomach, drinking water fine, "
            "no blood, no fever")
    assert _level(ruleset, text, 25, "M") == 5


def test_off_the_food_area_is_not_off_food(ruleset: RuleSet) -> None:
    text = "loose poo x2 overnight, crampy tummy, drinking ok, no blood. Off food area for 48 hrs"
    assert _level(ruleset, text, 30, "F") == 5


# --- urine infection (NHS Pharmacy First: women 16-64, not pregnant) ----------------------------

def test_lower_uti_named_in_a_woman_who_is_not_pregnant(ruleset: RuleSet) -> None:
    text = "burning when I wee and going all the time since yesterday. Not pregnant, no fever. UTI"
    assert _level(ruleset, text, 30, "F") == 5
    assert _level(ruleset, text, 70, "F") == 4  # a GP's from 65 (NICE NG109)
    assert _level(ruleset, text, 14, "F") == 4  # and a child's (NICE NG224)


def test_a_named_uti_still_carries_its_sepsis_risks(ruleset: RuleSet) -> None:
    assert _level(ruleset, "UTI and now confused and muddled", 80, "F") <= 2
    assert _level(ruleset, "think I have a UTI, 12 weeks pregnant", 30, "F") <= 3
    assert _level(ruleset, "possible uti, resp rate 28, BP 88/50", 50, "M") <= 2


def test_the_last_period_is_not_how_long_the_symptoms_have_lasted(ruleset: RuleSet) -> None:
    text = "dysuria and frequency x1/7, LMP 3/52 ago, UPT -ve, no fever, no loin pain"
    assert _level(ruleset, text, 25, "F") == 5


# --- routine: a changing mole, an ear discharging, treatment that stopped working ---------------

def test_changing_mole_is_for_a_gp(ruleset: RuleSet) -> None:
    text = "the mole on my shoulder has got bigger and darker and the edge is ragged now"
    assert _level(ruleset, text, 45) == 4


def test_liquid_coming_out_of_the_ear_after_an_ear_infection(ruleset: RuleSet) -> None:
    text = "my son had earache last week, now yellow liquid coming out of his ear, he plays fine"
    assert _level(ruleset, text, 6, "M") == 4


@pytest.mark.parametrize(("text", "age"), [
    ("eczema on her arms is worse, the cream from the chemist is not helping anymore", 7),
    ("wax in my ear, olive oil drops for 2 weeks and it is no better", 60),
])
def test_pharmacy_treatment_that_no_longer_helps(ruleset: RuleSet, text: str, age: int) -> None:
    assert _level(ruleset, text, age) == 4, text


def test_other_routine_problems_told_plainly(ruleset: RuleSet) -> None:
    assert _level(ruleset, "there is a bald patch on the side of my head, smooth", 16) == 4
    assert _level(ruleset, "my periods are irregular, 4 months without one", 22, "F") == 4
    assert _level(ruleset, "my son has been constipated for weeks, it hurts him to go", 5) == 4
    assert _level(ruleset, "spotting of blood, my last period was 6 years ago", 57, "F") == 4
    assert _level(ruleset, "breastfeeding, red tender patch on my breast", 30, "F") == 4


# --- minor injuries and a well child ------------------------------------------------------------

def test_minor_problems_told_by_where_and_how(ruleset: RuleSet) -> None:
    assert _level(ruleset, "blister on the back of my heel from new boots, not red", 22) == 5
    # a builder's lump hammer is a tool, not a lump
    result = assess({"complaint": "hit his thumb with the lump hammer, bruised, bends fine",
                     "age": 45}, ruleset)
    assert "lump" not in {c["id"] for c in result.complaints}
    text = ("rolled my ankle on a kerb, swollen, walked here limping, no pain pressing on the "
            "ankle bones or the base of the 5th toe bone")
    assert _level(ruleset, text, 33) == 5
    text = "nose bled at school, pinched the soft part 10 mins and it stopped, no injury"
    assert _level(ruleset, text, 9) == 5


def test_earache_with_a_mild_fever_in_a_child_playing(ruleset: RuleSet) -> None:
    text = "pulling at his ear since last night, T 38.1, drinking fine, playing with his toys now"
    assert _level(ruleset, text, 3, "M") == 5
