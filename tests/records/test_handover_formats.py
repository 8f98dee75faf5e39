"""ATMIST or SBAR for any patient; allergies and medications read back; the recommendation
follows where the patient is."""

from __future__ import annotations

import pytest

from appliance.errors import ValidationError
from appliance.records import encounters, handover, patients
from appliance.session import Session


def _medical(session: Session, **enc: object) -> str:
    pid = patients.register(session, family_name="Khan", sex="M", estimated_age=70,
                            allergies="penicillin - rash", medications="ramipril 5mg od")
    eid = encounters.open_encounter(session, patient_id=pid, kind="medical",
                                    presenting_complaint="central chest pain", **enc)
    encounters.record_observation(session, eid, {"respiratory_rate": 22, "pulse": 104})
    encounters.add_note(session, eid, "pain since 0900, sweaty")
    return eid


def _lines(h: handover.Handover) -> dict[str, str]:
    return {line.label: line.text for line in h.lines}


def test_a_medical_patient_gets_atmist_with_complaint_and_findings(paramedic: Session) -> None:
    h = handover.generate(encounters.detail(paramedic, _medical(paramedic)), fmt="ATMIST")
    assert h.format == "ATMIST"
    assert [(line.section, line.label) for line in h.lines] == [
        ("A", "Age"), ("T", "Time of onset"), ("M", "Medical"), ("I", "Illness"),
        ("S", "Signs"), ("T", "Treatment"), ("+", "Allergies"), ("+", "Medications")]
    lines = _lines(h)
    assert lines["Medical"] == "presenting complaint: central chest pain"
    assert "not triaged" in lines["Illness"] and "pain since 0900, sweaty" in lines["Illness"]
    assert lines["Allergies"] == "penicillin - rash"
    assert lines["Medications"] == "ramipril 5mg od"


def test_sbar_reads_back_allergies_and_medications(paramedic: Session) -> None:
    h = handover.generate(encounters.detail(paramedic, _medical(paramedic)))
    assert h.format == "SBAR"
    assert _lines(h)["Allergies"] == "penicillin - rash"
    text = handover.to_text(h)
    assert "B  Allergies: penicillin - rash" in text and "B  Medications: ramipril" in text


def test_nothing_recorded_is_said_so(paramedic: Session) -> None:
    eid = encounters.open_encounter(paramedic, kind="trauma", presenting_complaint="fall")
    lines = _lines(handover.generate(encounters.detail(paramedic, eid)))
    assert (lines["Allergies"], lines["Medications"]) == ("not recorded", "not recorded")


def test_before_hospital_the_recommendation_says_where_to_go(paramedic: Session) -> None:
    eid = _medical(paramedic)
    encounters.set_priority(paramedic, eid, 2, "Very urgent", "emergency")
    lines = _lines(handover.generate(encounters.detail(paramedic, eid)))
    assert lines["Recommendation"] == "disposition: Emergency department now / 999"


@pytest.mark.parametrize(("enc", "where"), [({"area": "Majors"}, "in ED (Majors)"),
                                            ({"arrival": "ambulance"}, "in ED")])
def test_in_ed_the_recommendation_is_what_happens_next_there(
        paramedic: Session, enc: dict[str, str], where: str) -> None:
    eid = _medical(paramedic, **enc)
    encounters.set_priority(paramedic, eid, 2, "Very urgent", "emergency")
    text = _lines(handover.generate(encounters.detail(paramedic, eid)))["Recommendation"]
    assert text.startswith(f"{where}: ") and "senior review" in text
    assert "999" not in text and "Emergency department now" not in text


def test_in_ed_untriaged_says_triage_now(paramedic: Session) -> None:
    eid = _medical(paramedic, area="Resus")
    text = _lines(handover.generate(encounters.detail(paramedic, eid)))["Recommendation"]
    assert text == "in ED (Resus): not triaged yet: triage now"


def test_an_unknown_format_is_refused(paramedic: Session) -> None:
    with pytest.raises(ValidationError):
        handover.generate(encounters.detail(paramedic, _medical(paramedic)), fmt="SOAP")
