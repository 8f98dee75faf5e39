"""A blood pressure measured and normal, as a pregnant woman's or a midwife's note tells it:
"BP 116/72", "BP machine 118/74 today", "blood pressure was 120/80".

Swelling of the feet by evening is normal in later pregnancy, but pre-eclampsia can start with
it: its sign is a blood pressure of 140/90 or more (NICE NG133). A reading told and below that
is the positive evidence that lets the swelling be cared for at home; a raised reading has its
own rules, and every reading told must be normal for this.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from typing import Any

CONCEPT = "blood-pressure-normal"
_SYSTOLIC_HIGH = 140  # mmHg: NICE NG133 hypertension in pregnancy
_DIASTOLIC_HIGH = 90
_SYSTOLIC_LOW = 90  # below it, not reassurance either
_READING = re.compile(r"\b(?:bp|b/p|blood\s+pressure)\b(?:\s+(?:machine|reading|check|today|"
                      r"was|is|of|at|:|=|-))*\s*[:=]?\s*(\d{2,3})\s*/\s*(\d{2,3})\b",
                      re.IGNORECASE)


def _normal(systolic: float, diastolic: float) -> bool:
    return _SYSTOLIC_LOW <= systolic < _SYSTOLIC_HIGH and diastolic < _DIASTOLIC_HIGH


def blood_pressure_normal(text: str, vitals: Mapping[str, Any],
                          known: Container[str]) -> frozenset[str]:
    """``blood-pressure-normal`` when the note tells a blood pressure and every reading, told
    or recorded, is below 140/90 (and not low). Only a note's own words give it: recorded
    observations alone name no finding, and a reassurance needs something to reassure."""
    if CONCEPT not in known:
        return frozenset()
    readings = [(float(m.group(1)), float(m.group(2))) for m in _READING.finditer(text)]
    systolic, diastolic = vitals.get("systolic_bp"), vitals.get("diastolic_bp")
    if readings and isinstance(systolic, int | float):
        readings.append((systolic, diastolic if isinstance(diastolic, int | float) else 0.0))
    if readings and all(_normal(s, d) for s, d in readings):
        return frozenset({CONCEPT})
    return frozenset()
