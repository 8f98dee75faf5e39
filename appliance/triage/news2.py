"""NEWS2 (Royal College of Physicians, 2017), exactly as charted in ``clinical_rules.md``.

Each parameter is scored on its own; the total is their sum. A missing parameter makes the score
incomplete (never imputed): the total is then a lower bound of the true score, which is still safe
to escalate on. NEWS2 is not validated for under-16s or in pregnancy: :func:`score` says so instead
of scoring. SpO2 scale 2 is used only when the input says so (a clinician's recorded choice).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from appliance.triage.vitals import validate_vitals

#: The seven NEWS2 parameters, in chart order.
PARAMETERS: tuple[str, ...] = (
    "respiratory_rate", "spo2", "on_oxygen", "systolic_bp", "pulse", "consciousness",
    "temperature",
)

MONITORING = {
    "routine": "12-hourly observations",
    "low": "4–6-hourly observations",
    "low-medium": "hourly observations; urgent ward-based review",
    "medium": "hourly observations; urgent clinical review (think sepsis if infection possible)",
    "high": "continuous monitoring; emergency assessment by a critical-care-competent team",
}

BAND_LABELS = {
    "routine": "score 0 (low risk)",
    "low": "low risk",
    "low-medium": "low–medium risk (a single red score)",
    "medium": "medium risk (urgent response threshold)",
    "high": "high risk (emergency response threshold)",
}


@dataclass(frozen=True)
class ParameterScore:
    """One parameter's value and its points on the chart."""

    value: Any
    score: int

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "score": self.score}


@dataclass(frozen=True)
class News2Result:
    """The NEWS2 breakdown. ``total`` is a lower bound when ``complete`` is false."""

    applicable: bool
    total: int | None
    complete: bool
    band: str | None
    red_score: bool
    red_parameters: tuple[str, ...]
    parameters: dict[str, ParameterScore]
    missing: tuple[str, ...]
    scale: int
    monitoring: str | None
    note: str | None = None
    warnings: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "applicable": self.applicable, "total": self.total, "complete": self.complete,
            "band": self.band, "red_score": self.red_score,
            "red_parameters": list(self.red_parameters),
            "parameters": {k: v.to_json() for k, v in self.parameters.items()},
            "missing": list(self.missing), "scale": self.scale,
            "monitoring": self.monitoring, "note": self.note,
        }


def respiratory_rate_points(rr: float) -> int:
    """≤8 → 3; 9–11 → 1; 12–20 → 0; 21–24 → 2; ≥25 → 3."""
    if rr <= 8:
        return 3
    if rr <= 11:
        return 1
    if rr <= 20:
        return 0
    if rr <= 24:
        return 2
    return 3


def spo2_points(spo2: float, scale: int, on_oxygen: bool | None) -> int:
    """Scale 1 or scale 2 (88–92 % target). Scale 2 above 92 % scores only on oxygen."""
    if scale == 1:
        if spo2 <= 91:
            return 3
        if spo2 <= 93:
            return 2
        if spo2 <= 95:
            return 1
        return 0
    if spo2 <= 83:
        return 3
    if spo2 <= 85:
        return 2
    if spo2 <= 87:
        return 1
    if spo2 <= 92 or not on_oxygen:
        return 0  # 88–92, or ≥93 on air
    if spo2 <= 94:
        return 1
    if spo2 <= 96:
        return 2
    return 3


def oxygen_points(on_oxygen: bool) -> int:
    """Supplemental oxygen → 2; air → 0."""
    return 2 if on_oxygen else 0


def systolic_bp_points(sbp: float) -> int:
    """≤90 → 3; 91–100 → 2; 101–110 → 1; 111–219 → 0; ≥220 → 3."""
    if sbp <= 90:
        return 3
    if sbp <= 100:
        return 2
    if sbp <= 110:
        return 1
    if sbp <= 219:
        return 0
    return 3


