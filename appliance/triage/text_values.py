"""What the deterministic text readers take from the complaint, with no model: values written
inside it ("pulse is 124 and BP of 84/52", "temp 104F") as triage fields, and the complaint with
its allergy history blanked so "allergic to penicillin" is not read as an allergic reaction.

The assessment uses the values the way it uses the assistant's extraction: they fill only fields
the case left empty, and only when that makes the result more urgent, with a warning to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from appliance.text.patterns import find_all, triage_fields, without_history


@dataclass(frozen=True)
class ComplaintReading:
    fields: dict[str, Any] = field(default_factory=dict)
    text: str = ""  # the complaint, allergy history blanked (same length and offsets)


def _consciousness_from_gcs(gcs: int) -> str | None:
    """GCS as the ACVPU level the modifiers grade: ≤ 9 unresponsive to all but pain, 10–13
    responds to voice, 14 confused."""
    if gcs <= 9:
        return "P"
    if gcs <= 13:
        return "V"
    return "C" if gcs == 14 else None


def read_complaint(text: str) -> ComplaintReading:
    """The triage fields stated in ``text`` and the text to match complaints on."""
    if not text.strip():
        return ComplaintReading(text=text)
    hits = find_all(text)
    fields = triage_fields(hits)
    gcs = next((h.value for h in hits if h.field == "gcs" and isinstance(h.value, int)), None)
    vitals = dict(fields.get("vitals", {}))
    if gcs is not None and "consciousness" not in vitals:
        level = _consciousness_from_gcs(gcs)
        if level is not None:
            fields["vitals"] = {**vitals, "consciousness": level}
    return ComplaintReading(fields, without_history(text, hits))
