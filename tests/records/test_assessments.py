"""Triage in the record: the engine's result is kept; the clinician confirms or overrides."""

from __future__ import annotations

import json

import pytest

from appliance.errors import PermissionDenied, ValidationError
from appliance.records import assessments, encounters
from appliance.session import Session

RESULT = {"priority": {"level": 2, "name": "Very urgent"}, "disposition": "emergency",
          "reasons": ["NEWS2 5: urgent response threshold"], "rules_version": "r1+lexicon-1",
          "pack_version": "2026.11", "red_flags": [], "assistant": None}


def test_the_engine_result_is_stored_whole_with_its_versions(paramedic: Session) -> None:
    enc = encounters.open_encounter(paramedic)
    aid = assessments.record(paramedic, enc, RESULT)
    row = paramedic.db.query("SELECT * FROM assessments WHERE id = ?", (aid,))[0]
    assert (row["priority"], row["status"]) == (2, "proposed")
    assert (row["rules_version"], row["pack_version"]) == ("r1+lexicon-1", "2026.11")
    assert json.loads(row["result_json"]) == RESULT
    assert encounters.detail(paramedic, enc)["encounter"]["priority"] == 2


def test_confirming_keeps_the_engine_priority_and_records_who(paramedic: Session) -> None:
    enc = encounters.open_encounter(paramedic)
    aid = assessments.record(paramedic, enc, RESULT)
    assessments.confirm(paramedic, aid)
    row = paramedic.db.query("SELECT * FROM assessments WHERE id = ?", (aid,))[0]
    assert (row["status"], row["final_priority"], row["decided_by"]) == (
        "confirmed", 2, paramedic.user.id)


def test_an_override_needs_a_reason_and_keeps_the_original(paramedic: Session) -> None:
    enc = encounters.open_encounter(paramedic)
    aid = assessments.record(paramedic, enc, RESULT)
    with pytest.raises(ValidationError) as err:
        assessments.override(paramedic, aid, 1, "   ")
    assert err.value.field == "override_reason"
    assessments.override(paramedic, aid, 1, "looks peri-arrest")
    row = paramedic.db.query("SELECT * FROM assessments WHERE id = ?", (aid,))[0]
    assert (row["priority"], row["final_priority"], row["override_reason"]) == (
        2, 1, "looks peri-arrest")
    assert encounters.detail(paramedic, enc)["encounter"]["priority"] == 1
    types = [r["type"] for r in paramedic.db.query(
        "SELECT type FROM events WHERE entity = 'assessment' ORDER BY id")]
    assert types == ["assessment.recorded", "assessment.decided"]


def test_a_decided_assessment_is_never_decided_again(paramedic: Session) -> None:
    enc = encounters.open_encounter(paramedic)
    aid = assessments.record(paramedic, enc, RESULT)
    assessments.confirm(paramedic, aid)
    with pytest.raises(ValidationError, match="already confirmed"):
        assessments.override(paramedic, aid, 3, "changed my mind")


@pytest.mark.parametrize("bad", [{"priority": {"level": 7}}, {"priority": None}, [1, 2]])
def test_a_result_without_a_priority_is_refused(paramedic: Session, bad: object) -> None:
    enc = encounters.open_encounter(paramedic)
    with pytest.raises(ValidationError):
        assessments.record(paramedic, enc, bad)
    assert paramedic.db.query("SELECT COUNT(*) AS n FROM assessments")[0]["n"] == 0


def test_an_it_admin_cannot_decide_triage(device: object, paramedic: Session) -> None:
    enc = encounters.open_encounter(paramedic)
    aid = assessments.record(paramedic, enc, RESULT)
    admin = device.login("admin", "999999")  # type: ignore[attr-defined]
    try:
        with pytest.raises(PermissionDenied):
            assessments.confirm(admin, aid)
    finally:
        admin.close()
