"""Values read from a clinical note, written to the record only once a clinician accepts them.

``appliance.assistant.extraction`` reads a note (pattern pass, the model where loaded); the
record offers the values it has a field for, the clinician rejects any field by field and
accepts the rest, and only then does :func:`accept` write them: vital signs as one observation
set, age, sex, allergies and medications to the patient, the mechanism to the encounter.
Nothing recorded is overwritten: an allergy or medication is added to what is there, and a
field already recorded (age, sex, a mechanism) is kept and reported; F9 corrects it, with a
reason, where the note is right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from appliance.records import encounters, patients
from appliance.session import Session

# extraction field -> observation column
OBSERVATION = {f"vitals.{name}": name for name in encounters.OBSERVATION_FIELDS} | {
    "pain_score": "pain_score", "blood_glucose_mmol": "blood_glucose"}
PATIENT = {"age": "estimated_age", "sex": "sex", "allergies": "allergies",
           "medications": "medications"}
ENCOUNTER = {"mechanism": "mechanism"}
SEX_CODES = {"M": "M", "F": "F", "X": "O", "O": "O", "U": "U"}
ADDED_TO = ("allergies", "medications")  # more than one can be true: added, never replaced


def recordable(name: str) -> bool:
    """True when the record has a field for the extracted ``name``."""
    return name in OBSERVATION or name in PATIENT or name in ENCOUNTER


@dataclass
class Accepted:
    """What accepting wrote, and what it kept as already recorded."""

    patient_id: str | None = None
    patient: dict[str, Any] = field(default_factory=dict)
    encounter: dict[str, Any] = field(default_factory=dict)
    observation_id: str | None = None
    kept: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value if str(v).strip())
    return str(value).strip()


def _added(existing: str | None, new: str) -> str:
    if not existing:
        return new
    if new.casefold() in existing.casefold():
        return existing
    return f"{existing}; {new}"


def accept(session: Session, encounter_id: str, values: Iterable[tuple[str, Any]]
           ) -> Accepted:
    """Write the accepted ``(field, value)`` pairs to the encounter's record."""
    rows = session.db.query("SELECT * FROM encounters WHERE id = ?", (encounter_id,))
    enc = rows[0] if rows else {}
    pid = enc.get("patient_id")
    current = (session.db.query("SELECT * FROM patients WHERE id = ?", (pid,)) or [{}])[0] \
        if pid else {}
    out = Accepted(patient_id=pid)
    vitals: dict[str, Any] = {}
    for name, value in values:
        if name in OBSERVATION:
            vitals[OBSERVATION[name]] = value
        elif name in PATIENT:
            _patient_value(out, current, PATIENT[name], value)
        elif name in ENCOUNTER and str(value).strip():
            if enc.get(ENCOUNTER[name]):
                out.kept.append(f"{ENCOUNTER[name]} (already recorded)")
            else:
                out.encounter[ENCOUNTER[name]] = _text(value)
    # Checked before anything is written, the set (most likely refused) written first: a
    # refusal leaves the record as it was.
    patients.clean_demographics(out.patient)
    if vitals:
        out.observation_id, _ = encounters.record_observation(session, encounter_id, vitals)
    if out.patient:
        if pid is None:
            out.patient_id = patients.register(session, **out.patient)
            encounters.update(session, encounter_id, patient_id=out.patient_id)
        else:
            patients.update(session, pid, **out.patient)
    if out.encounter:
        encounters.update(session, encounter_id, **out.encounter)
    return out


def _patient_value(out: Accepted, current: dict[str, Any], column: str, value: Any) -> None:
    if column in ADDED_TO:
        text = _text(value)
        if text:
            out.patient[column] = _added(out.patient.get(column, current.get(column)), text)
    elif column == "estimated_age":
        if current.get("date_of_birth"):
            out.kept.append("age (from the date of birth)")
        elif current.get("estimated_age") is not None:
            out.kept.append("age (already recorded)")
        else:
            out.patient[column] = max(0, round(float(value)))
    elif column == "sex":
        code = SEX_CODES.get(str(value).strip().upper()[:1])
        if current.get("sex"):
            out.kept.append("sex (already recorded)")
        elif code:
            out.patient[column] = code
