"""Matching an unknown patient to who they turn out to be.

An unconscious or unidentified patient is registered as "unknown" so care is never delayed. Once
identified, either the unknown record is filled in (``patients.update``) or, when the person is
already on this device, the unknown record is linked to the known one (``linked_to``): both
records and their encounters stay, nothing is merged away or deleted.

A wrong link is corrected like any entry (``change_link``, ``remove_link``): a ``record.amended``
event on the patient's ``linked_to`` with a required reason, so the old link stays in
``amendments`` with who, when and why. Whoever made the link may correct it; anyone else needs
``AMEND_OTHERS`` (clinicians), as for other people's entries.

Wherever a patient is named (board, record header, handover), an unnamed record that is linked
shows who it was linked to, marked ``(linked)`` so staff can see the name came from a link
(:func:`identified`).
"""

from __future__ import annotations

import json
from typing import Any

from appliance.errors import PermissionDenied, ValidationError
from appliance.records import nhs_number
from appliance.security.roles import Permission, can
from appliance.session import Session
from appliance.store.events import now_iso


def candidates(session: Session, *, nhs: str | None = None, family_name: str | None = None,
               date_of_birth: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
    """Known patients that could be this person: same NHS number, else same surname (and DOB)."""
    session.require(Permission.READ_RECORDS)
    if nhs:
        rows = session.db.query("SELECT * FROM patients WHERE nhs_number = ? AND unknown = 0",
                                (nhs_number.validate(nhs),))
    elif family_name and family_name.strip():
        sql = ("SELECT * FROM patients WHERE unknown = 0 AND family_name = ? COLLATE NOCASE"
               + (" AND date_of_birth = ?" if date_of_birth else "") + " LIMIT ?")
        args: tuple[Any, ...] = ((family_name.strip(), date_of_birth, limit) if date_of_birth
                                 else (family_name.strip(), limit))
        rows = session.db.query(sql, args)
    else:
        raise ValidationError("Give an NHS number or a surname to look for.", field="query")
    session.audit("patient.match_search", detail={"results": len(rows)})
    return rows


def link(session: Session, unknown_id: str, known_id: str) -> None:
    """Record that the unknown patient ``unknown_id`` is the known patient ``known_id``."""
    if unknown_id == known_id:
        raise ValidationError("A patient cannot be linked to themselves.", field="known_id")
    rows = {r["id"]: r for r in session.db.query(
        "SELECT id, unknown, linked_to FROM patients WHERE id IN (?, ?)", (unknown_id, known_id))}
    if unknown_id not in rows or known_id not in rows:
        raise ValidationError("One of those patients is not on this device.", field="known_id")
    if not rows[unknown_id]["unknown"]:
        raise ValidationError("Only an unknown patient can be linked to a known one.",
                              field="unknown_id")
    if rows[unknown_id]["linked_to"]:
        raise ValidationError("That patient is already linked: amend the link instead.",
                              field="unknown_id")
    if rows[known_id]["unknown"]:
        raise ValidationError("Link to an identified patient, not another unknown one.",
                              field="known_id")
    session.write("patient.linked", unknown_id, {"linked_to": known_id, "updated_at": now_iso()})


def _linked(session: Session, patient_id: str) -> dict[str, Any]:
    session.require(Permission.WRITE_RECORDS)  # before reading anything about the patient
    rows = session.db.query("SELECT id, linked_to FROM patients WHERE id = ?", (patient_id,))
    if not rows:
        raise ValidationError("That patient is not on this device.", field="patient_id")
    if not rows[0]["linked_to"]:
        raise ValidationError("That patient is not linked to anyone: link them instead.",
                              field="patient_id")
    return rows[0]


def linked_by(session: Session, patient_id: str) -> str | None:
    """Who made the patient's current link (the last link or link amendment), from the log."""
    for row in session.db.query(
            "SELECT user_id, type, payload FROM events WHERE entity = 'patient' AND "
            "entity_id = ? AND type IN ('patient.linked', 'record.amended') ORDER BY id DESC",
            (patient_id,)):
        if row["type"] == "patient.linked" or json.loads(row["payload"]).get(
                "field") == "linked_to":
            return str(row["user_id"]) if row["user_id"] else None
    return None


def _amend_link(session: Session, patient_id: str, new: str | None, reason: str) -> str:
    """The link change as an amendment: the old link is kept in ``amendments`` with who, when
    and why; the event syncs like any other."""
    if not (reason or "").strip():
        raise ValidationError("Say why the link is being changed.", field="reason")
    if linked_by(session, patient_id) != session.user.id and not can(
            session.user.role, Permission.AMEND_OTHERS):
        raise PermissionDenied("Only a clinician can change a link someone else made.",
                               hint="Ask a clinician to change it, or add a note.")
    return session.write("record.amended", patient_id, {
        "entity": "patient", "field": "linked_to", "new": new, "reason": reason.strip()}).id


def change_link(session: Session, patient_id: str, known_id: str, reason: str) -> str:
    """Link an already linked patient to a different known patient instead; returns the
    amendment id. The earlier link stays in the history."""
    row = _linked(session, patient_id)
    if known_id == row["linked_to"]:
        raise ValidationError("The patient is already linked to that person.", field="known_id")
    if known_id == patient_id:
        raise ValidationError("A patient cannot be linked to themselves.", field="known_id")
    target = session.db.query("SELECT unknown FROM patients WHERE id = ?", (known_id,))
    if not target:
        raise ValidationError("That patient is not on this device.", field="known_id")
    if target[0]["unknown"]:
        raise ValidationError("Link to an identified patient, not another unknown one.",
                              field="known_id")
    return _amend_link(session, patient_id, known_id, reason)


def remove_link(session: Session, patient_id: str, reason: str) -> str:
    """Record that the patient is not the person they were linked to; returns the amendment
    id. Both records and the old link (in the history) stay."""
    _linked(session, patient_id)
    return _amend_link(session, patient_id, None, reason)


def link_history(session: Session, patient_id: str) -> list[dict[str, Any]]:
    """Every change to the patient's link, oldest first, with who made it."""
    session.require(Permission.READ_RECORDS)
    return session.db.query(
        "SELECT a.*, u.display_name AS amended_by_name FROM amendments a LEFT JOIN users u "
        "ON u.id = a.amended_by WHERE a.entity = 'patient' AND a.entity_id = ? AND "
        "a.field = 'linked_to' ORDER BY a.amended_at", (patient_id,))


def link_label(session: Session, patient_id: str | None) -> str:
    """A stored ``linked_to`` value as a person reads it: 'SMITH, Ann', or 'no link'."""
    if not patient_id:
        return "no link"
    rows = session.db.query("SELECT family_name, given_name FROM patients WHERE id = ?",
                            (patient_id,))
    if not rows or not rows[0]["family_name"]:
        return f"patient …{patient_id[-6:]}"
    given = rows[0]["given_name"]
    return str(rows[0]["family_name"]).upper() + (f", {given}" if given else "")


LINK_MARK = "(linked)"
"""Shown after a name that comes from a link, not from the patient's own record."""
IDENTITY_FIELDS = ("family_name", "given_name", "nhs_number", "date_of_birth",
                   "estimated_age", "sex")


def identified(patient: dict[str, Any] | None,
               linked: dict[str, Any] | None) -> dict[str, Any] | None:
    """The patient as staff should see them, with ``via_link`` saying where the name came from.

    A record with a name of its own is shown as it is. An unnamed (unknown) record linked to
    ``linked`` takes that patient's name, and their NHS number, age and sex where it has none of
    its own (an estimated age on the unknown record is kept: it was seen, not looked up).
    """
    if patient is None:
        return None
    if patient.get("family_name") or not linked or not linked.get("id"):
        return {**patient, "via_link": False}
    out = {**patient, "via_link": True, "family_name": linked.get("family_name"),
           "given_name": linked.get("given_name")}
    if not out.get("nhs_number"):
        out["nhs_number"] = linked.get("nhs_number")
    if not out.get("date_of_birth") and out.get("estimated_age") is None:
        out["date_of_birth"] = linked.get("date_of_birth")
        out["estimated_age"] = linked.get("estimated_age")
    if not out.get("sex"):
        out["sex"] = linked.get("sex")
    return out


def display_name(patient: dict[str, Any] | None) -> str:
    """'SMITH, John', 'SMITH, John (linked)' (from :func:`identified`) or 'Unknown patient'."""
    mark = f" {LINK_MARK}" if patient and patient.get("via_link") else ""
    if patient and patient.get("family_name"):
        given = f", {patient['given_name']}" if patient.get("given_name") else ""
        return f"{str(patient['family_name']).upper()}{given}{mark}"
    return f"Unknown patient{mark}"


def linked_patient(session: Session, patient: dict[str, Any] | None) -> dict[str, Any] | None:
    """The patient ``patient`` is linked to, when it is linked and has no name of its own (read
    as part of the record it belongs to, so not audited separately)."""
    if not patient or not patient.get("linked_to") or patient.get("family_name"):
        return None
    rows = session.db.query("SELECT * FROM patients WHERE id = ?", (patient["linked_to"],))
    return rows[0] if rows else None
