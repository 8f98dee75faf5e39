"""Combining findings into one priority and disposition: the contract and its invariants."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appliance.errors import ValidationError
from appliance.triage import assess
from appliance.triage.rules import RuleSet
from tests.triage.evaluate import load_cases

ISSUE_EXAMPLE = {
    "age": 71, "sex": "F", "pregnant": False,
    "complaint": "free text as a clinician or the patient would say it",
    "vitals": {"respiratory_rate": 18, "spo2": 97, "spo2_scale": 1, "on_oxygen": False,
               "systolic_bp": 160, "diastolic_bp": 100, "pulse": 84, "temperature": 36.6,
               "consciousness": "A", "capillary_refill_s": 2},
    "pain_score": 3, "mechanism": "fall from standing", "arrival": "ambulance"}
NORMAL = {"respiratory_rate": 16, "spo2": 98, "on_oxygen": False, "systolic_bp": 125,
          "pulse": 72, "consciousness": "A", "temperature": 36.9}


def test_output_contract(ruleset: RuleSet) -> None:
    out = assess(ISSUE_EXAMPLE, ruleset).to_json()
    assert {"priority", "disposition", "news2", "red_flags", "reasons", "protocols",
            "rules_version", "assistant", "pack_version", "warnings", "monitoring"} <= set(out)
    assert set(out["priority"]) == {"level", "name"}
    assert set(out["news2"]) >= {"total", "complete", "band", "red_score", "parameters"}
    assert out["assistant"] is None
    assert out["news2"]["total"] == 0 and out["news2"]["complete"]
    assert (out["priority"]["level"], out["disposition"]) == (4, "routine")
    assert all(set(p) == {"id", "title"} for p in out["protocols"])
    json.dumps(out)  # serialisable


def test_every_reason_links_a_listed_protocol(ruleset: RuleSet) -> None:
    out = assess({"age": 60, "complaint": "CP and SOB, had a seizure", "pain_score": 8,
                  "vitals": {**NORMAL, "pulse": 125}}, ruleset).to_json()
    listed = {p["id"] for p in out["protocols"]}
    assert out["reasons"] and all(r["protocol"] in listed for r in out["reasons"])
    assert [f["id"] for f in out["red_flags"]][:1] == ["chest-pain-acs"]
    assert all(set(f) == {"id", "reason", "protocol"} for f in out["red_flags"])


# NEWS2 7+ asks for emergency assessment (Very urgent); Immediate is for findings that are
# themselves life-threatening, such as shock (hypotension with tachycardia or altered
# consciousness); a medium score (5–6) is an urgent review within the hour (NICE NG51)
@pytest.mark.parametrize(("vitals", "level"), [
    ({**NORMAL, "respiratory_rate": 21, "systolic_bp": 95, "pulse": 115, "temperature": 35.5}, 2),
    ({**NORMAL, "respiratory_rate": 21, "systolic_bp": 88, "pulse": 125}, 1),
    ({**NORMAL, "systolic_bp": 88, "consciousness": "V"}, 1),
    ({**NORMAL, "respiratory_rate": 21, "systolic_bp": 95, "pulse": 95}, 3),
    ({**NORMAL, "respiratory_rate": 25}, 3),
    ({**NORMAL, "pulse": 95, "temperature": 36.0, "systolic_bp": 105}, 4),
    ({**NORMAL, "pulse": 95}, 4),
    (NORMAL, 4),
])
def test_news2_sets_a_minimum_priority(vitals: dict[str, Any], level: int,
                                       ruleset: RuleSet) -> None:
    assert assess({"age": 40, "vitals": vitals}, ruleset).level == level


def test_a_medium_news2_with_a_possible_infection_is_very_urgent(ruleset: RuleSet) -> None:
    """NEWS2 5–6 is Urgent, but with an infection in view it is a sepsis screen (Very urgent)."""
    vitals = {**NORMAL, "respiratory_rate": 21, "systolic_bp": 95, "pulse": 95}
    plain = assess({"age": 40, "vitals": vitals, "complaint": "feels weak"}, ruleset)
    infected = assess({"age": 40, "vitals": vitals, "complaint": "productive cough with green "
                       "sputum, chest infection"}, ruleset)
    assert plain.news2["total"] == infected.news2["total"] == 5
    assert plain.level == 3 and infected.level == 2


def test_ordinary_variation_in_one_or_two_parameters_keeps_self_care(ruleset: RuleSet) -> None:
    """A NEWS2 of 1–2 with no parameter above 1 (a temperature of 36.0, a pulse of 95) does
    not close self-care for a benign complaint; 3, or any single parameter scoring 2, does."""
    cough = {"age": 30, "complaint": "cough"}
    assert assess({**cough, "vitals": NORMAL}, ruleset).level == 5
    assert assess({**cough, "vitals": {**NORMAL, "temperature": 36.0}}, ruleset).level == 5
    assert assess({**cough, "vitals": {**NORMAL, "temperature": 36.0, "pulse": 95}},
                  ruleset).level == 5
    assert assess({**cough, "vitals": {**NORMAL, "temperature": 36.0, "pulse": 95,
                                       "systolic_bp": 105}}, ruleset).level == 4
    assert assess({**cough, "vitals": {**NORMAL, "pulse": 115}}, ruleset).level == 4
    # and never without a benign complaint to place it
    assert assess({"age": 30, "vitals": {**NORMAL, "pulse": 95}}, ruleset).level == 4


# with no complaint to place it, pain is graded as central and acute (the safer reading)
@pytest.mark.parametrize(("pain", "level"), [(0, 4), (2, 4), (3, 4), (4, 3), (7, 3), (8, 2),
                                             (10, 2)])
def test_pain_score(pain: int, level: int, ruleset: RuleSet) -> None:
    assert assess({"age": 40, "pain_score": pain}, ruleset).level == level


def test_only_mild_peripheral_pain_keeps_self_care(ruleset: RuleSet) -> None:
    # KTAS/CTAS: mild acute peripheral pain is non-urgent; moderate pain is not
    assert assess({"age": 30, "complaint": "sore throat"}, ruleset).level == 5
    assert assess({"age": 30, "complaint": "sore throat", "pain_score": 2}, ruleset).level == 5
    assert assess({"age": 30, "complaint": "sore throat", "pain_score": 5}, ruleset).level == 4


def test_high_energy_mechanism_is_at_least_very_urgent(ruleset: RuleSet) -> None:
    result = assess({"age": 30, "complaint": "sore wrist", "mechanism": "fell from scaffolding"},
                    ruleset)
    assert result.level == 2
    assert any(c["source"] == "mechanism" for c in result.to_json()["concepts"])


@pytest.mark.parametrize(("age", "vitals", "level"), [
    (0.5, {"respiratory_rate": 45}, 3), (0.5, {"respiratory_rate": 65}, 2),
    (0.5, {"pulse": 50}, 1), (4, {"pulse": 150}, 3), (4, {"pulse": 170}, 2),
    (10, {"systolic_bp": 75}, 2), (10, {"spo2": 90}, 2), (10, {"capillary_refill_s": 3}, 3),
    (10, {"consciousness": "V"}, 2), (10, {"consciousness": "U"}, 1),
    (10, {"respiratory_rate": 22, "pulse": 100, "systolic_bp": 100, "spo2": 98}, 4),
    # together they mean more: compensated shock (fast heart, slow refill), decompensated
    # (fast heart, systolic under 70 + 2 x age), or three values out of range at once
    (10, {"pulse": 130, "capillary_refill_s": 3}, 2),
    (11, {"pulse": 138, "systolic_bp": 84}, 1), (6, {"pulse": 130, "systolic_bp": 85}, 2),
    (4, {"respiratory_rate": 32, "pulse": 145, "spo2": 94}, 2),
    (4, {"respiratory_rate": 32, "pulse": 145, "temperature": 40.2}, 3),
])
def test_children_use_age_specific_ranges_not_news2(age: float, vitals: dict[str, Any],
                                                    level: int, ruleset: RuleSet) -> None:
    result = assess({"age": age, "vitals": vitals}, ruleset)
    assert result.level == level
    assert result.news2["applicable"] is False and result.news2["total"] is None


def test_pregnancy_says_news2_is_not_validated_but_never_lowers(ruleset: RuleSet) -> None:
    sick = {**NORMAL, "respiratory_rate": 26, "pulse": 135, "systolic_bp": 88}
    plain = assess({"age": 30, "vitals": sick}, ruleset)
    pregnant = assess({"age": 30, "pregnant": True, "vitals": sick}, ruleset)
    assert pregnant.news2["applicable"] is False and "pregnancy" in pregnant.news2["note"]
    assert pregnant.level <= plain.level == 1


def test_self_care_needs_a_self_care_rule_and_nothing_else(ruleset: RuleSet) -> None:
    assert assess({"age": 30, "complaint": "runny nose"}, ruleset).disposition == "self-care"
    assert assess({"age": 30, "complaint": "runny nose", "vitals": {"pulse": 115}},
                  ruleset).level == 4
    assert assess({"age": 30, "complaint": "runny nose and vomiting"}, ruleset).level == 4
    assert assess({"age": 30, "complaint": "feeling tired"}, ruleset).level == 4
    flagged = assess({"age": 30, "complaint": "runny nose", "vitals": {"pulse": 230}}, ruleset)
    assert flagged.warnings and flagged.level < 5


def test_implausible_values_are_flagged_not_silent(ruleset: RuleSet) -> None:
    out = assess({"vitals": {"pulse": 250}}, ruleset).to_json()
    assert any("pulse" in w for w in out["warnings"])


@pytest.mark.parametrize(("case", "field"), [
    ({"age": "seventy"}, "age"), ({"sex": 1}, "sex"), ({"pregnant": "no"}, "pregnant"),
    ({"complaint": 5}, "complaint"), ({"pain_score": 11}, "pain_score"),
    ({"vitals": {"spo2": 140}}, "vitals.spo2"), ({"vitals": []}, "vitals"),
    ({"symptoms": "x"}, "symptoms"), ({"age": 200}, "age")])
def test_bad_input_names_the_field(case: dict[str, Any], field: str, ruleset: RuleSet) -> None:
    with pytest.raises(ValidationError) as info:
        assess(case, ruleset)
    assert info.value.field == field


def test_the_assistant_can_raise_but_never_lower(ruleset: RuleSet) -> None:
    base = {"age": 30, "complaint": "sore throat"}
    raised = assess(base, ruleset, assistant={"concepts": ["chest-pain"]})
    assert raised.level == 2 and raised.to_json()["assistant"] == {"concepts": ["chest-pain"]}
    assert any(r.source == "assistant" for r in raised.reasons)
    sick = {"age": 30, "complaint": "chest pain"}
    assert assess(sick, ruleset, assistant={"concepts": ["sore-throat"]}).level == 2
    # a benign concept from the model cannot turn a standard case into self-care
    assert assess({"age": 30, "complaint": "feeling tired"}, ruleset,
                  assistant={"concepts": ["sore-throat"]}).level == 4


# --- invariants ------------------------------------------------------------------------------

CASES = [c["input"] for c in load_cases()]
ABNORMAL = {
    "respiratory_rate": st.sampled_from([5, 9, 22, 26, 35]),
    "spo2": st.sampled_from([84, 90, 93, 95]),
    "on_oxygen": st.just(True),
    "systolic_bp": st.sampled_from([75, 95, 105, 225]),
    "pulse": st.sampled_from([35, 45, 100, 120, 140, 160]),
    "consciousness": st.sampled_from(["C", "V", "P", "U"]),
    "temperature": st.sampled_from([31.0, 35.5, 38.5, 39.5, 41.0]),
    "capillary_refill_s": st.sampled_from([3, 5]),
    "blood_glucose": st.sampled_from([2.5, 25.0]),
}
RED_FLAG_TEXT = ["chest pain", "cant breathe", "sezure", "not breathing", "stiff neck",
                 "took an overdose", "wants to die", "testicle pain", "facial droop",
                 "heavy bleeding", "SOB", "vomiting blood", "fainted", "hit head"]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(CASES), st.data())
def test_adding_an_abnormal_vital_never_lowers_priority(ruleset: RuleSet, case: dict[str, Any],
                                                         data: st.DataObject) -> None:
    vitals = case.get("vitals", {})
    free = [k for k in ABNORMAL if k not in vitals]
    if not free:
        return
    name = data.draw(st.sampled_from(free))
    worse = {**case, "vitals": {**vitals, name: data.draw(ABNORMAL[name])}}
    assert assess(worse, ruleset).level <= assess(case, ruleset).level


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(CASES), st.sampled_from(RED_FLAG_TEXT))
def test_adding_a_red_flag_symptom_never_lowers_priority(ruleset: RuleSet,
                                                          case: dict[str, Any],
                                                          symptom: str) -> None:
    worse = {**case, "complaint": (case.get("complaint", "") + ". " + symptom).lstrip(". ")}
    assert assess(worse, ruleset).level <= assess(case, ruleset).level


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(CASES), st.randoms(use_true_random=False))
def test_field_order_never_matters(ruleset: RuleSet, case: dict[str, Any],
                                   rnd: random.Random) -> None:
    def shuffled(d: dict[str, Any]) -> dict[str, Any]:
        keys = list(d)
        rnd.shuffle(keys)
        return {k: shuffled(d[k]) if isinstance(d[k], dict) else d[k] for k in keys}

    assert assess(shuffled(case), ruleset).to_json() == assess(case, ruleset).to_json()


def test_extracted_vitals_fill_gaps_only_to_raise(ruleset: RuleSet) -> None:
    note = {"age": 50, "complaint": "short of breath, struggling"}
    extracted = {"status": "extracted, unconfirmed",
                 "fields": {"vitals": {"spo2": 88, "respiratory_rate": 30}}}
    raised = assess(note, ruleset, assistant=extracted)
    assert raised.level == 1 and any("assistant extracted" in w for w in raised.warnings)
    # the clinician's own values win over extracted ones, and normal extractions change nothing
    mine = {**note, "vitals": {"spo2": 97, "respiratory_rate": 16}}
    assert assess(mine, ruleset, assistant=extracted).level == assess(mine, ruleset).level
    calm = {"fields": {"vitals": {"spo2": 99}}}
    assert assess(note, ruleset, assistant=calm).to_json()["warnings"] == []
    # impossible extracted values are ignored rather than scored or fatal
    bad = assess(note, ruleset, assistant={"fields": {"vitals": {"spo2": 140}}})
    assert bad.level == assess(note, ruleset).level and bad.to_json()["warnings"] == []


def test_values_written_in_the_complaint_are_read_without_a_model(ruleset: RuleSet) -> None:
    prose = {"age": 40, "complaint": "her pulse is 124 and BP of 84/52 mmHg, feels faint"}
    result = assess(prose, ruleset)
    assert result.level == 1 and result.news2["total"] == 5  # 84 systolic, 124 pulse: shock
    assert any("complaint text" in w for w in result.warnings)
    assert assess({"age": 60, "complaint": "short of breath, sats of 89% on room air"},
                  ruleset).level == 1
    # read values only fill gaps and only raise: a measured value wins, and calm prose changes
    # nothing
    measured = {**prose, "vitals": {"pulse": 80, "systolic_bp": 130}}
    assert assess(measured, ruleset).news2["total"] == 0
    calm = assess({"age": 40, "complaint": "sprained ankle, pulse 72"}, ruleset)
    assert not any("complaint text" in w for w in calm.warnings)
    # a temperature is never read as an age, nor a blood pressure as a pregnancy
    floor = assess({"complaint": "found on floor, confused, temp 104F, resp 30, pulse 130, "
                                 "bp 80/40"}, ruleset)
    assert floor.level == 1 and floor.news2["parameters"]["temperature"]["value"] == 40.0
