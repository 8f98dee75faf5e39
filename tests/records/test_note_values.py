"""Values read from a note are written only when accepted, and never replace what is recorded."""

from __future__ import annotations

from appliance.assistant.extraction import extract
from appliance.records import encounters, note_values, patients
from appliance.session import Session

NOTE = "72M fell at home, HR 112 BP 98/60 RR 24 sats 93% RA, GCS 15"


def _accepted_from(note: str) -> list[tuple[str, object]]:
    return [(v.field, v.value) for v in extract(note, None).values
            if note_values.recordable(v.field)]


def test_accepting_writes_an_observation_set_and_the_patient(paramedic: Session) -> None:
    eid = encounters.open_encounter(paramedic, kind="medical")
    pairs = _accepted_from(NOTE)
    assert ("gcs", 15) not in pairs  # no record field for it: never offered
    out = note_values.accept(paramedic, eid, pairs)
    obs = paramedic.db.query("SELECT * FROM observations")
    assert [(o["pulse"], o["systolic_bp"], o["diastolic_bp"], o["respiratory_rate"],
             o["spo2"], o["on_oxygen"], o["consciousness"]) for o in obs] == [
        (112, 98, 60, 24, 93, 0, "A")]
    patient = paramedic.db.query("SELECT * FROM patients")[0]
    assert (patient["estimated_age"], patient["sex"]) == (72, "M")
    assert out.patient_id == patient["id"]
    enc = paramedic.db.query("SELECT patient_id, mechanism FROM encounters")[0]
    assert enc["patient_id"] == patient["id"]


def test_allergies_are_added_to_and_recorded_fields_kept(paramedic: Session) -> None:
    pid = patients.register(paramedic, family_name="Khan", date_of_birth="1950-01-01",
                            allergies="latex", sex="F")
    eid = encounters.open_encounter(paramedic, patient_id=pid, mechanism="fall from ladder")
    out = note_values.accept(paramedic, eid, [
        ("allergies", ["penicillin"]), ("allergies", "LATEX"), ("medications", "aspirin 75mg"),
        ("age", 60), ("sex", "M"), ("mechanism", "trip")])
    row = paramedic.db.query("SELECT * FROM patients")[0]
    assert (row["allergies"], row["medications"], row["estimated_age"], row["sex"]) == (
        "latex; penicillin", "aspirin 75mg", None, "F")
    assert paramedic.db.query("SELECT mechanism FROM encounters")[0]["mechanism"] == \
        "fall from ladder"
    assert out.kept == ["age (from the date of birth)", "sex (already recorded)",
                        "mechanism (already recorded)"]


def test_nothing_accepted_writes_nothing(paramedic: Session) -> None:
    eid = encounters.open_encounter(paramedic, kind="medical")
    before = paramedic.db.query("SELECT COUNT(*) AS n FROM events")[0]["n"]
    note_values.accept(paramedic, eid, [])
    assert paramedic.db.query("SELECT COUNT(*) AS n FROM events")[0]["n"] == before


def test_an_allergy_is_corrected_with_a_reason_and_the_original_kept(
        paramedic: Session) -> None:
    from appliance.records import amendments

    pid = patients.register(paramedic, family_name="Khan", allergies="penicilin")
    amendments.amend(paramedic, "patient", pid, "allergies", "penicillin - rash",
                     "spelling, reaction asked")
    row = paramedic.db.query("SELECT allergies FROM patients")[0]
    kept = paramedic.db.query("SELECT old_value, new_value FROM amendments")[0]
    assert row["allergies"] == "penicillin - rash"
    assert (kept["old_value"], kept["new_value"]) == ("penicilin", "penicillin - rash")


def test_an_impossible_value_refuses_the_whole_acceptance(paramedic: Session) -> None:
    import pytest

    from appliance.errors import ValidationError

    eid = encounters.open_encounter(paramedic, kind="medical")
    before = paramedic.db.query("SELECT COUNT(*) AS n FROM events")[0]["n"]
    with pytest.raises(ValidationError):
        note_values.accept(paramedic, eid, [("allergies", "latex"), ("vitals.pulse", 900)])
    assert paramedic.db.query("SELECT COUNT(*) AS n FROM events")[0]["n"] == before
