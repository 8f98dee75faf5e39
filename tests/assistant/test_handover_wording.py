"""Handover wording: the model may tidy a line, and code refuses anything that changes a fact."""

from __future__ import annotations

import re
from typing import Any

import pytest

from appliance.assistant.handover_wording import (
    PROMPT_VERSION,
    HandoverWording,
    check,
    content,
)
from appliance.errors import ModelError
from appliance.records import encounters, handover, interventions, patients
from appliance.session import Session
from tests.assistant.conftest import ScriptedRuntime

NUMBERS = re.compile(r"\d+(?:[.:/]\d+)*")
SIGNS = "14:10 RR 22, SpO2 95% air, BP 105/70, HR 112, NEWS2 5 (incomplete)"


@pytest.mark.parametrize("rewritten", [
    "The pedestrian was hit by a car at 30 mph.",
    "Pedestrian hit by car at 30 mph",
    "pedestrian, hit by a car, at 30 mph",
])
def test_joining_words_punctuation_and_case_may_change(rewritten: str) -> None:
    assert check("pedestrian hit by car at 30 mph", rewritten) is None


@pytest.mark.parametrize(("rewritten", "reason"), [
    ("pedestrian hit by car at 40 mph", "drops 30"),  # a number changed
    ("pedestrian hit by car", "drops 30"),  # a number dropped
    ("pedestrian hit by car at 30 mph, GCS 15", "adds 15"),  # a number added
    ("pedestrian hit by car at 30 km/h", "drops 'mph'"),  # a unit changed
    ("pedestrian hit by a lorry at 30 mph", "drops 'car'"),  # a fact word changed
    ("unconscious pedestrian hit by car at 30 mph", "adds 'unconscious'"),  # a new fact word
    ("pedestrian not hit by car at 30 mph", "adds 'not'"),  # a negation is a fact
    ("pedestrian hit by car twice at 30 mph", "adds 'twice'"),  # so is a number word
    ("car hit by pedestrian at 30 mph", "changes the order of the facts"),
    ("", "empty"),
    ("pedestrian hit by car at 30 mph " + "and " * 30, "much longer than the recorded line"),
])
def test_a_rewording_that_changes_a_fact_is_refused(rewritten: str, reason: str) -> None:
    assert check("pedestrian hit by car at 30 mph", rewritten) == reason


@pytest.mark.parametrize(("rewritten", "why"), [
    ("14:10 RR 22, SpO2 95% air, BP 105/70, HR 112, NEWS2 5", "drops 'incomplete'"),
    ("14:10 HR 22, SpO2 95% air, BP 105/70, RR 112, NEWS2 5 (incomplete)", "order"),
    ("14:10 RR 22, SpO2 95% on oxygen, BP 105/70, HR 112, NEWS2 5 (incomplete)", "drops 'air'"),
    ("14:10 RR 22, SpO2 95 air, BP 105/70, HR 112, NEWS2 5 (incomplete)", "drops '%'"),
    ("14:10 RR 22, SpO2 95% air, BP 105/7, HR 112, NEWS2 5 (incomplete)", "drops 105/70"),
    ("14:01 RR 22, SpO2 95% air, BP 105/70, HR 112, NEWS2 5 (incomplete)", "drops 14:10"),
    ("At 14:10 RR 22, SpO2 95% air, BP 105/70, HR 112, NEWS2 of 5 (incomplete)", None),
])
def test_observations_keep_every_label_value_and_unit(rewritten: str, why: str | None) -> None:
    reason = check(SIGNS, rewritten)
    assert (reason is None) if why is None else (reason is not None and why in reason)


def test_a_single_capital_letter_is_a_value_not_the_word_a() -> None:
    assert check("ACVPU A, T 37.2°C", "ACVPU, T 37.2°C") is not None  # ACVPU "A" dropped
    assert check("ACVPU A, T 37.2°C", "ACVPU a, T 37.2°C") is not None
    assert check("ACVPU A, T 37.2°C", "ACVPU A and T 37.2°C.") is None


