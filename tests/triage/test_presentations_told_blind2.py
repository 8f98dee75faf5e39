"""Presentations as the fourteenth and fifteenth blind sets told them (session 10), each a kind
of text rather than a case: a note's negative list, "stings when she does a wee", ketones
without diabetes, a long-standing problem told as its usual self, a hot drink pulled over a
child, fewer wet nappies, cold with confusion, vaginal bleeding of unstated amount, bleeding in
pregnancy without pain, and a molar's pain. The phrasings were written for these tests.
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


def test_a_negative_list_of_three_or_more_runs_to_the_end_of_its_sentence(
        ruleset: RuleSet) -> None:
    found = _found(ruleset, "LBP 2/12. Denies numb bum, bladder/bowel upset, leg weakness, "
                            "fever. Obs NAD")
    assert found["stroke-signs"] is True
    assert found["fever"] is True
    assert _level(ruleset, "LBP 2/12. Denies numb bum, bladder/bowel upset, leg weakness, "
                           "fever. Obs NAD", 50) >= 4


@pytest.mark.parametrize(("text", "present"), [
    ("no cough, SOB", "breathing-difficulty"),  # two items: the second may be a finding
    ("no rash, neck stiffness, light hurts her eyes but she is drowsy", "reduced-consciousness"),
])
def test_a_short_or_broken_list_keeps_its_later_findings(ruleset: RuleSet, text: str,
                                                         present: str) -> None:
    assert _found(ruleset, text)[present] is False


@pytest.mark.parametrize("text", [
    "my son says it stings when he does a wee, going a lot",
    "stinging when she passes urine since Monday",
])
def test_stinging_on_passing_urine_is_a_urinary_symptom_not_a_sting(ruleset: RuleSet,
                                                                    text: str) -> None:
    found = _found(ruleset, text)
    assert "urinary-symptoms" in found
    assert "insect-sting" not in found
    assert _level(ruleset, text, 7) == 4


def test_ketones_without_diabetes_are_not_dka(ruleset: RuleSet) -> None:
    hyperemesis = ("15 weeks pregnant, sick 3 times a day for a fortnight, keeping fluids down, "
                   "urine ketones +")
    assert _level(ruleset, hyperemesis, 30) >= 3
    assert _level(ruleset, "type 1 diabetic, vomiting, ketones 3.4", 30) <= 2


@pytest.mark.parametrize("text", [
    "eczema on my hands for years, same as usual, just need more of my cream",
    "long-standing low back pain no different from usual, after a fit note",
])
def test_a_long_standing_problem_told_as_its_usual_self_is_self_care(ruleset: RuleSet,
                                                                     text: str) -> None:
    assert _level(ruleset, text, 55, vitals={"pulse": 72, "respiratory_rate": 14,
                                             "systolic_bp": 130, "spo2": 98,
                                             "temperature": 36.6}) == 5


def test_long_standing_alone_still_sees_a_gp(ruleset: RuleSet) -> None:
    assert _level(ruleset, "itchy skin for months", 55) == 4


def test_a_hot_drink_pulled_over_a_toddler_with_blisters_is_urgent(ruleset: RuleSet) -> None:
    text = "she pulled a mug of hot tea over her leg, big blisters now"
    assert "burn" in _found(ruleset, "she pulled a cup of tea over her leg")
    assert _level(ruleset, text.replace("mug of hot tea", "cup of tea"), 1.5) <= 3


def test_fewer_wet_nappies_and_half_feeds_in_a_feverish_baby_are_amber(ruleset: RuleSet) -> None:
    text = "temp 39.1 since last night, taking half his usual feeds, only 2 wet nappys today"
    assert _level(ruleset, text, 0.75) == 3


def test_cold_with_confusion_is_very_urgent(ruleset: RuleSet) -> None:
    text = "found outside overnight, freezing cold, saying words that dont make sense"
    assert _level(ruleset, text, 79) <= 2
    assert _level(ruleset, "found outside overnight, cold, chatting normally", 79) == 3


@pytest.mark.parametrize(("text", "level"), [
    ("PV bleeding since this morning", 3),  # amount and pregnancy not known
    ("heavy periods for a year, tired", 4),
    ("bleeding between periods", 4),
    ("vaginal bleeding on and off for two months", 4),
])
def test_vaginal_bleeding_by_what_is_known(ruleset: RuleSet, text: str, level: int) -> None:
    assert _level(ruleset, text, 34, sex="F") == level


@pytest.mark.parametrize(("text", "level"), [
    ("7 weeks pregnant, some brown spotting, no pain, feel well", 3),
    ("10 weeks pregnant, bleeding with cramping", 2),
    ("8 weeks pregnant, bleeding and feel dizzy", 2),
    ("6 weeks pregnant, one sided tummy pain", 2),
])
def test_bleeding_in_early_pregnancy_by_pain_and_faintness(ruleset: RuleSet, text: str,
                                                           level: int) -> None:
    assert _level(ruleset, text, 29, sex="F") == level


def test_a_molar_is_a_tooth(ruleset: RuleSet) -> None:
    assert _level(ruleset, "throbbing lower molar pain 2 days", 36, pain_score=6) == 4


@pytest.mark.parametrize(("text", "level"), [
    ("room spins for a few seconds when I turn over in bed, 2 days, otherwise fine", 4),
    ("known BPPV, spinning when I roll over in bed, same as usual", 5),
    ("dizzy, spinning when I turn my head, now slurred speech", 2),
    ("dizzy spells for a day", 3),  # no pattern told: a central cause not excluded
])
def test_positional_vertigo_by_what_is_known(ruleset: RuleSet, text: str, level: int) -> None:
    assert _level(ruleset, text, 54) == level


def test_diarrhoea_while_drinking_fine_is_self_care(ruleset: RuleSet) -> None:
    assert _level(ruleset, "loose stools since yesterday, no blood, drinking fine", 30) == 5


def test_a_visual_acuity_is_not_a_breathing_rate(ruleset: RuleSet) -> None:
    text = "CL wearer, L eye red + painful, VA L 6/18 R 6/6, white spot on cornea"
    assert _level(ruleset, text, 26) == 3  # a contact-lens red eye: keratitis until seen
    result = assess({"complaint": text, "age": 26}, ruleset)
    assert not any("breathing" in r.text.lower() for r in result.reasons)


@pytest.mark.parametrize(("text", "absent"), [
    ("cough hanging on for 3 weeks since a cold", "suicidal-intent"),
    ("bedbound since a stroke, now chesty cough", "stroke-signs"),
    ("fell asleep in the sun, shoulders red and sore", "low-energy-fall"),
    ("lump at her belly button that pops out when she cries", "limb-deformity"),
    ("hip pain after a trip, leg short and turned out, pain 5/10 lying still", "rigid-abdomen"),
])
def test_words_that_only_sound_like_a_finding(ruleset: RuleSet, text: str, absent: str) -> None:
    assert absent not in _found(ruleset, text)


def test_a_stroke_happening_now_is_still_read(ruleset: RuleSet) -> None:
    assert _level(ruleset, "I think he has had a stroke, his face is drooping", 70) <= 2
    assert _level(ruleset, "previous stroke, new slurred speech this morning", 70) <= 2


@pytest.mark.parametrize(("text", "age", "level"), [
    ("halfway through chemo, shivery, temperature is 38.3", 52, 2),  # NICE NG151
    ("my 5-week-old feels hot, the thermometer says 38.2", 0.1, 2),
    ("had a temperature of 37.6 yesterday, runny nose, eating and drinking fine", 27, 5),
    ("won't walk on his left leg, cries if you move his hip, temp 38.6", 6, 3),
    ("punched someone in the teeth last night, small cut over the knuckle", 23, 3),
    ("cut finger with a knife, unable to flex the fingertip, sensation reduced", 31, 3),
    ("skin tear on forearm, on warfarin, bleeding stopped with pressure", 87, 4),
    ("hit the side of her head on the worktop, on apixaban, vomited twice", 79, 2),
])
def test_presentations_from_the_sixteenth_and_seventeenth_blind_sets_kind(
        ruleset: RuleSet, text: str, age: float, level: int) -> None:
    assert _level(ruleset, text, age) == level


def test_a_calm_childs_breathing_a_little_slower_than_the_table_is_normal(
        ruleset: RuleSet) -> None:
    well = {"pulse": 105, "respiratory_rate": 22, "temperature": 37.0}
    assert _level(ruleset, "runny nose, playing, drinking well", 3, vitals=well) >= 4
    slow = {**well, "respiratory_rate": 14}
    assert _level(ruleset, "runny nose", 3, vitals=slow) <= 2


@pytest.mark.parametrize(("text", "age", "level"), [
    ("want to end it tonight, got pills saved up", 40, 2),
    ("vomiting loads of blood and dizzy", 67, 2),
    ("fever and spots that dont fade under glass", 3, 1),
    ("shaking, cant stand, skin blotchy, hasnt weed all day", 70, 2),
    ("fell off the climbing frame, arm bent the wrong way", 8, 3),
    ("she can barely breathe", 30, 2),
])
def test_short_texts_from_the_nineteenth_blind_set_kind(ruleset: RuleSet, text: str,
                                                        age: float, level: int) -> None:
    assert _level(ruleset, text, age) <= level


@pytest.mark.parametrize(("text", "concept"), [
    ("twisted ankle, can hardly put weight on it", "fracture"),
    ("knee keeps giving way since the tackle", "joint-instability"),
    ("fell on my hand, sore pressing the dip at the base of my thumb", "scaphoid-tenderness"),
])
def test_what_a_sprain_needs_a_clinician_for(ruleset: RuleSet, text: str, concept: str) -> None:
    found = _found(ruleset, text)
    assert found.get(concept) is False
    assert "walking-on-it" not in found
    assert _level(ruleset, text, 25) <= 4


def test_playing_football_leaves_athletes_foot_to_self_care(ruleset: RuleSet) -> None:
    text = "itchy cracked skin between my toes for a week, I play a lot of football, not spreading"
    assert _level(ruleset, text, 23) == 5


@pytest.mark.parametrize(("text", "age", "level"), [
    # drooling is teething in a baby; with throat signs it is an airway at risk
    ("drooling, chewing everything, fussy, teeth coming through, feeding normally", 0.75, 5),
    ("sore throat, high fever, drooling, sitting forward to breathe", 5, 2),
    ("fussy and grizzly since this morning", 0.1, 3),
    # a negative list to the sentence's end though it ends on an abbreviation
    ("blocked nose, sneezing x 2 days. Denies fever, SOB, abd pain, urinary sx. Eating OK.",
     23, 5),
    ("vomiting 8 times, now watery diarrhoea, only 2 wet diapers in 24 h, few tears", 1.5, 3),
    ("loose stools since last night, no blood, drinking fluids, urinating normally", 30, 5),
    ("hopeless since losing my job, sometimes I wish I wouldnt wake up, no plan", 45, 3),
    ("cough 4 weeks not going away", 22, 4),
])
def test_presentations_from_the_eighteenth_blind_set_kind(ruleset: RuleSet, text: str,
                                                          age: float, level: int) -> None:
    assert _level(ruleset, text, age) == level


@pytest.mark.parametrize(("text", "field", "value"), [
    # a Korean-style ED record: complaint / arrival / mental state / NRS / observations
    ("RUQ pain / walk-in / alert / NRS 6 / 136/82, HR 98, RR 20, BT 38.2, SpO2 97%",
     "systolic_bp", 136),
    ("RUQ pain / walk-in / alert / NRS 6 / 136/82, HR 98, RR 20, BT 38.2, SpO2 97%",
     "temperature", 38.2),
    ("fall down / ambulance / verbal response / NRS 8 / 118/74, HR 106", "consciousness", "V"),
    ("syncope / ambulance / pain response / no pain / 90/60, HR 120", "consciousness", "P"),
])
def test_an_ed_record_s_observations_are_read(text: str, field: str, value: object) -> None:
    from appliance.triage.text_values import read_complaint

    assert read_complaint(text).fields["vitals"][field] == value


@pytest.mark.parametrize("text", ["G1 34/40, HR 90", "VA 6/18, HR 80", "x 3/7, HR 100"])
def test_a_fraction_that_is_no_pressure_is_not_read_as_one(text: str) -> None:
    from appliance.triage.text_values import read_complaint

    assert "systolic_bp" not in read_complaint(text).fields.get("vitals", {})


def test_an_ed_record_s_pain_score_beside_a_field_separator(ruleset: RuleSet) -> None:
    from appliance.triage.text_values import read_complaint

    assert read_complaint("epigastric pain / private car / alert / NRS 7 / 134/82, HR 90")\
        .fields["pain_score"] == 7
    assert _level(ruleset, "hematemesis / ambulance / alert / NRS 3 / 84/52, HR 128, RR 24",
                  55) <= 2


@pytest.mark.parametrize(("text", "age", "level"), [
    ("barking cough, a harsh high-pitched noise when breathing in even while sitting quietly",
     2, 2),
    ("barking cough, squeaky noise breathing in when he cries", 2, 3),
    ("vomited a large amount of dark red blood, black sticky stools, lightheaded", 66, 2),
    ("waves of cramping pain, swollen tummy, keeps vomiting green fluid", 71, 2),
    ("vomiting for two days, eyes look sunken, passed urine only once today", 3, 3),
    ("fell on her outstretched hand, wrist visibly bent", 9, 3),
    ("slipped in the bathroom, cannot put any weight on the leg, which is turned outwards",
     84, 3),
    ("found small moving insects in her hair, itchy scalp", 7, 5),
])
def test_presentations_from_the_twenty_first_blind_set_kind(ruleset: RuleSet, text: str,
                                                            age: float, level: int) -> None:
    assert _level(ruleset, text, age) <= level


def test_durations_in_words_up_to_twelve(ruleset: RuleSet) -> None:
    assert _level(ruleset, "aching lower back for eight weeks, not improving", 49) == 4


@pytest.mark.parametrize(("text", "age", "level"), [
    # emergencies told in ordinary words (the twenty-second set's kind)
    ("she stopped responding and started jerking all over, going on for 6 minutes", 7, 2),
    ("her smile has gone lopsided and her tea dribbles from one corner of her mouth", 68, 2),
    ("tiny purple dots on his legs, I pressed a glass on them and can still see them", 2, 2),
    ("swallowed a whole packet of paracetamol an hour ago, feels fine", 17, 2),
    ("worst tummy pain ever, belly hard as a board, lying dead still", 49, 2),
    ("collapsed running, red hot to touch, stopped sweating, talking rubbish", 33, 2),
    ("sudden calf pain an hour ago, foot pale white and cold", 72, 2),
    ("3 week old, sick 4 times, bright green like grass", 0.06, 2),
    ("type 1, vomiting, breathing deep and fast, breath smells like pear drops", 16, 2),
    ("pulled a mug of tea onto himself, chest and tummy red and blistered, size of a dinner "
     "plate", 3, 2),
])
def test_emergencies_in_ordinary_words(ruleset: RuleSet, text: str, age: float,
                                       level: int) -> None:
    assert _level(ruleset, text, age) <= level


@pytest.mark.parametrize(("text", "age", "level"), [
    ("fainted having blood taken, out for seconds, back to normal in minutes", 22, 5),
    ("fainted while out running, chest felt tight", 22, 2),
    ("earache 3 days, now yellowy gunk coming out onto her pillow, playing", 4, 4),
    ("cramps low in my tummy on the first two days of each period, same as always, ibuprofen "
     "helps", 16, 5),
])
def test_reassurance_and_its_limits(ruleset: RuleSet, text: str, age: float,
                                    level: int) -> None:
    assert _level(ruleset, text, age) == level


@pytest.mark.parametrize(("text", "age", "level"), [
    # a note's past history is history (the twenty-third set's kind)
    ("runny nose, sore throat, dry cough x3/7, eating and drinking normally. PMH HTN, well "
     "controlled.", 67, 5),
    ("red painless patch on the white of the eye after a coughing fit, vision normal", 29, 4),
    ("T2DM, random BM 18.9 at annual review, feels well, ketones 0.3", 50, 3),
    ("18/12 boy, snotty nose and cough x2/7, drinking well, wet nappies normal", 1.5, 5),
])
def test_what_a_note_tells_as_history_or_a_normal_reading(ruleset: RuleSet, text: str,
                                                          age: float, level: int) -> None:
    assert _level(ruleset, text, age) >= level


def test_a_mental_test_score_is_not_a_pain_score() -> None:
    from appliance.triage.text_values import read_complaint

    assert "pain_score" not in read_complaint("HR 104, AMT 10/10 (baseline)").fields


def test_a_quieter_baby_in_late_pregnancy_is_urgent(ruleset: RuleSet) -> None:
    text = "G1 36+1/40, baby much quieter since this morning, no kicks felt since 0900"
    assert _level(ruleset, text, 30, sex="F") == 3


@pytest.mark.parametrize(("text", "age", "level"), [
    # safety-netting names what has not happened (the twenty-fourth set's kind)
    ("usual short seizure, back to normal. Care plan says ambulance only if over 5 minutes, "
     "repeated seizures or injury.", 14, 3),
    ("loose stools, drinking well. Advised fluids; to contact again if blood, fever or signs "
     "of dehydration.", 40, 5),
    # slang and a tooth's crown
    ("absolutely hanging after my mates birthday, kept water down", 22, 4),
    ("adult tooth knocked out whole, handled by the crown only", 12, 3),
])
def test_what_is_not_a_finding_today(ruleset: RuleSet, text: str, age: float,
                                     level: int) -> None:
    assert _level(ruleset, text, age) == level


def test_a_no_list_runs_to_its_last_or(ruleset: RuleSet) -> None:
    found = _found(ruleset, "no leg weakness, numbness, bladder or bowel changes, fever or "
                            "weight loss")
    assert found["fever"] is True and found["weight-loss"] is True


@pytest.mark.parametrize(("text", "age", "level"), [
    ("my left ball is killing me, came on an hour ago, been sick once", 16, 2),
    ("the little flat round battery from the key fob is missing, she put something in her "
     "mouth", 2, 2),
    ("found hanging in the garage by her husband", 40, 2),
    ("did my back in moving a sofa, walking ok, no numbness", 30, 5),
])
def test_presentations_from_the_twenty_fourth_set_kind(ruleset: RuleSet, text: str,
                                                       age: float, level: int) -> None:
    assert _level(ruleset, text, age) <= level


def test_advice_that_names_todays_finding_is_read(ruleset: RuleSet) -> None:
    assert _level(ruleset, "GP advised ED with central chest pain and sweating", 55) <= 2
    # what a call-back condition names is not today's: a cold stays self-care
    assert _level(ruleset, "runny nose 2 days, eating and drinking; call 111 if breathless "
                           "or chest pain", 30) == 5
