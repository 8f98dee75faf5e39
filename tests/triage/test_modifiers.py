"""First-order modifiers (``triage/modifiers.toml``): every band at its edges, the pain grid,
fever with signs of a systemic response, consciousness, and a malformed file refused."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appliance.errors import PackError
from appliance.protocols.pack_rules import load_pack_rules, sample_pack_dir
from appliance.triage import assess
from appliance.triage.rules import RuleSet


def _level(ruleset: RuleSet, age: float = 40, **vitals: Any) -> int:
    return assess({"age": age, "complaint": "", "vitals": vitals}, ruleset).level


def _modifier_levels(ruleset: RuleSet, case: dict[str, Any]) -> dict[str, int]:
    return {r.rule_id or "": r.level for r in assess(case, ruleset).reasons
            if r.source in ("modifier", "pain")}


@pytest.mark.parametrize(("vital", "value", "band", "level"), [
    ("spo2", 89, "spo2-severe", 1), ("spo2", 90, "spo2-moderate", 2),
    ("spo2", 91, "spo2-moderate", 2), ("spo2", 92, "spo2-mild", 3),
    ("spo2", 94, "spo2-mild", 3), ("spo2", 95, None, None),
    ("respiratory_rate", 8, "rr-very-low", 1), ("respiratory_rate", 9, None, None),
    ("respiratory_rate", 29, None, None), ("respiratory_rate", 30, "rr-high", 2),
    ("systolic_bp", 79, "sbp-shock", 1), ("systolic_bp", 80, "sbp-low", 2),
    ("systolic_bp", 89, "sbp-low", 2), ("systolic_bp", 90, None, None),
    # raised blood pressure with no symptoms (no complaint here): one level below the
    # symptomatic grade, as CTAS grades hypertension
    ("systolic_bp", 199, None, None), ("systolic_bp", 200, "bp-high-systolic", 4),
    ("systolic_bp", 219, "bp-high-systolic", 4), ("systolic_bp", 220, "bp-very-high-systolic", 3),
    ("diastolic_bp", 109, None, None), ("diastolic_bp", 110, "bp-high-diastolic", 4),
    ("diastolic_bp", 129, "bp-high-diastolic", 4),
    ("diastolic_bp", 130, "bp-very-high-diastolic", 3),
    ("pulse", 39, "pulse-very-slow", 2), ("pulse", 40, None, None),
    ("pulse", 149, None, None), ("pulse", 150, "pulse-very-fast", 2),
    ("temperature", 31.9, "temperature-very-low", 2), ("temperature", 32.0, "temperature-low", 3),
    ("temperature", 34.9, "temperature-low", 3), ("temperature", 35.0, None, None),
    ("temperature", 41.0, "temperature-very-high", 2),
    ("blood_glucose", 2.9, "glucose-low", 2), ("blood_glucose", 3.0, None, None),
    ("blood_glucose", 18.1, "glucose-high", 3), ("blood_glucose", 18.0, None, None),
])
def test_vital_sign_bands_at_their_edges(ruleset: RuleSet, vital: str, value: float,
                                         band: str | None, level: int | None) -> None:
    found = {k: v for k, v in _modifier_levels(
        ruleset, {"age": 40, "vitals": {vital: value}}).items() if k != "fever"}
    assert found == ({band: level} if band else {})


@pytest.mark.parametrize(("complaint", "vitals", "level", "symptomatic"), [
    ("headache", {"systolic_bp": 225}, 2, True),
    ("sprained ankle", {"systolic_bp": 225}, 3, False),
    ("chest pain and nausea", {"diastolic_bp": 132}, 2, True),
    ("blurred vision", {"systolic_bp": 205}, 3, True),
    ("cut finger", {"systolic_bp": 205}, 4, False),
    ("no headache, cut finger", {"systolic_bp": 205}, 4, False),
])
def test_hypertension_graded_by_its_symptoms(ruleset: RuleSet, complaint: str,
                                             vitals: dict[str, Any], level: int,
                                             symptomatic: bool) -> None:
    reasons = [r for r in assess({"age": 50, "complaint": complaint, "vitals": vitals},
                                 ruleset).reasons if (r.rule_id or "").startswith("bp-")]
    assert [r.level for r in reasons] == [level]
    assert ("(with associated symptoms)" in reasons[0].text) is symptomatic


def test_pregnancy_keeps_its_own_blood_pressure_thresholds(ruleset: RuleSet) -> None:
    """Hypertension without symptoms is less urgent, but not in pregnancy (pre-eclampsia)."""
    case = {"age": 30, "sex": "F", "pregnant": True, "complaint": "routine check",
            "vitals": {"systolic_bp": 150, "diastolic_bp": 112}}
    assert assess(case, ruleset).level == 2


def test_spo2_on_scale_2_uses_its_own_target(ruleset: RuleSet) -> None:
    copd = {"age": 70, "vitals": {"spo2": 88, "spo2_scale": 2}}
    assert "spo2-severe" not in _modifier_levels(ruleset, copd)
    low = {"age": 70, "vitals": {"spo2": 85, "spo2_scale": 2}}
    assert _modifier_levels(ruleset, low)["spo2-scale2-low"] == 2


def test_adult_bands_leave_children_to_their_own_ranges(ruleset: RuleSet) -> None:
    # a pulse of 150 is normal in an infant: the paediatric ranges grade it, not the adult band
    assert "pulse-very-fast" not in _modifier_levels(ruleset, {"age": 0.5,
                                                              "vitals": {"pulse": 150}})


@pytest.mark.parametrize(("acvpu", "level"), [("A", None), ("C", 3), ("V", 2), ("P", 1),
                                              ("U", 1)])
def test_consciousness(ruleset: RuleSet, acvpu: str, level: int | None) -> None:
    found = _modifier_levels(ruleset, {"age": 50, "vitals": {"consciousness": acvpu}})
    assert found.get(f"consciousness-{acvpu}") == level


@pytest.mark.parametrize(("complaint", "pain", "level"), [
    # central (chest, abdomen, head …): severe 2, moderate 3, mild 4
    ("chest pain", 9, 2), ("abdominal pain", 5, 3), ("headache", 2, 4),
    # peripheral (limbs, skin …): severe 3, moderate 4, mild 5
    ("sprained ankle", 9, 3), ("sprained ankle", 5, 4), ("broken wrist", 2, 5),
    # chronic pain is one level less urgent
    ("chronic back pain for years", 5, 4),
    # no complaint to place the pain: graded as central
    ("", 8, 2), ("", 4, 3), ("", 3, 4),
])
def test_pain_grid(ruleset: RuleSet, complaint: str, pain: int, level: int) -> None:
    case = {"age": 40, "complaint": complaint, "pain_score": pain}
    assert _modifier_levels(ruleset, case)["pain-grid"] == level


@pytest.mark.parametrize(("vitals", "complaint", "level"), [
    ({"temperature": 38.5, "pulse": 80, "respiratory_rate": 16}, "fever", 4),
    ({"temperature": 38.5}, "fever", 3),  # pulse and breathing not measured: not assumed normal
    ({"temperature": 39.8, "pulse": 109, "respiratory_rate": 18}, "fever", 3),
    ({"temperature": 39.8, "pulse": 109, "respiratory_rate": 24}, "fever", 2),
    ({"temperature": 38.2}, "fever, on chemotherapy, immunosuppressed", 2),
    ({"temperature": 37.9, "pulse": 130, "respiratory_rate": 24}, "fever", None),
])
def test_fever_graded_by_systemic_response(ruleset: RuleSet, vitals: dict[str, Any],
                                           complaint: str, level: int | None) -> None:
    found = _modifier_levels(ruleset, {"age": 40, "complaint": complaint, "vitals": vitals})
    assert found.get("fever") == level


@settings(max_examples=150, deadline=None)
@given(pain=st.integers(0, 9), spo2=st.integers(80, 99), sbp=st.integers(60, 230))
def test_worse_findings_never_lower_the_priority(ruleset: RuleSet, pain: int, spo2: int,
                                                 sbp: int) -> None:
    base = {"age": 50, "complaint": "abdominal pain", "pain_score": pain,
            "vitals": {"spo2": spo2, "systolic_bp": sbp}}
    level = assess(base, ruleset).level
    assert assess({**base, "pain_score": pain + 1}, ruleset).level <= level
    assert assess({**base, "vitals": {"spo2": spo2 - 1, "systolic_bp": sbp}},
                  ruleset).level <= level


@pytest.fixture()
def pack(tmp_path: Path) -> Path:
    dest = tmp_path / "pack"
    shutil.copytree(sample_pack_dir() / "triage", dest / "triage")
    return dest


@pytest.mark.parametrize(("old", "new", "message"), [
    ("P = 1", "P = 7", "level 1–5"),
    ("central = [2, 3, 4]", "central = [2, 3]", "severe, moderate, mild"),
    ('unknown_site = "central"', 'unknown_site = "both"', "unknown_site"),
    ("severe = 8", "severe = 3", "moderate < severe"),
    ('protocol = "sepsis"', 'protocol = "no-such-doc"', "not in the pack"),
    ('name = "spo2", op = "<", value = 90', 'name = "sats", op = "<", value = 90',
     "unknown vital sign"),
    ("sirs_rr = 20", "sirs_rr = 20\ncolour = 1", "unknown key"),
    ('id = "rr-high"', 'id = "rr-very-low"', "used twice"),
    ("level_without = 4", "", "go together"),
    ('symptoms = ["headache",', 'symptoms = ["no-such-concept", "headache",', "unknown concept"),
    ("level_without = 4", "level_without = 1", "must not be more urgent"),
    ('chronic_when = ["chronic-course",', 'chronic_when = ["no-such-concept",', "chronic_when"),
    ('chronic_when = ["chronic-course", "usual-pattern", "usual-headache"]',
     'chronic_when = "chronic-course"', "list of concept ids"),
    ('strain_when = ["strain-mechanism"]', 'strain_when = ["no-such-concept"]', "strain_when"),
    ('strain_when = ["strain-mechanism"]', 'strain_when = "strain-mechanism"',
     "list of concept ids"),
])
def test_malformed_modifiers_are_refused(pack: Path, old: str, new: str, message: str) -> None:
    path = pack / "triage" / "modifiers.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PackError, match=message):
        load_pack_rules(pack)


def test_pain_in_the_persons_usual_pattern_is_graded_as_chronic(ruleset: RuleSet) -> None:
    """CTAS: chronic pain is long-standing or a known, recurring pain like the usual one."""
    base = {"age": 30, "pain_score": 5}
    assert assess({**base, "complaint": "headache since this morning"}, ruleset).level == 3
    usual = assess({**base, "complaint": "headache, my usual migraine"}, ruleset)
    assert usual.level == 4
    assert any("chronic" in r.text for r in usual.reasons if r.source == "pain")


def test_back_pain_from_a_strain_is_graded_as_musculoskeletal_pain(ruleset: RuleSet) -> None:
    """CTAS: pain from muscles and joints is peripheral; back pain told without a cause stays
    central (the KTAS panel grades moderate back pain Urgent)."""
    base = {"age": 37, "pain_score": 6}
    assert assess({**base, "complaint": "low back pain"}, ruleset).level == 3
    strained = assess({**base, "complaint": "low back pain after lifting boxes at work"},
                      ruleset)
    assert strained.level == 4
    assert any("peripheral" in r.text for r in strained.reasons if r.source == "pain")
    # severe pain from a strain is still urgent, and a chronic flare is stepped down once only
    assert assess({**base, "pain_score": 9, "complaint": "back pain after lifting a sofa"},
                  ruleset).level == 3
    flare = {**base, "complaint": "chronic back pain, flare after gardening, same as usual"}
    assert assess(flare, ruleset).level == 4
    # a strain does not make chest or abdominal pain peripheral
    assert assess({**base, "complaint": "chest pain after lifting boxes"}, ruleset).level <= 2
