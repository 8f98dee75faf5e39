"""Matching an unknown patient to who they turn out to be.

An unconscious or unidentified patient is registered as "unknown" so care is never delayed. Once
identified, either the unknown record is filled in (``patients.update``) or, when the person is
already on this device, the unknown record is linked to the known one (``linked_to``): both
records and their encounters stay, nothing is merged away or deleted.
"""

from __future__ import annotations

from typing import Any

from appliance.errors import ValidationError
from appliance.records import nhs_number
from appliance.security.roles import Permission
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
