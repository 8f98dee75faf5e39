"""Corrections to a recorded entry: the original stays, with who changed it, when and why.

Nothing is deleted: ``record.amended`` events update the field and add a row to ``amendments``
holding the old value. A new value passes the same checks as a first entry (observations through
``validate_vitals``, NHS numbers through Modulus 11, doses need units…). Anyone who may write
records may correct their own entries; correcting someone else's needs ``AMEND_OTHERS``
(clinicians), checked here so every shell obeys it.
"""

from __future__ import annotations

from typing import Any

from appliance.errors import PermissionDenied, ValidationError
from appliance.records import encounters, patients
from appliance.security.roles import Permission
from appliance.session import Session

# entity -> (table, fields a person may correct, column naming who made the entry)
AMENDABLE: dict[str, tuple[str, tuple[str, ...], str]] = {
    "observation": ("observations", tuple(f for f in encounters.OBSERVATION_FIELDS
                                          if f != "spo2_scale") + ("taken_at",), "recorded_by"),
    "note": ("notes", ("text",), "author"),
    "intervention": ("interventions", ("name", "dose", "dose_unit", "route", "given_at",
                                       "given_by"), "recorded_by"),
    "patient": ("patients", patients.DEMOGRAPHIC_FIELDS + patients.HISTORY_FIELDS, "created_by"),
    "encounter": ("encounters", ("presenting_complaint", "incident_time", "location",
                                 "mechanism", "call_category", "kind", "area"), "opened_by"),
}


def _row(session: Session, entity: str, entity_id: str) -> dict[str, Any]:
    if entity not in AMENDABLE:
        raise ValidationError(f"Entries of kind '{entity}' cannot be corrected here.",
                              field="entity")
    rows = session.db.query(f"SELECT * FROM {AMENDABLE[entity][0]} WHERE id = ?", (entity_id,))
    if not rows:
        raise ValidationError(f"No {entity} {entity_id} on this device.", field="entity_id")
    return rows[0]


def may_amend(session: Session, row: dict[str, Any], entity: str) -> bool:
    """Whether the signed-in user may correct this entry (own entries, or AMEND_OTHERS)."""
    from appliance.security.roles import GRANTS

    owner = row.get(AMENDABLE[entity][2])
    return owner == session.user.id or Permission.AMEND_OTHERS in GRANTS[session.user.role]


def _number(text: Any, field: str) -> Any:
    if not isinstance(text, str):
        return text
    raw = text.strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        return float(raw)
    except ValueError:
        raise ValidationError(f"{field.replace('_', ' ').capitalize()} must be a number.",
                              field=field) from None


def _observation(row: dict[str, Any], field: str, value: Any) -> tuple[Any, dict[str, Any]]:
    """The clean value and the whole corrected set (for re-scoring NEWS2)."""
    from appliance.triage.vitals import validate_vitals

    if field == "taken_at":
        return encounters._parse_time(str(value), field), {}
    if field == "on_oxygen" and isinstance(value, str):
        key = value.strip().lower()
        if key not in ("y", "yes", "n", "no", "true", "false", "1", "0"):
            raise ValidationError("On oxygen: answer yes or no.", field=field)
        value = key in ("y", "yes", "true", "1")
    elif field == "consciousness":
        value = str(value).strip().upper() or None
    else:
        value = _number(value, field)
    if value is None:
        raise ValidationError("Enter the corrected value.", field=field)
    if field == "pain_score":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise ValidationError("Pain score is a whole number from 0 to 10.", field=field)
        return value, {}
    current = {f: row.get(f) for f in encounters.OBSERVATION_FIELDS
               if f != "pain_score" and row.get(f) is not None}
    if "on_oxygen" in current:
        current["on_oxygen"] = bool(current["on_oxygen"])
    current[field] = value
    try:
        clean, _ = validate_vitals(current)
    except ValidationError as exc:  # name the field the person is typing in
        raise ValidationError(exc.message, field=field, hint=exc.hint) from None
    new = clean[field]
    return (int(new) if field == "on_oxygen" else new), clean


def clean_value(session: Session, entity: str, row: dict[str, Any], field: str,
                value: Any) -> Any:
    """Validate a corrected value with the rules of a first entry; returns what to store."""
    if field not in AMENDABLE[entity][1]:
        raise ValidationError(f"The {field.replace('_', ' ')} of a {entity} cannot be "
                              "corrected here.", field="field")
    if entity == "observation":
        return _observation(row, field, value)[0]
    if entity == "note":
        text = str(value or "").strip()
        if not text:
            raise ValidationError("The corrected note is empty.", field=field)
        return text
    if entity == "patient":
        if field == "estimated_age":
            value = _number(value, field)
        return patients.clean_demographics({field: value})[field]
    if entity == "intervention":
        from appliance.records import interventions

        fields = {k: row.get(k) for k in ("dose", "dose_unit", "route", "given_at",
                                           "given_by")}
        fields[field] = value
        clean = interventions.clean_intervention(row["kind"], value if field == "name"
                                                 else row["name"], **fields)
        return clean.get(field)
    return encounters.update_change("", **{field: value})[2][field]


def amend(session: Session, entity: str, entity_id: str, field: str, new_value: Any,
          reason: str) -> str:
    """Correct one recorded value; returns the amendment id. Raises ValidationError or
    PermissionDenied and changes nothing when the value, the reason or the user is refused."""
    session.require(Permission.WRITE_RECORDS)
    if not (reason or "").strip():
        raise ValidationError("Say why the entry is being corrected.", field="reason")
    row = _row(session, entity, entity_id)
    if not may_amend(session, row, entity):
        raise PermissionDenied("Only a clinician can correct someone else's entry.",
                               hint="Ask a clinician to make the correction, or add a note.")
    value = clean_value(session, entity, row, field, new_value)
    if value == row.get(field):
        raise ValidationError("That is the value already recorded.", field=field)
    reason = reason.strip()
    changes: list[tuple[str, str | None, dict[str, Any]]] = [
        ("record.amended", entity_id, {"entity": entity, "field": field, "new": value,
                                       "reason": reason})]
    if entity == "observation" and field not in ("taken_at", "pain_score"):
        from appliance.triage import news2

        total = news2.score(_observation(row, field, new_value)[1]).total
        if total != row.get("news2_total"):  # the score follows the corrected value
            changes.append(("record.amended", entity_id, {
                "entity": entity, "field": "news2_total", "new": total,
                "reason": f"re-scored after {field.replace('_', ' ')} corrected: {reason}"}))
    return session.write_all(changes)[0].id


def history(session: Session, encounter_id: str) -> list[dict[str, Any]]:
    """Every correction to an encounter, its patient and its entries, oldest first, with the
    name of who made it."""
    session.require(Permission.READ_RECORDS)
    rows = session.db.query(
        """SELECT a.*, u.display_name AS amended_by_name FROM amendments a
           LEFT JOIN users u ON u.id = a.amended_by
           WHERE a.entity_id IN (
               SELECT ? UNION SELECT patient_id FROM encounters WHERE id = ?
               UNION SELECT id FROM observations WHERE encounter_id = ?
               UNION SELECT id FROM notes WHERE encounter_id = ?
               UNION SELECT id FROM interventions WHERE encounter_id = ?)
           ORDER BY a.amended_at""", (encounter_id,) * 5)
    session.audit("amendments.read", subject=f"encounter:{encounter_id}")
    return rows
