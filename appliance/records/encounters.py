"""Encounters: open, update, record observations, close; the open list the board shows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from appliance.errors import ValidationError
from appliance.records import matching
from appliance.security.roles import Permission
from appliance.session import Session
from appliance.store.events import now_iso

ENCOUNTER_FIELDS = ("patient_id", "area", "kind", "presenting_complaint", "incident_time",
                    "location", "mechanism", "call_category", "arrival")
KINDS = ("medical", "trauma")
OBSERVATION_FIELDS = ("respiratory_rate", "spo2", "spo2_scale", "on_oxygen", "systolic_bp",
                      "diastolic_bp", "pulse", "consciousness", "temperature",
                      "capillary_refill_s", "pain_score", "blood_glucose")


def _parse_time(value: str, field: str) -> str:
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError("Times must look like 2026-11-23T14:05.", field=field) from None
    if when.tzinfo is None:
        when = when.astimezone()
    if when > datetime.now(UTC).astimezone() and (when - datetime.now(UTC)).total_seconds() > 300:
        raise ValidationError("That time is in the future.", field=field)
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in ENCOUNTER_FIELDS:
            raise ValidationError(f"Unknown encounter field '{key}'.", field=key)
        if isinstance(value, str):
            value = value.strip() or None
        if key == "kind" and value is not None and value not in KINDS:
            raise ValidationError("Kind must be medical or trauma.", field=key)
        if key == "incident_time" and value is not None:
            value = _parse_time(value, key)
        out[key] = value
    return out


def open_encounter(session: Session, **fields: Any) -> str:
    clean = _clean(fields)
    clean.update(opened_at=now_iso(), opened_by=session.user.id, status="open")
    return session.write("encounter.opened", None,
                         {k: v for k, v in clean.items() if v is not None}).entity_id


def update(session: Session, encounter_id: str, **fields: Any) -> None:
    """Fill in or change incident fields; another user's values change only by amendment."""
    from appliance.records.ownership import refuse_overwrite

    change = update_change(encounter_id, **fields)
    refuse_overwrite(session, "encounters", "opened_by", encounter_id, change[2], "record")
    session.write(*change)


Change = tuple[str, str | None, dict[str, Any]]  # (event type, entity id, payload)


def update_change(encounter_id: str, **fields: Any) -> Change:
    """The event ``update`` writes, for ``Session.write_all`` with other changes."""
    clean = _clean(fields)
    clean["updated_at"] = now_iso()
    return ("encounter.updated", encounter_id, clean)


def priority_change(encounter_id: str, priority: int, name: str,
                    disposition: str | None) -> Change:
    """The event that shows a priority on the board (written with what decided it)."""
    return ("encounter.updated", encounter_id,
            {"priority": priority, "priority_name": name, "disposition": disposition,
             "updated_at": now_iso()})


def set_priority(session: Session, encounter_id: str, priority: int, name: str,
                 disposition: str | None) -> None:
    session.write(*priority_change(encounter_id, priority, name, disposition))


def close(session: Session, encounter_id: str, disposition: str) -> None:
    if not disposition.strip():
        raise ValidationError("Say where the patient went before closing.", field="disposition")
    session.write("encounter.closed", encounter_id,
                  {"status": "closed", "closed_at": now_iso(), "disposition": disposition})


def record_observation(session: Session, encounter_id: str, vitals: dict[str, Any],
                       taken_at: str | None = None) -> tuple[str, list[str]]:
    """Validate a set of vital signs, score NEWS2 and save it; returns (id, warnings)."""
    from appliance.triage import news2
    from appliance.triage.vitals import validate_vitals

    unknown = set(vitals) - set(OBSERVATION_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown observation field(s): {sorted(unknown)}.",
                              field=sorted(unknown)[0])
    vitals = dict(vitals)
    pain = vitals.pop("pain_score", None)  # recorded with the set, not a NEWS2 parameter
    if pain is not None and (isinstance(pain, bool) or not isinstance(pain, int)
                             or not 0 <= pain <= 10):
        raise ValidationError("Pain score is a whole number from 0 to 10.", field="pain_score")
    clean, warnings = validate_vitals(vitals)
    clean = {k: v for k, v in clean.items() if k in OBSERVATION_FIELDS and v is not None}
    if pain is not None:
        clean["pain_score"] = pain
    if not clean:
        raise ValidationError("Enter at least one observation.")
    score = news2.score({k: v for k, v in clean.items() if k != "pain_score"})
    payload: dict[str, Any] = dict(clean)
    if "on_oxygen" in payload:
        payload["on_oxygen"] = int(bool(payload["on_oxygen"]))
    payload.update(encounter_id=encounter_id,
                   taken_at=_parse_time(taken_at, "taken_at") if taken_at else now_iso(),
                   news2_total=score.total, news2_complete=int(score.complete),
                   recorded_by=session.user.id, recorded_at=now_iso())
    return session.write("observation.recorded", None, payload).entity_id, warnings