def test_drug_dose_and_route_stay_together() -> None:
    line = "Morphine sulfate 5 mg IV; Paracetamol 1 g oral"
    assert check(line, "Morphine sulfate 5 mg IV and Paracetamol 1 g oral.") is None
    assert check(line, "Morphine sulfate 1 g IV and Paracetamol 5 mg oral.") is not None
    assert check(line, "Morphine 5 mg IV and Paracetamol 1 g oral.") == "drops 'sulfate'"
    assert check(line, "The treatment was Morphine sulfate 5 mg IV and Paracetamol 1 g oral"
                 ) == "adds 'treatment'"  # even the section's name: it would only repeat it


def test_content_ignores_joining_words_and_plurals() -> None:
    assert content("The patient is 71 years old") == content("71 year") == ["71", "year"]


def test_the_model_s_wording_is_used_only_when_it_passes() -> None:
    runtime = ScriptedRuntime("The pedestrian was hit by a car at 30 mph.",
                              "The pedestrian was hit by a car at 40 mph.",
                              ModelError("boom"))
    wording = HandoverWording(runtime)  # type: ignore[arg-type]
    line = "pedestrian hit by car at 30 mph"
    assert wording(line, "Mechanism") == "The pedestrian was hit by a car at 30 mph."
    assert wording(line, "Mechanism") == line  # 30 became 40: the recorded line stays
    assert wording(line, "Mechanism") == line  # a model failure: the recorded line stays
    assert [o.refused for o in wording.outcomes] == [None, "drops 30", "model error (ModelError)"]
    assert (wording.reworded, wording.refused) == (1, 2)
    assert wording.provenance() == {"model": "scripted-test-runtime", "sha256": "0" * 64,
                                    "prompt_version": PROMPT_VERSION}
    wording.cancel.set()
    assert wording(line, "Mechanism") == line and wording.outcomes[-1].refused == "cancelled"
    assert len(runtime.prompts) == 3  # cancelled: the model was not asked


def test_only_the_first_line_counts_and_a_full_stop_alone_changes_nothing() -> None:
    wording = HandoverWording(ScriptedRuntime(  # type: ignore[arg-type]
        "Mechanism: The pedestrian was hit by a car at 30 mph.\n\nI made it clearer.",
        "pedestrian hit by car at 30 mph."))
    line = "pedestrian hit by car at 30 mph"
    assert wording(line, "Mechanism") == "The pedestrian was hit by a car at 30 mph."
    assert wording(line, "Mechanism") == line and wording.reworded == 1


def _trauma(session: Session) -> str:
    pid = patients.register(session, family_name="Smith", given_name="Ann", sex="F",
                            date_of_birth="1954-03-02")
    enc = encounters.open_encounter(session, patient_id=pid, kind="trauma",
                                    presenting_complaint="open fracture left tibia",
                                    mechanism="pedestrian hit by car at 30 mph")
    encounters.record_observation(session, enc, {"respiratory_rate": 22, "spo2": 95,
                                                 "systolic_bp": 105, "diastolic_bp": 70,
                                                 "pulse": 112, "consciousness": "A",
                                                 "temperature": 37.2})
    interventions.record(session, enc, "drug", "Morphine sulfate", dose="5", dose_unit="mg",
                         route="IV")
    return enc


@pytest.mark.assistant
def test_the_bundled_model_smooths_a_real_handover_without_changing_a_fact(
        paramedic: Session, real_runtime: Any) -> None:
    recorded = handover.generate(encounters.detail(paramedic, _trauma(paramedic)))
    wording = HandoverWording(real_runtime)
    smoothed = handover.smooth(recorded, wording, wording.provenance())
    assert len(wording.outcomes) == len(recorded.lines)
    for before, after in zip(recorded.lines, smoothed.lines, strict=True):
        assert after.from_record == before.text
        if after.model_written:
            assert check(before.text, after.text) is None
            assert NUMBERS.findall(after.text) == NUMBERS.findall(before.text)
        else:
            assert after.text == before.text  # refused wording: the recorded line, unchanged
    facts = content(handover.to_text(smoothed))
    for fact in ("30 mph", "RR 22", "SpO2 95%", "105/70", "HR 112", "Morphine sulfate 5 mg IV",
                 "T 37.2°C", "ACVPU A", "open fracture left tibia", "born 02/03/1954"):
        words = content(fact)
        assert any(facts[i:i + len(words)] == words for i in range(len(facts))), fact
    if smoothed.has_model_lines:
        assert smoothed.model == wording.provenance()
        assert PROMPT_VERSION in handover.to_text(smoothed)
