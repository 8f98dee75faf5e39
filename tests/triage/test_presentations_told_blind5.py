"""Presentations as blind sets 48–51 told them (session 13), each a kind of text rather than a
case: emergencies told without the medical word (a painful eye with rainbow rings round the
lights, one eye's sight "like it's black", a dental infection lifting the tongue, bleeding after
a tonsillectomy, a child who is hard to keep awake, pinpoint pupils after a found bottle,
redcurrant-jelly stool, a child dribbling spit with a noise on breathing in), a temperature told
by where it was taken, a course of antibiotics and what it was for, and the gradings the sets'
writers and the sources agreed on (a head injury on an anticoagulant alone is urgent by NICE
NG232; an itchy rash is not an allergic reaction by itself; moderate asthma in a child is
urgent). The phrasings were written for these tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from appliance.triage import assess
from appliance.triage.lexicon import find_concepts
from appliance.triage.rules import RuleSet
from appliance.triage.text_values import read_complaint


def _level(ruleset: RuleSet, complaint: str, age: float = 40, **extra: Any) -> int:
    return assess({"complaint": complaint, "age": age, **extra}, ruleset).level


def _concepts(ruleset: RuleSet, text: str) -> set[str]:
    return {m.concept for m in find_concepts(text, ruleset.lexicon) if not m.negated}


@pytest.mark.parametrize(("text", "age"), [
    # acute angle closure: a painful eye with haloes, headache or vomiting
    ("left eye went really painful tonight, red, seeing coloured rings round lights", 70),
    ("eye severely painful since teatime, throbbing headache, been sick twice", 66),
    # a sudden loss of sight in one eye, painless
    ("woke up and can't see anything out of my right eye, no pain", 71),
    ("lost vision in the left eye an hour ago, it just went", 68),
    # a dental infection spreading under the jaw and lifting the tongue (Ludwig's angina)
    ("bad back tooth for a week, now swelling under his jaw and struggling to swallow", 38),
    ("abscess on a back tooth, tongue feels pushed up, can't open mouth properly", 45),
    # bleeding after a tonsillectomy
    ("had her tonsils out last week, now spitting out blood from the back of the throat", 9),
    # a child who is hard to keep awake after a fall
    ("fell off the bunk bed, been sick twice and really hard to keep awake", 5),
    # opioid toxicity: pinpoint pupils and drowsiness
    ("found with nan's morphine bottle, now really sleepy and his pupils are tiny", 3),
    # intussusception
    ("screaming in bouts and pulling her knees up, pale in between, red jelly in her nappy", 1),
    # epiglottitis in a child's words
    ("sore throat, dribbling spit, noisy breathing when she breathes in, temp 39", 6),
    # a nosebleed with a pulse above the systolic pressure
    ("nosebleed on warfarin won't stop, HR 118 BP 98/60, pale", 80),
])
def test_emergencies_told_without_the_medical_word_are_very_urgent(
        ruleset: RuleSet, text: str, age: float) -> None:
    assert _level(ruleset, text, age) <= 2, text


def test_haloes_alone_do_not_make_a_painful_eye_an_emergency(ruleset: RuleSet) -> None:
    # a painful red eye with blurred vision in a contact-lens wearer is keratitis: same day
    text = "contact lens wearer, left eye really painful and red, light hurts, vision blurry"
    assert _level(ruleset, text, 30) == 3
    # a shadow creeping across the vision after floaters is a detachment: same day
    assert _level(ruleset, "new floaters last night, now a dark shadow like a curtain "
                  "creeping in from the top of the vision", 60) == 3


def test_a_temperature_told_by_where_it_was_taken_is_read() -> None:
    assert read_complaint("feels hot, I checked and it's 38.4 under his arm").fields == {
        "vitals": {"temperature": 38.4}}
    assert read_complaint("37.9 in her ear").fields == {"vitals": {"temperature": 37.9}}
    assert "vitals" not in read_complaint("fell 2.5 under the arm of the sofa").fields


def test_a_six_week_old_with_a_temperature_under_the_arm_is_very_urgent(
        ruleset: RuleSet) -> None:
    text = "6 week old feels warm, checked and it's 38.2 under his arm, feeding a bit less"
    assert _level(ruleset, text, 0) <= 2


def test_what_a_course_of_antibiotics_was_for_is_history() -> None:
    text = ("itchy down below, thick white discharge. Just finished antibiotics for a chest "
            "infection")
    reading = read_complaint(text)
    assert [text[a:b] for a, b in reading.history] == ["a chest infection"]


def test_a_head_injury_on_an_anticoagulant_alone_is_urgent_with_its_own_reason(
        ruleset: RuleSet) -> None:
    case = {"complaint": "slipped, hit the back of his head, no LOC, on apixaban", "age": 72}
    result = assess(case, ruleset)
    assert result.level == 3
    assert "head-injury-anticoagulated" in {r.rule_id for r in result.reasons}
    # with a warning sign it is very urgent
    drowsy = {**case, "complaint": case["complaint"] + ", now drowsy and vomited twice"}
    assert assess(drowsy, ruleset).level <= 2


@pytest.mark.parametrize(("text", "age", "level"), [
    # an itchy rash by itself is a rash, not an allergic reaction
    ("itchy rash on both arms for a week, no fever, feels well", 34, 5),
    ("itchy spotty rash on her tummy, some blisters crusting, nursery has chickenpox, "
     "eating and playing", 3, 5),
    # where the grass is cut it is pollen, not a cut
    ("sneezing, streaming nose and itchy eyes since the grass was cut, no wheeze", 19, 5),
    # a baby's sticky yellow eye is conjunctivitis, not jaundice
    ("sticky yellow eye when he wakes, bit red, feeding fine, no temp", 0.75, 5),
    # "a bit tired but playing" is not general weakness; "drinking lots" is fluids kept up
    ("D and V since yesterday, drinking well, weeing normally, bit tired but playing", 4, 5),
    ("chickenpox spots, temp 38 but fine with calpol, drinking lots, running around", 6, 5),
    # moderate asthma in a child (talking in sentences, SpO2 94 %) is urgent
    ("asthmatic, wheezy and a bit breathless, talking in full sentences, inhaler helping a bit",
     11, 3),
    # suicidal thoughts without a plan are urgent
    ("low mood for months, doesn't see the point anymore and has thought about ending it, "
     "no plan", 42, 3),
    # a forearm told as bent is a deformity
    ("fell off the trampoline, forearm obviously bent, fingers pink and warm", 6, 3),
])
def test_graded_as_the_writers_and_sources_agree(ruleset: RuleSet, text: str, age: float,
                                                 level: int) -> None:
    assert _level(ruleset, text, age) == level, text


def test_pale_stools_are_not_pallor_and_a_yellow_baby_is_jaundiced(ruleset: RuleSet) -> None:
    text = "5 weeks old, still yellow, poos are pale and chalky, wee is dark, feeding ok"
    concepts = _concepts(ruleset, text)
    assert "anaemia" not in concepts and {"jaundice", "pale-stools"} <= concepts
    assert _level(ruleset, text, 0.1) == 3


@pytest.mark.parametrize(("text", "age", "level"), [
    # streaks of blood or bleeding on and off for weeks, nothing acute: the GP's (NICE NG12)
    ("constipated for weeks, cries when she goes, a streak of blood on the paper", 3, 4),
    ("blood in my poo on and off for a month, stools looser, feel well, not dizzy", 66, 4),
    ("bright red blood on the paper, had piles before, feel fine", 35, 4),
    # but not with faintness, an anticoagulant or black stools told as an acute bleed
    ("blood in my poo on and off for a month, now dizzy when I stand", 66, 2),
    ("streaks of blood in his poo, on apixaban", 70, 2),
    ("black tarry stools since yesterday, not dizzy", 50, 3),
])
def test_minor_rectal_bleeding_is_routine_and_the_acute_bleed_is_not(
        ruleset: RuleSet, text: str, age: float, level: int) -> None:
    assert _level(ruleset, text, age) == level, text


@pytest.mark.parametrize(("text", "age", "level"), [
    # heartburn now and then that antacids settle, even for years: self-care (NHS)
    ("burning behind my breastbone after a big curry, had it on and off for years, gaviscon "
     "sorts it, swallowing fine", 44, 5),
    ("indigestion after pizza and beers last night, tums made it better", 23, 5),
    # most days, or antacids only partly help: the GP's
    ("heartburn most days for six weeks, antacids help a bit, no weight loss", 38, 4),
    ("heartburn after meals for two months, gaviscon helps a bit", 40, 4),
    # indigestion with sweating or going into the jaw is still cardiac until shown otherwise
    ("thought it was indigestion, gaviscon helped a little, now sweaty and it goes into my jaw",
     58, 2),
])
def test_heartburn_settled_by_antacids_is_self_care_unless_persistent(
        ruleset: RuleSet, text: str, age: float, level: int) -> None:
    assert _level(ruleset, text, age) == level, text


@pytest.mark.parametrize("text", [
    "cough for about 4 weeks since a cold, worse at night, not short of breath",
    "cough 4 wks since a cold, dry, worse at night, obs normal",
    "cough hanging on 3 weeks since a cold, no wheeze",
])
def test_a_cough_of_three_weeks_told_with_a_hedge_or_what_it_followed_sees_a_gp(
        ruleset: RuleSet, text: str) -> None:
    # NHS: a cough lasting three weeks or more is the GP's, not self-care
    assert _level(ruleset, text, 35) == 4, text


def test_a_note_opening_on_months_in_shorthand_gives_the_babys_age(ruleset: RuleSet) -> None:
    assert read_complaint("4/12 F. Temp 39.1 tympanic. Runny nose").fields["age"] == 0.33
    assert read_complaint("5/12. Red sore bottom, happy").fields["age"] == 0.42
    # a duration in the same shorthand is not an age
    assert "age" not in read_complaint("cough 3/12, worse at night").fields
    # a 4-month-old with 39.1 is amber (urgent), not a baby under 3 months (very urgent)
    assert _level(ruleset, "4/12 F. Temp 39.1 tympanic. Runny nose, feeding ok, smiling", 0) == 3


@pytest.mark.parametrize(("text", "age", "level"), [
    # sudden hearing loss told in lay words: urgent (NICE NG98)
    ("woke up and my left ear sounds like it's underwater, can barely hear out of it", 44, 3),
    # a permanent tooth knocked out: urgent (reimplant within the hour)
    ("knocked his adult front tooth clean out at football, it's in a cup of milk", 11, 3),
    # a split chin that gapes needs closing: the GP's or a minor injuries unit, not self-care
    ("fell off his bike and split his chin, gaping a bit, bleeding stopped", 8, 4),
    # a kettle splash with no blisters is a superficial burn: self-care
    ("kettle splashed the back of my hand, red patch, no blisters, cooled under the tap", 30, 5),
])
def test_problems_told_in_lay_words_are_recognised(ruleset: RuleSet, text: str, age: float,
                                                   level: int) -> None:
    assert _level(ruleset, text, age) == level, text


def test_a_tooth_knocked_out_is_not_a_person_knocked_out(ruleset: RuleSet) -> None:
    concepts = _concepts(ruleset, "upper front adult tooth knocked out whole, in milk")
    assert "dental-injury" in concepts and "knocked-out" not in concepts


@pytest.mark.parametrize(("text", "age"), [
    # sets 53-55's emergencies told in bystanders' words
    ("collapsed at a party after a drink someone gave her, won't respond when we shout, "
     "making snoring noises", 22),
    ("hearing voices telling him to hurt his mum, has picked up a kitchen knife", 26),
    ("took 2 boxes of paracetamol this afternoon, feel sick", 24),
    ("found him with a belt round his neck, cut him down, breathing now, voice hoarse", 21),
    ("cut my arm, it's squirting blood and won't stop with a towel on it", 19),
    ("32 weeks. constant pain in my tummy, bump hard as a rock, some dark blood", 33),
    ("fell at home, hit head, on warfarin | 119 | verbal | NRS 6", 88),
])
def test_emergencies_told_by_bystanders_are_very_urgent(ruleset: RuleSet, text: str,
                                                        age: float) -> None:
    assert _level(ruleset, text, age) <= 2, text


@pytest.mark.parametrize(("text", "age", "level"), [
    # an extra dose of an everyday medicine, feeling well: a pharmacist's advice
    ("took my sertraline twice this morning by mistake, feel completely normal", 36, 5),
    ("took his simvastatin twice tonight by mistake, feels completely fine", 79, 5),
    ("asking if ok to take her normal paracetamol with the amoxicillin, feels ok", 75, 5),
    # not for a high-risk medicine
    ("took his lithium twice by mistake, feels fine", 50, 3),
    # a question about tablets is not an overdose plan
    ("family asking whether grandad still needs to take all his tablets, well otherwise", 96, 4),
    # reduced movements, waters broken preterm, raised BP in pregnancy: urgent
    ("30 weeks, baby hasn't been moving as much as usual today", 30, 3),
    ("33 weeks. Had a big gush of clear water, still trickling, no pains", 31, 3),
    ("35 weeks pregnant, pharmacist did my BP and it was 146/94, feel fine", 34, 3),
    # pregnancy's everyday complaints are self-care
    ("20 weeks pregnant and constipated, not been for 4 days, no pain or bleeding", 27, 5),
    ("18 wks pregnant, leg cramps in my calves at night, no swelling", 31, 5),
    # Parkinson's medicines missed and now stiff: time-critical
    ("Parkinsons, couldn't swallow his tablets this morning, now really stiff", 82, 3),
    # non-blanching redness over a pressure area: a pressure ulcer, not purpura
    ("red patch on her bottom that doesn't go white when pressed, sits in her chair all day",
     95, 4),
    # "LOC (-)" as charted is no loss of consciousness; "BST" is a blood sugar
    ("forehead laceration 3cm, fell off bike, LOC (-), bleeding stopped", 19, 4),
    ("BST 480 on home meter, very thirsty, peeing a lot", 50, 3),
])
def test_graded_as_sets_53_to_55_and_the_sources_agree(ruleset: RuleSet, text: str, age: float,
                                                       level: int) -> None:
    assert _level(ruleset, text, age) == level, text


def test_fine_or_normal_straight_after_a_finding_says_it_is_well(ruleset: RuleSet) -> None:
    assert "testicular-pain" not in _concepts(ruleset, "itchy rash in both groins, testicles fine")
    assert _level(ruleset, "itchy red rash in both groins after the gym, testicles fine", 28) == 5
    # a word later it may describe something else; a reassurance it only confirms
    assert "chest-pain" in _concepts(ruleset, "chest pain and feels fine otherwise")
    assert "child-well-signs" in _concepts(ruleset, "eating and playing fine")


def test_feeling_is_not_feeding_and_not_feeling_suicidal_is_negated(ruleset: RuleSet) -> None:
    concepts = _concepts(ruleset, "started sertraline, a bit jittery. Not feeling suicidal")
    assert "dehydration" not in concepts and "suicidal-thoughts" not in concepts
    assert _level(ruleset, "massive hangover, headache, queasy, bit shaky, kept water down",
                  24) == 5


@pytest.mark.parametrize(("text", "age", "sex", "level"), [
    # uncomplicated cystitis in a woman who says she is not pregnant: Pharmacy First
    ("burning when I wee and going all the time since yesterday, no fever, no back pain, "
     "not pregnant", 31, "F", 5),
    ("dysuria + frequency x2/7, Ø fever, Ø loin pain, UPT -ve", 23, "F", 5),
    # not with a warning sign, nor for a man, nor when pregnancy is not ruled out
    ("burning when I wee, going all the time, now an ache in my side, not pregnant", 30, "F", 3),
    ("burning when I wee and going all the time, no fever, no back pain", 45, "M", 4),
    ("burning when I wee and going all the time, no fever, no back pain", 31, "F", 4),
    ("burning when I wee, 3rd time this year, not pregnant, no fever", 33, "F", 4),
])
def test_uncomplicated_cystitis_is_a_pharmacists_only_when_all_of_it_is_said(
        ruleset: RuleSet, text: str, age: float, sex: str, level: int) -> None:
    assert _level(ruleset, text, age, sex=sex) == level, text


def test_a_facial_droop_that_takes_in_the_forehead_alone_is_bells_palsy(ruleset: RuleSet) -> None:
    bells = ("woke with my mouth drooping on the left, can't close my left eye or wrinkle my "
             "forehead, arms and legs fine")
    assert _level(ruleset, bells, 40) == 3
    # with speech or limb signs it is a stroke
    assert _level(ruleset, bells + ", speech slurred", 40) == 2


@pytest.mark.parametrize("text", [
    "crushing tightnes across chest since 20 mins, sweaty, pain going into jaw and L arm",
    "tight across my chest for half an hour, clammy",
    "heaviness across his chest since he sat down, grey",
])
def test_chest_pain_told_across_the_chest_is_cardiac_until_shown_otherwise(
        ruleset: RuleSet, text: str) -> None:
    # set 52's one missed emergency, measured on the session's final code: the pain was not
    # read at all when told "across the chest"
    assert _level(ruleset, text, 64) <= 2, text


@pytest.mark.parametrize(("text", "age", "level"), [
    # an older person's back or joints aching as they always do is not new back pain
    ("usual back ache, same as always, settled with her paracetamol and heat pad", 87, 5),
    ("my knees ache like they always do with the arthritis, paracetamol helps, no injury", 79,
     5),
    ("new back pain since yesterday, no injury", 87, 4),
    # a carer's missed dose of an everyday medicine
    ("forgot to give him his evening simvastatin last night, should we give it now", 84, 5),
])
def test_an_older_persons_usual_aches_and_missed_doses(ruleset: RuleSet, text: str,
                                                       age: float, level: int) -> None:
    assert _level(ruleset, text, age) == level, text


def test_sex_with_a_partner_who_has_hiv_is_an_exposure_for_pep(ruleset: RuleSet) -> None:
    # BHIVA: post-exposure prophylaxis within 72 hours, the sooner the better: urgent
    text = "condom came off last night, my partner told me afterwards he is HIV positive"
    assert _level(ruleset, text, 36) == 3


def test_signs_that_only_count_through_a_rule_do_not_block_self_care(ruleset: RuleSet) -> None:
    # a colicky baby's bouts of crying, or a regular strong painkiller, are not findings
    # themselves: they count only through the intussusception and medicine rules
    assert _level(ruleset, "crying in bouts every evening, pulls his knees up, bit sick after "
                  "feeds, feeding well, gaining weight", 0.25) == 5
    assert _level(ruleset, "runny nose and sneezing for 2 days, on amitriptyline for my back, "
                  "otherwise well", 40) == 5
