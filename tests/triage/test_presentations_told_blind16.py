"""Emergencies and urgent presentations that sets 75–76 (a pharmacist's consultation notes,
messages typed in a second language) missed on their first runs, each as a kind of text: a
count of tablets told as "approx 30 x", a diabetic who "does not answer me" and "talks strange",
a contact-lens wearer's eye told as "really sore" with "can't stand light", a hearing loss told
as "I don't hear anything" on waking, a baby's "very few movement", ureteric colic told by its
course into the groin, a burn sized in palms, and the episodes of a bowel upset counted in
shorthand. "Can't see the point" is low mood, not sight. The phrasings were written for these
tests.
"""

from __future__ import annotations

import pytest

from appliance.triage import assess
from appliance.triage.burn_size import burn_larger_than_hand
from appliance.triage.gastro import counted_upset
from appliance.triage.rules import RuleSet

_KNOWN = {"burn-larger-than-hand", "vomiting"}


def _level(ruleset: RuleSet, complaint: str, age: float, sex: str | None = None) -> int:
    return assess({"complaint": complaint, "age": age, "sex": sex}, ruleset).level


@pytest.mark.parametrize("text", [
    "says she took approx 24 x co-codamol this morning, feels ok",
    "admits she took approximately 40 paracetamol yesterday",
    "friend says he took est. 20 x sertraline 50mg",
    "took at least 16 ibuprofen over the afternoon",
])
def test_a_count_of_tablets_told_as_an_estimate(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 19) <= 2


def test_a_diabetic_who_no_longer_answers(ruleset: RuleSet) -> None:
    text = "my father has the sugar disease with insulin, he is confused and now not answering me"
    result = assess({"complaint": text, "age": 70, "sex": "M"}, ruleset)
    assert result.level == 1
    # the glucose is checked first: the hypoglycaemia rule and its protocol are shown with it
    assert "diabetes-altered-behaviour" in {r.rule_id for r in result.reasons}
    assert _level(ruleset, "wife is sugar patient, sweating and talks strange", 60, "F") <= 2
    # the phone not answered is nobody's consciousness
    assert _level(ruleset, "mild cough, my son is not answering his phone so I came alone",
                  45) >= 3


@pytest.mark.parametrize("text", [
    "wears monthly lenses, left eye is really sore and red, can't stand light",
    "right eye very sore and bloodshot since yesterday, cannot look at the light",
])
def test_a_sore_red_eye_that_light_hurts_is_seen_the_same_day(ruleset: RuleSet,
                                                                text: str) -> None:
    assert _level(ruleset, text, 31) == 3


def test_a_red_sticky_eye_that_does_not_hurt_stays_self_care(ruleset: RuleSet) -> None:
    text = "both eyes red and sticky for 2 days, not sore, vision fine, no contact lenses"
    assert _level(ruleset, text, 26) == 5


def test_hearing_gone_on_waking_is_sudden_hearing_loss(ruleset: RuleSet) -> None:
    # sudden hearing loss over 3 days or less: same-day ENT (NICE NG98)
    assert _level(ruleset, "woke up and I dont hear anything in my right ear", 52) == 3
    assert _level(ruleset, "I do not hear well with left ear for some months", 70) == 4


def test_a_baby_moving_very_few_times(ruleset: RuleSet) -> None:
    text = "33 weeks pregnant, today only few movements of the baby, normally very active"
    assert _level(ruleset, text, 30, "F") == 3


@pytest.mark.parametrize("text", [
    "pain in the right loin coming in waves down into the groin, vom x2",
    "bad pain from my side going down to the groin, I was sick, wee is pink",
])
def test_ureteric_colic_told_by_its_course(ruleset: RuleSet, text: str) -> None:
    # loin-to-groin pain with vomiting or blood in the urine: seen within the hour (NICE NG118)
    assert _level(ruleset, text, 38, "M") == 3


def test_a_renal_colic_at_fifty_eight_is_not_read_twice_as_an_aneurysm(ruleset: RuleSet) -> None:
    text = "loin pain radiating to the groin, comes in waves, obs stable, afebrile"
    assert _level(ruleset, text, 58, "M") >= 3


def test_a_burn_sized_in_palms() -> None:
    assert burn_larger_than_hand("blistered scald about 2x the size of his palm", _KNOWN)
    assert burn_larger_than_hand("scald to the thigh, twice the size of her hand", _KNOWN)
    assert burn_larger_than_hand("flash burn, estimated 4% TBSA", _KNOWN)
    assert not burn_larger_than_hand("burnt her hand holding the pan with two hands", _KNOWN)
    assert not burn_larger_than_hand("burn 0.5% TBSA on a finger", _KNOWN)


