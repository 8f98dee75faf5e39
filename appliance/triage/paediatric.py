"""Age-specific vital-sign checks for children (NEWS2 does not apply under 16).

The normal ranges are the widely published paediatric life-support figures (APLS / Resuscitation
Council UK style tables), written here as data. Three grades: *outside normal* (at least Urgent),
*markedly abnormal* (at least Very urgent) and *critical* (Immediate). A missing value is never
imputed; it simply is not checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AgeBand:
    """Ranges for one age band; limits are (low, high) and inclusive of normal."""

    label: str
    age_below: float        # the band covers ages below this (years)
    rr_normal: tuple[int, int]
    rr_marked: tuple[int, int]
    hr_normal: tuple[int, int]
    hr_marked: tuple[int, int]
    hr_critical_low: int
    sbp_normal_low: int
    sbp_marked_low: int     # hypotension for the age
    sbp_critical_low: int


# The lower limit of a normal breathing rate is set a little below the resting tables': a
# child breathing a few times a minute slower than the table's range while calm is well, and
# early-warning charts score a slow rate only well below it; fast rates keep the tables' limit.
BANDS: tuple[AgeBand, ...] = (
    AgeBand("under 1 year", 1, (25, 40), (20, 60), (110, 160), (100, 180), 60, 70, 60, 50),
    AgeBand("1–2 years", 2, (20, 35), (18, 50), (100, 150), (90, 170), 60, 80, 70, 55),
    AgeBand("2–5 years", 5, (20, 30), (15, 40), (95, 140), (80, 160), 60, 80, 75, 60),
    AgeBand("5–12 years", 12, (15, 25), (12, 35), (80, 120), (70, 140), 50, 90, 80, 65),
    AgeBand("12–16 years", 16, (12, 20), (10, 30), (60, 100), (55, 130), 40, 100, 90, 70),
)


@dataclass(frozen=True)
class Finding:
    """One abnormal value: the minimum priority it sets and why."""

    parameter: str
    level: int
    text: str


def band_for_age(age: float) -> AgeBand | None:
    """The age band for a child, or None at 16 and over."""
    for band in BANDS:
        if age < band.age_below:
            return band
    return None


def _grade(value: float, normal: tuple[int, int], marked: tuple[int, int]) -> int | None:
    if value < marked[0] or value > marked[1]:
        return 2
    if value < normal[0] or value > normal[1]:
        return 3
    return None


def check(age: float, vitals: Mapping[str, Any]) -> list[Finding]:
    """Abnormal vital signs for a child of ``age`` years (empty at 16 and over)."""
    band = band_for_age(age)
    if band is None:
        return []
    out: list[Finding] = []
    rr = vitals.get("respiratory_rate")
    if rr is not None:
        level = 1 if rr < band.rr_marked[0] / 2 else _grade(rr, band.rr_normal, band.rr_marked)
        if level:
            out.append(Finding("respiratory_rate", level,
                               f"respiratory rate {rr:g}/min is {_words(level)} for a child "
                               f"aged {band.label} (normal {band.rr_normal[0]}–"
                               f"{band.rr_normal[1]})"))
    hr = vitals.get("pulse")
    if hr is not None:
        level = 1 if hr < band.hr_critical_low else _grade(hr, band.hr_normal, band.hr_marked)
        if level:
            out.append(Finding("pulse", level,
                               f"heart rate {hr:g}/min is {_words(level)} for a child aged "
                               f"{band.label} (normal {band.hr_normal[0]}–{band.hr_normal[1]})"))
    sbp = vitals.get("systolic_bp")
    if sbp is not None:
        level = (1 if sbp < band.sbp_critical_low else 2 if sbp < band.sbp_marked_low
                 else 3 if sbp < band.sbp_normal_low else None)
        if level:
            out.append(Finding("systolic_bp", level,
                               f"systolic BP {sbp:g} mmHg is {_words(level)} for a child aged "
                               f"{band.label} (lower limit of normal {band.sbp_normal_low})"))
    out += _common(band, vitals)
    return out + _together(age, band, vitals, out)


def _hypotension_limit(age: float) -> float:
    """APLS: systolic below 70 + 2 × age (1–10 years), 70 in infants, 90 from 10, is low."""
    if age < 1:
        return 70
    return 70 + 2 * age if age <= 10 else 90


def _together(age: float, band: AgeBand, vitals: Mapping[str, Any],
              single: list[Finding]) -> list[Finding]:
    """Values that mean more together than apart: a child compensates for shock with a fast
    heart and slow capillary refill, and low blood pressure comes late (decompensation)."""
    hr, sbp = vitals.get("pulse"), vitals.get("systolic_bp")
    crt = vitals.get("capillary_refill_s")
    fast = hr is not None and hr > band.hr_normal[1]
    slow_refill = crt is not None and crt >= 3
    limit = _hypotension_limit(age)
    if fast and sbp is not None and sbp < limit:
        return [Finding("shock", 1, f"heart rate {hr:g}/min with systolic BP {sbp:g} mmHg "
                                    f"(below {limit:g} for the age): decompensated shock in a "
                                    "child")]
    if fast and (slow_refill or (sbp is not None and sbp < band.sbp_normal_low)):
        return [Finding("shock", 2, "fast heart rate with slow capillary refill or a low-normal "
                                    "blood pressure: signs of shock in a child")]
    # temperature is left out: a fever alone raises the heart and breathing rates
    if len({f.parameter for f in single} - {"temperature"}) >= 3:
        return [Finding("several", 2, "three or more vital signs outside the normal range for "
                                      "the child's age: very urgent review")]
    return []


def _common(band: AgeBand, vitals: Mapping[str, Any]) -> list[Finding]:
    out = []
    spo2 = vitals.get("spo2")
    if spo2 is not None:
        level = 1 if spo2 < 85 else 2 if spo2 < 92 else 3 if spo2 < 95 else None
        if level:
            out.append(Finding("spo2", level, f"SpO2 {spo2:g} % is {_words(level)} in a child "
                                              "(expect 95 % or more on air)"))
    avpu = vitals.get("consciousness")
    if avpu in ("P", "U"):
        out.append(Finding("consciousness", 1, f"child responds only to pain or not at all "
                                               f"(ACVPU {avpu})"))
    elif avpu in ("C", "V"):
        out.append(Finding("consciousness", 2, f"child is confused or responds only to voice "
                                               f"(ACVPU {avpu})"))
    crt = vitals.get("capillary_refill_s")
    if crt is not None and crt >= 3:
        level = 2 if crt >= 5 else 3
        out.append(Finding("capillary_refill_s", level,
                           f"capillary refill {crt:g} s is prolonged in a child (normal < 3 s)"))
    temp = vitals.get("temperature")
    if temp is not None and (temp < 35.0 or temp >= 40.0):
        out.append(Finding("temperature", 3,
                           f"temperature {temp:.1f} °C in a child aged {band.label}"))
    return out


def _words(level: int) -> str:
    return {1: "critically abnormal", 2: "markedly abnormal", 3: "outside the normal range"}[level]
