"""Patients: register (named or unknown), update demographics field by field, find."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from appliance.errors import ValidationError
from appliance.records import age, nhs_number
from appliance.security.roles import Permission
from appliance.session import Session
from appliance.store.events import now_iso

SEXES = {"M": "male", "F": "female", "O": "other", "U": "unknown"}
DEMOGRAPHIC_FIELDS = ("nhs_number", "family_name", "given_name", "date_of_birth",
                      "estimated_age", "sex")
HISTORY_FIELDS = ("allergies", "medications")  # free text, as the clinician records it
HISTORY_MAX = 500


def clean_demographics(fields: dict[str, Any], *, today: date | None = None) -> dict[str, Any]:
    """Validate and normalise demographic fields, allergies and medications; raises
    ValidationError naming the field."""
    today = today or datetime.now(UTC).date()
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in DEMOGRAPHIC_FIELDS + HISTORY_FIELDS:
            raise ValidationError(f"Unknown patient field '{key}'.", field=key)
        if value is None or (isinstance(value, str) and not value.strip()):
            out[key] = None
            continue
        if key == "nhs_number":
            out[key] = nhs_number.validate(str(value))
        elif key in ("family_name", "given_name"):
            text = " ".join(str(value).split())
            if len(text) > 100:
                raise ValidationError("That name is too long (100 characters at most).",
                                      field=key)
            if not any(ch.isalpha() for ch in text):
                # a value typed in a hurry into the wrong field ("30" meant as an age)
                raise ValidationError(f"A name has letters: '{text}' looks like a number. An "
                                      "age goes in 'Or age (est.)', a date in 'Date of birth'.",
                                      field=key)
            out[key] = text
        elif key == "date_of_birth":
            out[key] = _parse_dob(str(value), today).isoformat()
        elif key == "estimated_age":
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 120:
                raise ValidationError("Estimated age must be a whole number of years, 0-120.",
                                      field=key)
            out[key] = value
        elif key in HISTORY_FIELDS:
            text = " ".join(str(value).split())
            if len(text) > HISTORY_MAX:
                raise ValidationError(f"Too long for {key} ({HISTORY_MAX} characters at most): "
                                      "put the detail in a note.", field=key)
            out[key] = text
        elif key == "sex":
            code = str(value).strip().upper()[:1]
            if code not in SEXES:
                raise ValidationError("Sex must be M, F, O (other) or U (unknown).", field=key)
            out[key] = code
    return out


def _parse_dob(text: str, today: date) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            dob = datetime.strptime(text.strip(), fmt).date()
            break
        except ValueError:
            continue
    else:
        raise ValidationError("Date of birth must look like 31/12/1950 or 1950-12-31.",
                              field="date_of_birth")
    if dob > today:
        raise ValidationError("Date of birth is in the future.", field="date_of_birth")
    if age.years(dob, today) > 125:
        raise ValidationError("Date of birth is more than 125 years ago.", field="date_of_birth")
    return dob


def register(session: Session, **fields: Any) -> str:
    """Register a patient; with no name and no NHS number the patient is 'unknown'."""
    clean = clean_demographics(fields)
    unknown = not (clean.get("nhs_number") or clean.get("family_name"))
    payload = {k: v for k, v in clean.items() if v is not None}
    payload.update(unknown=int(unknown), created_at=now_iso(), created_by=session.user.id)
    return session.write("patient.registered", None, payload).entity_id


def update(session: Session, patient_id: str, **fields: Any) -> None:
    """Fill in or change demographics; another user's values change only by amendment."""
    from appliance.records.ownership import refuse_overwrite

    clean = clean_demographics(fields)
    refuse_overwrite(session, "patients", "created_by", patient_id, clean, "patient")
    if clean.get("nhs_number") or clean.get("family_name"):
        clean["unknown"] = 0
    clean["updated_at"] = now_iso()
    session.write("patient.updated", patient_id, clean)


def get(session: Session, patient_id: str) -> dict[str, Any] | None:
    session.require(Permission.READ_RECORDS)
    rows = session.db.query("SELECT * FROM patients WHERE id = ?", (patient_id,))
    if rows:
        session.audit("patient.read", subject=f"patient:{patient_id}")
    return rows[0] if rows else None


def find(session: Session, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Find by NHS number (exact, spaces ignored) or by family/given name prefix."""
    session.require(Permission.READ_RECORDS)
    text = query.strip()
    if not text:
        return []
    digits = nhs_number.normalise(text)
    if digits.isdigit() and len(digits) == 10:
        rows = session.db.query("SELECT * FROM patients WHERE nhs_number = ? LIMIT ?",
                                (digits, limit))
    else:
        # Range scans on the NOCASE indexes; LIKE would not use them.
        lo = text
        hi = text + "\U0010ffff"
        # Each branch stops at ``limit`` rows; a UNION would sort every match first.
        both = session.db.query(
            "SELECT * FROM (SELECT * FROM patients WHERE family_name >= ? COLLATE NOCASE AND "
            "family_name < ? COLLATE NOCASE LIMIT ?) UNION ALL SELECT * FROM (SELECT * FROM "
            "patients WHERE given_name >= ? COLLATE NOCASE AND given_name < ? COLLATE NOCASE "
            "LIMIT ?)", (lo, hi, limit, lo, hi, limit))
        # A patient matching both branches appears once, in first-seen order.
        rows = list({r["id"]: r for r in both}.values())[:limit]
    session.audit("patient.search", detail={"results": len(rows)})
    return rows
