"""Values written inside the complaint ("pulse is 124 and BP of 84/52", "temp 104F") as triage
fields, read by the deterministic text readers with no model.

The assessment uses them the way it uses the assistant's extraction: they fill only fields the
case left empty, and only when that makes the result more urgent, with a warning to confirm them.
"""

from __future__ import annotations

from typing import Any

from appliance.text.patterns import find_all

_TOP_LEVEL = {"age", "sex", "pregnant", "pain_score", "mechanism"}


def _consciousness_from_gcs(gcs: int) -> str | None:
    """GCS as the ACVPU level the modifiers grade: ≤ 9 unresponsive to all but pain, 10–13
    responds to voice, 14 confused."""
    if gcs <= 9:
        return "P"
    if gcs <= 13:
        return "V"
    return "C" if gcs == 14 else None


def fields_from_text(text: str) -> dict[str, Any]:
    """Triage-input fields stated in ``text`` (``{}`` when none)."""
    if not text.strip():
        return {}
    fields: dict[str, Any] = {}
    vitals: dict[str, Any] = {}
    gcs: int | None = None
    for hit in find_all(text):
        if hit.field.startswith("vitals."):
            vitals.setdefault(hit.field.removeprefix("vitals."), hit.value)
        elif hit.field in _TOP_LEVEL:
            fields.setdefault(hit.field, hit.value)
        elif hit.field == "gcs" and isinstance(hit.value, int):
            gcs = hit.value
    if gcs is not None and "consciousness" not in vitals:
        level = _consciousness_from_gcs(gcs)
        if level is not None:
            vitals["consciousness"] = level
    if vitals:
        fields["vitals"] = vitals
    return fields