def pulse_points(pulse: float) -> int:
    """≤40 → 3; 41–50 → 1; 51–90 → 0; 91–110 → 1; 111–130 → 2; ≥131 → 3."""
    if pulse <= 40:
        return 3
    if pulse <= 50:
        return 1
    if pulse <= 90:
        return 0
    if pulse <= 110:
        return 1
    if pulse <= 130:
        return 2
    return 3


def consciousness_points(level: str) -> int:
    """Alert → 0; new confusion, voice, pain or unresponsive → 3."""
    return 0 if level == "A" else 3


def temperature_points(temp: float) -> int:
    """≤35.0 → 3; 35.1–36.0 → 1; 36.1–38.0 → 0; 38.1–39.0 → 1; ≥39.1 → 2 (one decimal)."""
    if temp <= 35.0:
        return 3
    if temp <= 36.0:
        return 1
    if temp <= 38.0:
        return 0
    if temp <= 39.0:
        return 1
    return 2


def band_for(total: int, red_score: bool) -> str:
    """Clinical-risk band: 0 routine, 1–4 low, a single 3 low-medium, 5–6 medium, ≥7 high."""
    if total >= 7:
        return "high"
    if total >= 5:
        return "medium"
    if red_score:
        return "low-medium"
    return "low" if total >= 1 else "routine"


def not_validated_reason(age: float | None, pregnant: bool | None) -> str | None:
    """Why NEWS2 must not be used for this patient, or None when it may."""
    if age is not None and age < 16:
        return ("NEWS2 is not validated for under-16s: use age-specific paediatric ranges "
                "instead")
    if pregnant:
        return ("NEWS2 is not validated in pregnancy: use the local obstetric early warning "
                "chart")
    return None


def score(vitals: Mapping[str, Any], *, age: float | None = None,
          pregnant: bool | None = None, validated: bool = False) -> News2Result:
    """Score NEWS2 from a vital-signs mapping (raw, or already cleaned with ``validated=True``).

    Raises ValidationError (naming the field) for impossible values. Under-16s and pregnancy
    give ``applicable=False`` with a note instead of a score.
    """
    clean, warnings = (dict(vitals), []) if validated else validate_vitals(vitals)
    scale = int(clean.get("spo2_scale", 1))
    reason = not_validated_reason(age, pregnant)
    if reason is not None:
        return News2Result(False, None, False, None, False, (), {}, (), scale, None, reason,
                           tuple(warnings))
    on_oxygen = clean.get("on_oxygen")
    scorers: dict[str, Callable[[Any], int]] = {
        "respiratory_rate": respiratory_rate_points,
        "spo2": lambda v: spo2_points(v, scale, on_oxygen),
        "on_oxygen": oxygen_points,
        "systolic_bp": systolic_bp_points,
        "pulse": pulse_points,
        "consciousness": consciousness_points,
        "temperature": temperature_points,
    }
    parameters: dict[str, ParameterScore] = {}
    missing: list[str] = []
    for name in PARAMETERS:
        if name in clean:
            parameters[name] = ParameterScore(clean[name], scorers[name](clean[name]))
        else:
            missing.append(name)
    total = sum(p.score for p in parameters.values())
    reds = tuple(name for name, p in parameters.items() if p.score == 3)
    complete = not missing
    band: str | None = band_for(total, bool(reds))
    note = None
    if not complete:
        note = (f"incomplete: {', '.join(missing)} not recorded (never imputed); "
                f"the total is a minimum")
        if band in ("routine", "low"):
            band = None  # a low band from a partial score would reassure falsely
    if age is None and parameters:
        note = ((note + "; ") if note else "") + "age not given: scored as an adult"
    return News2Result(
        applicable=True, total=total if parameters else None, complete=complete, band=band,
        red_score=bool(reds), red_parameters=reds, parameters=parameters,
        missing=tuple(missing), scale=scale,
        monitoring=MONITORING[band] if band else None, note=note, warnings=tuple(warnings))