def test_a_blistered_burn_two_palms_wide_is_urgent(ruleset: RuleSet) -> None:
    text = "spilt boiling water on her forearm, blistered area about two palms, cooled 20 min"
    assert _level(ruleset, text, 40, "F") == 3


def test_episodes_counted_in_shorthand() -> None:
    assert counted_upset("D x6 since last night, no blood", _KNOWN)
    assert counted_upset("V x3, D+V x2 overnight", _KNOWN)
    assert counted_upset("vom x1 in the car", _KNOWN)
    assert not counted_upset("takes vitamin D x2 a week", _KNOWN)
    assert not counted_upset("D: 3/7 history of cough", _KNOWN)


def test_cant_see_the_point_is_low_mood_not_sight(ruleset: RuleSet) -> None:
    text = "low for months, can't see the point of getting up, denies any thoughts of self harm"
    result = assess({"complaint": text, "age": 41, "sex": "M"}, ruleset)
    assert "visual-disturbance" not in {c["id"] for c in result.complaints}
    assert result.level == 4


def test_water_that_will_not_pass_is_retention(ruleset: RuleSet) -> None:
    assert _level(ruleset, "not able to pass water since lunchtime, tummy tight and sore", 70,
                  "M") == 3


def test_spreading_redness_in_a_diabetic(ruleset: RuleSet) -> None:
    text = "type 2 diabetic, graze on my leg now red, hot and swollen and the redness is spreading"
    assert _level(ruleset, text, 62) == 3


def test_a_nosebleed_that_keeps_going(ruleset: RuleSet) -> None:
    text = "my nose has been bleeding for half an hour, pinching it but it just keeps going"
    assert _level(ruleset, text, 16) == 3
    # one that went on 20 minutes but stopped with pressure is seen, not hurried
    assert _level(ruleset, "nosebleed for 20 min, stopped with pinching, no blood thinners",
                  40) == 4


def test_a_sliced_forearm_is_a_cut(ruleset: RuleSet) -> None:
    result = assess({"complaint": "sliced his forearm on a sheet of glass, 3cm, bleeding "
                     "controlled", "age": 30, "sex": "M"}, ruleset)
    assert "laceration" in {c["id"] for c in result.complaints}


def test_a_burn_that_looks_white_in_the_middle(ruleset: RuleSet) -> None:
    text = "hot fat splashed on her wrist, blistered and white in the middle, cooled 20 min"
    assert _level(ruleset, text, 35, "F") == 3
    small = "splashed kettle water on the back of my hand, red 2cm patch, no blisters, cooled"
    assert _level(ruleset, small, 35, "F") == 5


def test_a_white_cold_leg_stays_an_emergency(ruleset: RuleSet) -> None:
    text = "sudden pain in my calf two hours ago and now the foot looks white and feels cold"
    assert _level(ruleset, text, 70, "M") <= 2


@pytest.mark.parametrize("text", [
    "went in for a tackle and felt his left shoulder pop out, shoulder looks square now",
    "fell skiing, right shoulder looks flat at the side, holding the arm out, won't move it",
])
def test_a_dislocated_shoulder_told_by_its_shape(ruleset: RuleSet, text: str) -> None:
    # a deformed joint needs reduction and a neurovascular check (CTAS 2016: obvious deformity)
    assert _level(ruleset, text, 24, "M") == 3


def test_pain_named_only_at_a_limb_is_peripheral(ruleset: RuleSet) -> None:
    # CTAS: moderate acute pain is urgent when central, less urgent when peripheral
    def level(text: str) -> int:
        return assess({"complaint": text, "age": 40, "pain_score": 5}, ruleset).level
    assert level("swollen red second toe") == 4
    assert level("odd swelling, thumb") == 4
    assert level("swollen red toe and tummy ache") == 3


def test_an_asthmatics_wheezy_tight_chest_is_graded_as_asthma(ruleset: RuleSet) -> None:
    text = "asthmatic, complains of a tight chest since the cold, wheezy, used her inhaler twice"
    result = assess({"complaint": text, "age": 38, "sex": "F"}, ruleset)
    assert "chest-pain-acs" not in {r.rule_id for r in result.reasons}
    # the same words from 50, or with a pain that spreads, stay possible coronary pain
    assert _level(ruleset, text, 58, "F") <= 2
    spread = "asthmatic, tight chest going into the left arm, wheezy, used inhaler, no help"
    assert _level(ruleset, spread, 35, "M") <= 2


