"""Interventions and drugs given: name, dose with its unit, route, time and who gave it.

Common drugs and procedures are picked from lists (each drug with its usual unit and route) so a
paramedic types as little as possible; a dose without a unit, an unknown route or a time in the
future is refused naming the field, never saved silently wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from appliance.errors import ValidationError
from appliance.records.clock import hhmm
from appliance.session import Session

KINDS = ("drug", "procedure")

ROUTES: dict[str, str] = {
    "IV": "intravenous", "IO": "intraosseous", "IM": "intramuscular", "PO": "by mouth",
    "SL": "sublingual", "NEB": "nebulised", "INH": "inhaled", "IN": "intranasal",
    "SC": "subcutaneous", "PR": "rectal", "BUCC": "buccal", "TOP": "topical",
}

DOSE_UNITS = ("mg", "microgram", "g", "mL", "L/min", "units", "mmol", "puffs", "%")


@dataclass(frozen=True)
class CommonDrug:
    """A drug the pick list offers, with the unit and route it is usually given by."""

    name: str
    unit: str
    route: str


COMMON_DRUGS: tuple[CommonDrug, ...] = (
    CommonDrug("Oxygen", "L/min", "INH"),
    CommonDrug("Adrenaline 1:1000", "microgram", "IM"),
    CommonDrug("Adrenaline 1:10000", "mg", "IV"),
    CommonDrug("Amiodarone", "mg", "IV"),
    CommonDrug("Aspirin", "mg", "PO"),
    CommonDrug("Glyceryl trinitrate", "microgram", "SL"),
    CommonDrug("Salbutamol", "mg", "NEB"),
    CommonDrug("Ipratropium bromide", "microgram", "NEB"),
    CommonDrug("Hydrocortisone", "mg", "IV"),
    CommonDrug("Chlorphenamine", "mg", "IV"),
    CommonDrug("Morphine sulfate", "mg", "IV"),
    CommonDrug("Paracetamol", "mg", "PO"),
    CommonDrug("Ibuprofen", "mg", "PO"),
    CommonDrug("Ondansetron", "mg", "IV"),
    CommonDrug("Naloxone", "microgram", "IV"),
    CommonDrug("Glucagon", "mg", "IM"),
    CommonDrug("Glucose 10%", "mL", "IV"),
    CommonDrug("Midazolam", "mg", "BUCC"),
    CommonDrug("Diazepam", "mg", "PR"),
    CommonDrug("Tranexamic acid", "g", "IV"),
    CommonDrug("Sodium chloride 0.9%", "mL", "IV"),
    CommonDrug("Benzylpenicillin", "mg", "IV"),
)

COMMON_PROCEDURES: tuple[str, ...] = (
    "Airway opened (head tilt, chin lift)", "Oropharyngeal airway", "Nasopharyngeal airway",
    "Supraglottic airway", "Bag-valve-mask ventilation", "CPR", "Defibrillation",
    "IV cannula", "IO access", "Tourniquet", "Haemostatic dressing", "Pelvic binder",
    "Splint", "Cervical collar", "Scoop stretcher", "12-lead ECG", "Wound dressing",
    "Recovery position", "Cooling", "Warming",
)


def find_drug(name: str) -> CommonDrug | None:
    """The pick-list entry for ``name`` (case-insensitive), if it is a common drug."""
    key = name.strip().lower()
    return next((d for d in COMMON_DRUGS if d.name.lower() == key), None)


def parse_dose(dose: str | float | int | None, unit: str | None) -> tuple[str, str]:
    """Validate a dose and its unit; returns (dose as text, unit). Raises naming the field."""
    text = str(dose).strip() if dose is not None else ""
    if not text:
        raise ValidationError("Enter the dose given.", field="dose")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"Dose '{text}' is not a number: put the unit in the unit "
                              "field (e.g. dose 300, unit mg).", field="dose") from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError("The dose must be more than zero.", field="dose")
    if not unit or not unit.strip():
        raise ValidationError("A dose needs a unit (mg, microgram, mL…): a number alone is "
                              "dangerous.", field="dose_unit")
    unit = unit.strip()
    if unit not in DOSE_UNITS:
        raise ValidationError(f"Unknown unit '{unit}'. Choose one of: {', '.join(DOSE_UNITS)}.",
                              field="dose_unit")
    return format(amount.normalize(), "f"), unit


def _given_at(value: str | None, now: datetime) -> str:
    if not value:
        return now.isoformat(timespec="seconds")
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError("Time given must look like 2026-11-23T14:05 or 14:05.",
                              field="given_at") from None
    if when.tzinfo is None:
        when = when.astimezone()
    if when - now > timedelta(minutes=5):
        raise ValidationError("That time is in the future.", field="given_at")
    return when.astimezone(UTC).isoformat(timespec="seconds")


def clean_intervention(kind: str, name: str, dose: Any = None, dose_unit: str | None = None,
                       route: str | None = None, given_at: str | None = None,
                       given_by: str | None = None,
                       now: datetime | None = None) -> dict[str, Any]:
    """Validate one intervention; returns the fields to store. Raises ValidationError."""
    now = now or datetime.now(UTC)
    if kind not in KINDS:
        raise ValidationError("Kind must be drug or procedure.", field="kind")
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("Say what was given or done.", field="name")
    if len(name) > 120:
        raise ValidationError("That name is too long (120 characters at most).", field="name")
    out: dict[str, Any] = {"kind": kind, "name": name, "given_at": _given_at(given_at, now)}
    if kind == "drug":
        out["dose"], out["dose_unit"] = parse_dose(dose, dose_unit)
        route = (route or "").strip().upper()
        if route not in ROUTES:
            raise ValidationError(f"Choose a route: {', '.join(ROUTES)}.", field="route")
        out["route"] = route
    elif dose not in (None, "") or dose_unit:
        out["dose"], out["dose_unit"] = parse_dose(dose, dose_unit)
    if given_by is not None and given_by.strip():
        out["given_by"] = " ".join(given_by.split())
    return out


def record(session: Session, encounter_id: str, kind: str, name: str, *, dose: Any = None,
           dose_unit: str | None = None, route: str | None = None, given_at: str | None = None,
           given_by: str | None = None) -> str:
    """Save one intervention or drug immediately; ``given_by`` defaults to the signed-in user."""
    fields = clean_intervention(kind, name, dose, dose_unit, route, given_at, given_by)
    fields.setdefault("given_by", session.user.display_name)
    fields.update(encounter_id=encounter_id, recorded_by=session.user.id)
    return session.write("intervention.added", None, fields).entity_id


def describe(row: dict[str, Any]) -> str:
    """One line for the record and the handover: 'Aspirin 300 mg PO 14:05 (J Smith)'."""
    parts = [str(row["name"])]
    if row.get("dose"):
        parts.append(f"{row['dose']} {row.get('dose_unit') or ''}".strip())
    if row.get("route"):
        parts.append(str(row["route"]))
    parts.append(hhmm(row.get("given_at")))
    text = " ".join(parts)
    return f"{text} ({row['given_by']})" if row.get("given_by") else text
