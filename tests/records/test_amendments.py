"""Corrections keep the original, are checked like a first entry, and respect who may make them."""

from __future__ import annotations

import pytest

from appliance.errors import PermissionDenied, ValidationError
from appliance.records import amendments, encounters, patients
from appliance.session import Session

VITALS = {"respiratory_rate": 20, "spo2": 96, "on_oxygen": False, "systolic_bp": 120,
          "diastolic_bp": 70, "pulse": 90, "consciousness": "A", "temperature": 37.0}


def _obs(session: Session) -> tuple[str, str]:
    eid = encounters.open_encounter(session)
    oid, _ = encounters.record_observation(session, eid, dict(VITALS))
    return eid, oid


def _count(session: Session, table: str) -> int:
    return int(session.db.scalar(f"SELECT COUNT(*) FROM {table}"))


def test_correcting_an_observation_keeps_the_original_and_rescores_news2(
        paramedic: Session) -> None:
    eid, oid = _obs(paramedic)
    amendments.amend(paramedic, "observation", oid, "respiratory_rate", "26",
                     "misread the count")
    row = paramedic.db.query("SELECT * FROM observations WHERE id = ?", (oid,))[0]
    assert row["respiratory_rate"] == 26 and row["news2_total"] == 3
    history = amendments.history(paramedic, eid)
    assert [(h["field"], h["old_value"], h["new_value"]) for h in history] == [
        ("respiratory_rate", "20", "26"), ("news2_total", "0", "3")]
    assert history[0]["amended_by_name"] and history[0]["reason"] == "misread the count"
    assert history[0]["amended_at"]


def test_an_impossible_corrected_value_is_refused_and_changes_nothing(
        paramedic: Session) -> None:
    _, oid = _obs(paramedic)
    for value in ("400", "fast", ""):
        with pytest.raises(ValidationError) as err:
            amendments.amend(paramedic, "observation", oid, "pulse", value, "typo")
        assert err.value.field == "pulse"
    assert _count(paramedic, "amendments") == 0


def test_a_correction_needs_a_reason(paramedic: Session) -> None:
    _, oid = _obs(paramedic)
    with pytest.raises(ValidationError) as err:
        amendments.amend(paramedic, "observation", oid, "pulse", "95", "   ")
    assert err.value.field == "reason"
    assert _count(paramedic, "amendments") == 0


def test_a_paramedic_cannot_correct_a_clinicians_entry(paramedic: Session,
                                                       clinician: Session) -> None:
    _, oid = _obs(clinician)
    with pytest.raises(PermissionDenied):
        amendments.amend(paramedic, "observation", oid, "pulse", "95", "typo")
    assert _count(paramedic, "amendments") == 0


def test_a_clinician_may_correct_a_paramedics_entry(paramedic: Session,
                                                    clinician: Session) -> None:
    eid, _ = _obs(paramedic)
    nid = encounters.add_note(paramedic, eid, "Pt c/o CP")
    amendments.amend(clinician, "note", nid, "text", "Pt c/o chest pain", "clarity")
    [row] = amendments.history(clinician, eid)
    assert row["amended_by"] == clinician.user.id and row["old_value"] == "Pt c/o CP"


def test_a_wrong_nhs_check_digit_is_refused_as_a_correction(paramedic: Session) -> None:
    pid = patients.register(paramedic, family_name="Smith")
    with pytest.raises(ValidationError) as err:
        amendments.amend(paramedic, "patient", pid, "nhs_number", "9434765918", "typo")
    assert err.value.field == "nhs_number"
    amendments.amend(paramedic, "patient", pid, "nhs_number", "943 476 5919", "from card")
    assert patients.get(paramedic, pid)["nhs_number"] == "9434765919"  # type: ignore[index]


def test_a_drug_dose_correction_keeps_the_unit_rule(paramedic: Session) -> None:
    from appliance.records import interventions

    eid = encounters.open_encounter(paramedic)
    iid = interventions.record(paramedic, eid, "drug", "Aspirin", dose="300", dose_unit="mg",
                               route="PO")
    with pytest.raises(ValidationError):
        amendments.amend(paramedic, "intervention", iid, "dose", "3oo", "typo")
    amendments.amend(paramedic, "intervention", iid, "dose", "150", "half dose given")
    assert [h["new_value"] for h in amendments.history(paramedic, eid)] == ["150"]
