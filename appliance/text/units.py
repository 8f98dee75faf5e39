"""Unit handling done in code after the model: °F, kPa, mg/dL, oxygen and SpO2 scale words.

The model only ever points at text; every number that reaches the triage engine is parsed and
converted here, so a conversion is the same every time and can be tested at its edges.
"""

from __future__ import annotations

import re

KPA_TO_MMHG = 7.50062
MGDL_PER_MMOL = 18.0

# Plausible ranges: outside them a value is dropped with a flag instead of being scored.
PLAUSIBLE: dict[str, tuple[float, float]] = {
    "age": (0, 120),
    "vitals.pulse": (20, 300),
    "vitals.respiratory_rate": (3, 80),
    "vitals.spo2": (50, 100),
    "vitals.systolic_bp": (40, 300),
    "vitals.diastolic_bp": (15, 200),
    "vitals.temperature": (25.0, 45.0),
    "vitals.capillary_refill_s": (0, 15),
    "pain_score": (0, 10),
    "gcs": (3, 15),
    "vitals.blood_glucose": (0.5, 60.0),
}


def fahrenheit_to_celsius(value: float) -> float:
    """°F to °C, to one decimal as NEWS2 scores it."""
    return round((value - 32.0) * 5.0 / 9.0, 1)


def kpa_to_mmhg(value: float) -> int:
    return round(value * KPA_TO_MMHG)


def mgdl_to_mmol(value: float) -> float:
    return round(value / MGDL_PER_MMOL, 1)


def temperature_celsius(value: float, unit: str | None) -> tuple[float, str]:
    """(°C, note). A unit-less reading of 90–110 can only be Fahrenheit: converted and said so."""
    u = (unit or "").lower().replace("°", "").replace("degrees", "").replace("deg", "").strip()
    if u.startswith("f"):
        return fahrenheit_to_celsius(value), f"{value:g} °F converted to °C"
    if not u and 90.0 <= value <= 110.0:
        return fahrenheit_to_celsius(value), f"{value:g} has no unit; read as °F and converted"
    return round(value, 1), ""


def plausible(field: str, value: float) -> bool:
    low, high = PLAUSIBLE.get(field, (float("-inf"), float("inf")))
    return low <= value <= high


_ON_OXYGEN = re.compile(
    r"\bon\s+\d{1,2}(?:\.\d)?\s*(?:L|l|litres?|liters?|lpm)\b"
    r"|\b\d{1,2}\s*(?:L|l|lpm)(?:/min)?\s+(?:O2|oxygen|NRB|via|NC|nasal|non)"
    r"|\bon\s+(?:supplemental\s+)?(?:O2|oxygen|NRB|non[- ]?rebreather|venturi|nasal\s+cann?ula|"
    r"high[- ]flow|home\s+oxygen|CPAP)\b",
    re.IGNORECASE)
_ON_AIR = re.compile(r"\b(?:RA|room\s+air|on\s+air|in\s+air|%\s*air|off\s+oxygen|OA)\b",
                     re.IGNORECASE)
_SCALE_2 = re.compile(r"\b(?:(?:SpO2\s+)?scale\s*2|target(?:\s+(?:sats?|saturations?|SpO2|range))?"
                      r"(?:\s+(?:of|range))?\s*88\s*"
                      r"(?:-|–|to)\s*92\s*%?)", re.IGNORECASE)
_SCALE_1 = re.compile(r"\b(?:SpO2\s+)?scale\s*1\b", re.IGNORECASE)


_DIGIT = re.compile(r"\d")
_OXYGEN_KEYS = ("o2", "oxygen", "nrb", "rebreather", "venturi", "cannula", "high flow",
                "high-flow", "cpap")
_AIR_KEYS = ("ra", "air", "oxygen", "oa")


def oxygen_mentions(text: str, low: str | None = None,
                    ) -> tuple[list[re.Match[str]], list[re.Match[str]]]:
    """(mentions of supplemental oxygen, mentions of room air), each as regex matches.

    ``low`` is ``text.lower()`` when the caller has it; words the patterns need are looked for
    in it first, which is much cheaper than a scan.
    """
    low = text.lower() if low is None else low
    oxygen = (_DIGIT.search(text) is not None or any(k in low for k in _OXYGEN_KEYS))
    air = any(k in low for k in _AIR_KEYS)
    return (list(_ON_OXYGEN.finditer(text)) if oxygen else [],
            list(_ON_AIR.finditer(text)) if air else [])


def spo2_scale_mention(text: str) -> tuple[int, re.Match[str]] | None:
    """Scale 2 only from explicit words ("scale 2", "target 88-92%"); never inferred."""
    m = _SCALE_2.search(text)
    if m:
        return 2, m
    m = _SCALE_1.search(text)
    return (1, m) if m else None
