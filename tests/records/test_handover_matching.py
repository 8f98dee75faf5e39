"""Handover from the record (facts only, model lines marked) and unknown-patient matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.errors import ValidationError
from appliance.records import assessments, encounters, handover, interventions, matching, patients
from appliance.session import Session


def _trauma(session: Session) -> str:
    pid = patients.register(session, family_name="Smith", given_name="Ann", sex="F",
                            date_of_birth="1954-03-02")
    enc = encounters.open_encounter(session, patient_id=pid, kind="trauma",
                                    presenting_complaint="open fracture left tibia",
                                    mechanism="pedestrian hit by car at 30 mph")
    encounters.record_observation(session, enc, {"respiratory_rate": 22, "spo2": 95,
                                                 "systolic_bp": 105, "pulse": 112})
    interventions.record(session, enc, "drug", "Morphine sulfate", dose="5", dose_unit="mg",
                         route="IV")
    return enc


def test_trauma_gets_atmist_from_recorded_facts(paramedic: Session) -> None:
    h = handover.generate(encounters.detail(paramedic, _trauma(paramedic)))
    assert h.format == "ATMIST"
    assert [line.section for line in h.lines] == ["A", "T", "M", "I", "S", "T", "+", "+"]
    text = handover.to_text(h)
    assert "pedestrian hit by car" in text and "Morphine sulfate 5 mg IV" in text
    assert "RR 22" in text and "female" in text and "model-written" not in text


def test_medical_gets_sbar_with_triage_and_disposition(paramedic: Session) -> None:
    enc = encounters.open_encounter(paramedic, kind="medical", presenting_complaint="SOB")
    aid = assessments.record(paramedic, enc, {"priority": {"level": 3}, "disposition": "urgent",
                                              "reasons": ["NEWS2 5"]})
    assessments.override(paramedic, aid, 2, "work of breathing")
    h = handover.generate(encounters.detail(paramedic, enc))
    assert h.format == "SBAR" and [ln.section for ln in h.lines][0] == "S"
    text = handover.to_text(h)
    assert "overridden from engine priority 3: work of breathing" in text
    assert "Same-day clinical assessment" in text


def test_model_smoothing_is_marked_and_edits_are_kept(paramedic: Session) -> None:
    h = handover.generate(encounters.detail(paramedic, _trauma(paramedic)))
    h = handover.edit(h, 2, "hit by a car at about 30 mph")
    h = handover.smooth(h, lambda text, _label: text.replace("not recorded", "unknown").upper())
    assert h.lines[2].source == "edited" and h.lines[2].text == "hit by a car at about 30 mph"
    assert all(line.source == "model" for i, line in enumerate(h.lines) if i != 2)
    assert "[model-written]" in handover.to_text(h) and h.has_model_lines
    with pytest.raises(ValidationError):
        handover.edit(h, 0, "  ")


def test_export_writes_text_and_escaped_html_and_signing_stores_a_note(
        paramedic: Session, lifeboat_home: Path) -> None:
    pid = patients.register(paramedic, family_name="<script>O'Neil")
    enc = encounters.open_encounter(paramedic, patient_id=pid, kind="trauma")
    h = handover.generate(encounters.detail(paramedic, enc))
    txt, page = handover.export(paramedic, h)
    assert txt.parent == lifeboat_home / "exports" and txt.read_text().startswith("ATMIST")
    assert "<script>O" not in page.read_text() and "&lt;script&gt;" in page.read_text()
    assert txt.stat().st_mode & 0o077 == 0
    note = handover.sign(paramedic, h)
    assert paramedic.db.query("SELECT kind FROM notes WHERE id = ?", (note,))[0]["kind"] == \
        "handover"


def test_an_unknown_patient_is_linked_once_identified(paramedic: Session) -> None:
    known = patients.register(paramedic, family_name="Patel", nhs_number="9434765919")
    unknown = patients.register(paramedic, sex="M", estimated_age=40)
    found = matching.candidates(paramedic, nhs="943 476 5919")
    assert [r["id"] for r in found] == [known]
    matching.link(paramedic, unknown, known)
    row = paramedic.db.query("SELECT linked_to FROM patients WHERE id = ?", (unknown,))[0]
    assert row["linked_to"] == known
    with pytest.raises(ValidationError):
        matching.link(paramedic, unknown, known)
    with pytest.raises(ValidationError):
        matching.link(paramedic, known, unknown)


def test_a_linked_unknown_patients_handover_names_the_linked_patient(paramedic: Session) -> None:
    known = patients.register(paramedic, family_name="Patil", given_name="Raj",
                              nhs_number="9434765919", date_of_birth="1961-05-04", sex="M")
    unknown = patients.register(paramedic)
    enc = encounters.open_encounter(paramedic, patient_id=unknown, kind="trauma")
    assert handover.generate(encounters.detail(paramedic, enc)).patient == "Unknown patient"
    matching.link(paramedic, unknown, known)
    h = handover.generate(encounters.detail(paramedic, enc))
    assert h.patient == "Raj Patil (NHS 943 476 5919) (linked)"
    assert "male (born 04/05/1961)" in h.lines[0].text  # none recorded on the unknown record
    assert handover.to_text(h).startswith("ATMIST handover — Raj Patil (NHS 943 476 5919) "
                                          "(linked)")
    matching.remove_link(paramedic, unknown, "not Raj")
    assert handover.generate(encounters.detail(paramedic, enc)).patient == "Unknown patient"


def test_a_linked_patient_keeps_what_was_recorded_on_scene(paramedic: Session) -> None:
    known = patients.register(paramedic, family_name="Patil", date_of_birth="1961-05-04")
    unknown = patients.register(paramedic, sex="F", estimated_age=40)
    enc = encounters.open_encounter(paramedic, patient_id=unknown, kind="trauma")
    matching.link(paramedic, unknown, known)
    h = handover.generate(encounters.detail(paramedic, enc))
    assert h.patient == "Patil (linked)"
    assert h.lines[0].text == "about 40 years (estimated), female"


def test_the_record_header_names_a_linked_unknown_patient(paramedic: Session) -> None:
    known = patients.register(paramedic, family_name="Patil", given_name="Raj")
    unknown = patients.register(paramedic)
    enc = encounters.open_encounter(paramedic, patient_id=unknown)
    assert encounters.header(paramedic, enc) == {"priority": None, "priority_name": None,
                                                  "linked_name": None}
    matching.link(paramedic, unknown, known)
    assert encounters.header(paramedic, enc)["linked_name"] == "PATIL, Raj (linked)"
    named = encounters.open_encounter(paramedic, patient_id=known)
    assert encounters.header(paramedic, named)["linked_name"] is None
    assert encounters.header(paramedic, "01NOSUCHENCOUNTER") is None
