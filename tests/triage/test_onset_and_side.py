"""Side words, onset and recovery: what the complaint text says besides the complaint itself.

The phrasings were written for these tests (not taken from the development rows): weakness told
with a side is a stroke sign; a sign that began days ago, with no change since, is past the
window for clot treatment; a seizure patient recorded alert again is no longer post-ictal;
fluid loss with a fast pulse and an obvious limb deformity are urgent.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from appliance.errors import PackError
from appliance.protocols.pack_rules import sample_pack_dir
from appliance.triage import assess
from appliance.triage.lexicon import find_concepts
from appliance.triage.onset import began_over_a_day_ago, long_onset_spans
from appliance.triage.rules import RuleSet, load_ruleset

_NORMAL = {"respiratory_rate": 16, "spo2": 97, "systolic_bp": 132, "pulse": 78,
           "consciousness": "A", "temperature": 36.8}


def _level(ruleset: RuleSet, complaint: str, age: int = 70, **extra: Any) -> int:
    return assess({"complaint": complaint, "age": age, **extra}, ruleset).level


@pytest.mark.parametrize("complaint", [
    "left weakness", "Rt weakness", "weakness of left arm", "weakness left leg",
    "rt hemibody weakness", "right side numbness and weakness", "weakness, left",
    "L hand weakness", "sudden right weakness and confusion",
])
def test_weakness_with_a_side_is_a_stroke_sign(ruleset: RuleSet, complaint: str) -> None:
    assert _level(ruleset, complaint) == 2


@pytest.mark.parametrize("complaint", [
    "generalised weakness", "general weakness, left knee pain", "no left weakness",
    "left arm pain, general weakness",
])
def test_weakness_without_a_side_is_not(ruleset: RuleSet, complaint: str) -> None:
    assert _level(ruleset, complaint) >= 3


@pytest.mark.parametrize(("text", "long"), [
    ("weak for 3 days", True), ("dysarthria x 3/7", True), ("droop 2/52", True),
    ("facial droop 1 week", True), ("symptoms since last week", True),
    ("pain for 36 hours", True), ("weakness for weeks", True), ("began 4 days ago", True),
    ("for 2 hours", False), ("1/7 hx", False), ("for a day", False), ("BP 140/90", False),
    ("since yesterday", False), ("20 minutes ago", False),
])
def test_onset_over_a_day_is_read_from_the_words(text: str, long: bool) -> None:
    assert bool(long_onset_spans(text)) is long


@pytest.mark.parametrize("complaint", [
    "left sided weakness for 3 weeks", "slurred speech for 2 days", "facial droop since last week",
    "dysarthria x 3/7",
])
def test_stroke_signs_that_began_days_ago_are_urgent_not_very_urgent(
        ruleset: RuleSet, complaint: str) -> None:
    result = assess({"complaint": complaint, "age": 70, "vitals": _NORMAL}, ruleset)
    assert result.level == 3
    assert any("more than a day ago" in r.text for r in result.reasons)


@pytest.mark.parametrize("complaint", [
    "left weakness 2 hours ago",
    "left weakness for 2 days, now sudden slurred speech",  # a new sign today
    "left weakness for 2 days but worse today",
    "facial droop since this morning, cough for 3 days",  # the long onset is the cough's
    "left weakness since yesterday",
])
def test_a_change_today_or_an_onset_that_belongs_elsewhere_keeps_them_time_critical(
        ruleset: RuleSet, complaint: str) -> None:
    assert _level(ruleset, complaint, vitals=_NORMAL) == 2


def test_an_onset_only_counts_when_every_finding_has_one(ruleset: RuleSet) -> None:
    text = "facial droop, cough for 3 days"
    assert not began_over_a_day_ago(text, find_concepts(text, ruleset.lexicon))
    text = "facial droop for 3 days"
    assert began_over_a_day_ago(text, find_concepts(text, ruleset.lexicon))


def test_a_seizure_stands_down_only_once_the_patient_is_recorded_alert(ruleset: RuleSet) -> None:
    assert _level(ruleset, "first seizure", age=30) == 2  # no observations yet: post-ictal
    assert _level(ruleset, "first seizure", age=30, vitals=_NORMAL) == 3
    assert _level(ruleset, "first seizure", age=30,
                  vitals={**_NORMAL, "consciousness": "V"}) <= 2


def test_vomiting_or_diarrhoea_with_a_fast_pulse_is_urgent(ruleset: RuleSet) -> None:
    calm = {**_NORMAL, "pulse": 88}
    fast = {**_NORMAL, "pulse": 108}
    for complaint in ("vomiting since this morning", "diarrhoea"):
        assert _level(ruleset, complaint, age=40, vitals=calm) == 4
        assert _level(ruleset, complaint, age=40, vitals=fast) == 3


def test_an_obvious_limb_deformity_is_urgent(ruleset: RuleSet) -> None:
    assert _level(ruleset, "fell on outstretched hand, wrist deformed", age=45,
                  pain_score=5) == 3
    assert _level(ruleset, "fell on outstretched hand, wrist sore", age=45, pain_score=2) == 4


def _refused(tmp_path: Path, old: str, new: str, error: str) -> None:
    """The sample pack with ``old`` written as ``new`` in its complaints is refused."""
    pack = tmp_path / "pack"
    shutil.copytree(sample_pack_dir(), pack)
    path = pack / "triage" / "complaints.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(PackError, match=error):
        load_ruleset(pack)


def test_only_context_may_stand_a_complaint_down(tmp_path: Path) -> None:
    _refused(tmp_path, '[[complaint.facial-droop.stand_down]]\nany = ["onset-over-24h"]',
             '[[complaint.facial-droop.stand_down]]\nany = ["headache"]', "only context concepts")


def test_each_of_several_stand_downs_is_checked(tmp_path: Path) -> None:
    _refused(tmp_path, 'any = ["positional-vertigo"]', 'any = ["vomiting"]',
             r"dizziness'\.stand_down\[1\]: only context concepts")


@pytest.mark.parametrize(("text", "negated"), [
    ("He has no headache, chest pain or problems with his vision.", {"headache", "chest-pain"}),
    ("no swelling of her lips and no trouble breathing", {"breathing-difficulty"}),
    ("She didn't black out and hasn't vomited", {"syncope", "vomiting"}),
])
def test_negated_lists_and_contractions(ruleset: RuleSet, text: str, negated: set[str]) -> None:
    found = {m.concept: m.negated for m in find_concepts(text, ruleset.lexicon)}
    assert {c for c, neg in found.items() if neg} >= negated


@pytest.mark.parametrize("text", [
    "no cough, SOB",  # no "or": the second item is not in the negated list
    "no chest pain, but short of breath or dizzy",
    "it didn't stop bleeding",
    "no vomiting, headache for 2 days or so",
])
def test_negation_does_not_reach_what_it_should_not(ruleset: RuleSet, text: str) -> None:
    found = find_concepts(text, ruleset.lexicon)
    assert any(not m.negated and m.concept in ("breathing-difficulty", "bleeding", "headache")
               for m in found)


def test_pain_told_with_its_place_a_few_words_away(ruleset: RuleSet) -> None:
    text = "sudden severe pain low on the left side of her tummy, period is 3 weeks late"
    assert _level(ruleset, text, age=30, sex="F") <= 2  # abdominal pain + missed period


@pytest.mark.parametrize(("complaint", "level"), [
    ("diarrhoea and vomiting since last night, keeping fluids down", 5),
    ("vomiting since this morning", 4),  # no reassurance given: Standard
    ("diarrhoea with blood, keeping fluids down", 3),
    ("diarrhoea for 2 weeks, keeping fluids down", 4),  # more than a week: a clinician
    # morning sickness in early pregnancy while fluids stay down is self-care (NICE CKS); from
    # 20 weeks, or with the gestation untold, a new vomiting may be pre-eclampsia
    ("vomiting, keeping fluids down, 12 weeks pregnant", 5),
    ("vomiting, keeping fluids down, 26 weeks pregnant", 4),
    ("vomiting, keeping fluids down, pregnant", 4),
    ("nosebleed after blowing his nose, it stopped after 10 minutes of pinching", 5),
    ("nosebleed, stopped after 10 minutes of pinching, on warfarin", 3),
])
def test_reassurance_stands_a_complaint_down_to_self_care_only_when_nothing_else_is_wrong(
        ruleset: RuleSet, complaint: str, level: int) -> None:
    result = assess({"complaint": complaint, "age": 33}, ruleset)
    assert result.level == level
    if level == 5:
        assert result.advice  # self-care always comes with its safety-netting


def test_only_reassurance_may_stand_a_complaint_down_to_self_care(tmp_path: Path) -> None:
    _refused(tmp_path, '[complaint.epistaxis.stand_down]\nany = ["bleeding-stopped"]',
             '[complaint.epistaxis.stand_down]\nany = ["chronic-course"]', "only benign context")


def test_and_ends_a_negation_and_a_manner_is_not_an_arrest(ruleset: RuleSet) -> None:
    text = "grinding metal without goggles and felt something hit his eye"
    found = {m.concept: m.negated for m in find_concepts(text, ruleset.lexicon)}
    # the fragment felt to strike the eye is read whole, as the eye's foreign body's sign
    assert found.get("eye-struck-by-fragment") is False
    assert _level(ruleset, "cough and a cold, isn't breathing fast", age=4) >= 4
    assert _level(ruleset, "he isn't breathing", age=40) == 1


def test_an_age_of_0_years_takes_the_months_the_text_gives(ruleset: RuleSet) -> None:
    # a nappy rash at 7 months is not the rash of a baby under 3 months
    text = "A 7-month-old with a red rash in the nappy area for 2 days, feeding and happy"
    assert _level(ruleset, text, age=0) > _level(ruleset, "A 6-week-old with a red rash in "
                                                  "the nappy area, feeding and happy", age=0)


def test_the_medication_list_is_read_for_context_only(ruleset: RuleSet) -> None:
    case = {"complaint": "tripped and banged her forehead, didn't black out", "age": 84}
    plain = assess(case, ruleset)
    assert plain.level == 3
    assert "head-injury-anticoagulated" not in {r.rule_id for r in plain.reasons}
    # on an anticoagulant: CT within 8 hours (NICE NG232), urgent, named as its own reason;
    # a warning sign with it is still very urgent
    listed_anticoagulant = assess({**case, "history": "apixaban 5 mg twice a day"}, ruleset)
    assert listed_anticoagulant.level == 3
    assert "head-injury-anticoagulated" in {r.rule_id for r in listed_anticoagulant.reasons}
    vomited = {**case, "complaint": case["complaint"] + ", vomited twice since",
               "history": "apixaban 5 mg twice a day"}
    assert assess(vomited, ruleset).level == 2
    # a past problem in the list is not what the patient presents with today
    listed = assess({"complaint": "cough", "age": 40, "history": "GTN for chest pain"}, ruleset)
    assert listed.level == 5 and not any("chest" in r.text.lower() for r in listed.reasons)


def test_the_board_gives_the_engine_the_patients_medications() -> None:
    from datetime import date

    from appliance.records.board import triage_case

    row = {"presenting_complaint": "banged head", "medications": "warfarin", "o_pulse": 80}
    assert triage_case(row, date(2026, 12, 6))["history"] == "warfarin"


@pytest.mark.parametrize(("replacement", "error"), [
    ('all = ["walking-on-it", "limp"]', "only context concepts"),
    ('alls = ["walking-on-it"]', "needs any or all"),
])
def test_a_stand_down_needing_all_its_context_is_checked(tmp_path: Path, replacement: str,
                                                         error: str) -> None:
    _refused(tmp_path, 'all = ["walking-on-it", "no-bony-tenderness"]', replacement, error)