def test_a_handlebar_into_the_belly_with_shock(ruleset: RuleSet) -> None:
    text = "fell off his scooter, handlebar into his tummy, now pale + clammy and feels faint"
    assert _level(ruleset, text, 9, "M") <= 2


def test_a_plus_sign_between_words_is_and() -> None:
    from appliance.triage.lexicon import tokenize
    assert [t for t, _, _ in tokenize("pale + clammy, D & V")] == [
        "pale", "and", "clammy", ",", "d", "and", "v"]
    assert [t for t, _, _ in tokenize("Hb 9+")] == ["hb", "9"]


@pytest.mark.parametrize("text", [
    "rope's ready in the shed and I'm doing it tonight, tell my mum I'm sorry",
    "got the rope sorted, doing it later tonight",
])
def test_a_plan_for_tonight_with_a_rope_or_a_goodbye(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 17) <= 2


def test_double_vision_with_drooping_eyelids_or_trouble_swallowing(ruleset: RuleSet) -> None:
    # weakness spreading down from the head: brainstem stroke, botulism, myasthenic crisis
    assert _level(ruleset, "seeing double since yesterday and both eyelids drooping", 45) <= 2
    assert _level(ruleset, "double vision and struggling to swallow for 2 days", 45) <= 2


def test_psychosis_told_as_what_the_person_does(ruleset: RuleSet) -> None:
    text = ("my brother keeps talking to people who aren't there and says the TV is reading "
            "his thoughts")
    assert _level(ruleset, text, 24, "M") == 3


def test_a_cut_told_as_one_more_of_a_pattern_is_self_harm(ruleset: RuleSet) -> None:
    result = assess({"complaint": "cut my arm again last night, it keeps opening", "age": 17},
                    ruleset)
    assert "self-harm" in {c["id"] for c in result.complaints}
    assert result.level <= 3


def test_a_knuckle_cut_off_someones_teeth(ruleset: RuleSet) -> None:
    text = "split his knuckle off her teeth in a scuffle, bit swollen now"
    assert _level(ruleset, text, 26, "M") == 3


def test_a_ball_that_aches_is_the_testicle(ruleset: RuleSet) -> None:
    assert _level(ruleset, "left ball is swollen and aching since this morning", 15, "M") <= 2


def test_a_cough_hanging_around_for_weeks(ruleset: RuleSet) -> None:
    # a cough over 3 weeks is a GP's (NHS; NICE NG12), not self-care
    assert _level(ruleset, "cough hanging around 5 weeks after a cold, no blood", 30) == 4


def test_a_sore_gone_pussy_or_red_round_the_edge_is_infected(ruleset: RuleSet) -> None:
    text = "blister on my heel from new shoes, now a bit pussy with redness around it"
    assert _level(ruleset, text, 30) == 4


def test_panic_attacks_that_keep_coming_are_for_the_gp(ruleset: RuleSet) -> None:
    text = "stressed about work, panic attacks a few times a week now, no thoughts of harm"
    assert _level(ruleset, text, 30) == 4
    once = "stressed about my exams, had one panic attack, coping, no thoughts of harm"
    assert _level(ruleset, once, 19) == 5


def test_the_morning_after_drink_told_by_what_was_drunk(ruleset: RuleSet) -> None:
    text = "headache, sick twice this morning after too many pints last night, keeping water down"
    assert _level(ruleset, text, 24) == 5
    # drink told without a past time is intoxication now; a head injury is never a hangover's
    assert _level(ruleset, "very drunk, vomiting, headache", 24) >= 3
    assert _level(ruleset, "fell and hit his head after pints last night, headache, sick twice",
                  24) <= 2


def test_calves_that_cramped_after_a_race(ruleset: RuleSet) -> None:
    assert _level(ruleset, "both calves cramped up at the finish, eased with stretching", 40) == 5
    # calf pain brought on by walking and eased by rest is claudication, not a cramp
    text = "when I walk to the shop my calves ache and cramp and I have to stop and rest"
    assert _level(ruleset, text, 70, "M") == 4


def test_sunburn_after_falling_asleep_outside(ruleset: RuleSet) -> None:
    text = "fell asleep in the garden, back of my legs red and stinging, no blisters, feel fine"
    assert _level(ruleset, text, 22) == 5


def test_a_chest_that_feels_weird_is_chest_pain_until_assessed(ruleset: RuleSet) -> None:
    text = "my chest feels weird, sharp on the left, and I can't get a full breath in"
    assert _level(ruleset, text, 19, "M") <= 2