def add_note(session: Session, encounter_id: str, text: str, kind: str = "note",
             model_written: bool = False) -> str:
    if not text.strip():
        raise ValidationError("The note is empty.", field="text")
    return session.write("note.added", None, {
        "encounter_id": encounter_id, "written_at": now_iso(), "kind": kind,
        "text": text.strip(), "author": session.user.id,
        "model_written": int(model_written)}).entity_id


def list_open(session: Session, area: str | None = None) -> list[dict[str, Any]]:
    """Open encounters with patient names and latest NEWS2, for the board."""
    session.require(Permission.READ_RECORDS)
    sql = """
        SELECT e.*, p.family_name, p.given_name, p.nhs_number, p.date_of_birth,
               p.estimated_age, p.sex, p.unknown,
               (SELECT o.news2_total FROM observations o WHERE o.encounter_id = e.id
                ORDER BY o.taken_at DESC LIMIT 1) AS latest_news2,
               (SELECT o.taken_at FROM observations o WHERE o.encounter_id = e.id
                ORDER BY o.taken_at DESC LIMIT 1) AS latest_obs_at
        FROM encounters e LEFT JOIN patients p ON p.id = e.patient_id
        WHERE e.status = 'open'""" + (" AND e.area = ?" if area else "")
    rows = session.db.query(sql, (area,) if area else ())
    session.audit("board.read", detail={"encounters": len(rows), "area": area})
    return rows


def header(session: Session, encounter_id: str) -> dict[str, Any] | None:
    """What the record header shows besides the form: the priority and, for an unnamed patient
    linked to a known one, ``linked_name`` ('SMITH, John (linked)'); one query (the record's own
    read is audited when it is loaded)."""
    session.require(Permission.READ_RECORDS)
    rows = session.db.query(
        "SELECT e.priority, e.priority_name, lp.id AS l_id, lp.family_name AS l_family_name, "
        "lp.given_name AS l_given_name FROM encounters e "
        "LEFT JOIN patients p ON p.id = e.patient_id "
        "LEFT JOIN patients lp ON lp.id = p.linked_to AND p.family_name IS NULL "
        "WHERE e.id = ?", (encounter_id,))
    if not rows:
        return None
    row = rows[0]
    linked = matching.display_name({"family_name": row["l_family_name"], "via_link": True,
                                    "given_name": row["l_given_name"]}) if row["l_id"] else None
    return {"priority": row["priority"], "priority_name": row["priority_name"],
            "linked_name": linked}


def detail(session: Session, encounter_id: str) -> dict[str, Any]:
    """Everything recorded for one encounter (audited as a read)."""
    session.require(Permission.READ_RECORDS)
    rows = session.db.query("SELECT * FROM encounters WHERE id = ?", (encounter_id,))
    if not rows:
        raise ValidationError(f"No encounter {encounter_id}.")
    enc = rows[0]
    q = session.db.query
    found = q("SELECT * FROM patients WHERE id = ?", (enc["patient_id"],))
    patient = found[0] if found else None
    out = {
        "encounter": enc,
        "patient": patient,
        # whom an unnamed patient is linked to, for naming them (matching.identified)
        "linked_patient": matching.linked_patient(session, patient),
        "observations": q("SELECT * FROM observations WHERE encounter_id = ? ORDER BY taken_at",
                          (encounter_id,)),
        "assessments": q("SELECT * FROM assessments WHERE encounter_id = ? "
                         "ORDER BY assessed_at", (encounter_id,)),
        "interventions": q("SELECT * FROM interventions WHERE encounter_id = ? "
                           "ORDER BY given_at", (encounter_id,)),
        "notes": q("SELECT * FROM notes WHERE encounter_id = ? ORDER BY written_at",
                   (encounter_id,)),
        "amendments": q("SELECT * FROM amendments WHERE entity_id IN (SELECT ? UNION "
                        "SELECT patient_id FROM encounters WHERE id = ? UNION "
                        "SELECT id FROM observations WHERE encounter_id = ? UNION "
                        "SELECT id FROM interventions WHERE encounter_id = ? UNION "
                        "SELECT id FROM notes WHERE encounter_id = ?) ORDER BY amended_at",
                        (encounter_id,) * 5),
    }
    session.audit("encounter.read", subject=f"encounter:{encounter_id}")
    return out
