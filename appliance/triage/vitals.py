"""Validation of vital signs: types, units, impossible values and implausible ones.

Impossible values (SpO2 140 %, a negative pulse, a temperature that must be Fahrenheit) raise
:class:`~appliance.errors.ValidationError` naming the field, so nothing is scored from them.
Merely implausible values (a pulse of 250) are kept but returned as warnings, so the assessment
can flag them instead of scoring them silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from appliance.errors import ValidationError

CONSCIOUSNESS_LEVELS = ("A", "C", "V", "P", "U")
_CONSCIOUSNESS_WORDS = {
    "alert": "A", "confusion": "C", "new confusion": "C", "confused": "C", "voice": "V",
    "pain": "P", "unresponsive": "U",
}


@dataclass(frozen=True)
class NumericField:
    """Limits for one numeric vital sign."""

    label: str
    unit: str
    lowest: float          # below this is impossible
    highest: float         # above this is impossible
    plausible_low: float   # below this is flagged as implausible
    plausible_high: float  # above this is flagged as implausible


NUMERIC: dict[str, NumericField] = {
    "respiratory_rate": NumericField("respiratory rate", "/min", 0, 100, 4, 60),
    "spo2": NumericField("SpO2", "%", 0, 100, 50, 100),
    "systolic_bp": NumericField("systolic blood pressure", "mmHg", 0, 300, 50, 250),
    "diastolic_bp": NumericField("diastolic blood pressure", "mmHg", 0, 250, 20, 150),
    "pulse": NumericField("pulse", "/min", 0, 350, 25, 220),
    "temperature": NumericField("temperature", "°C", 20.0, 45.0, 30.0, 43.0),
    "capillary_refill_s": NumericField("capillary refill time", "s", 0, 30, 0, 10),
    "blood_glucose": NumericField("blood glucose", "mmol/L", 0.1, 100, 1.0, 50),
}

VITAL_FIELDS: tuple[str, ...] = (
    "respiratory_rate", "spo2", "spo2_scale", "on_oxygen", "systolic_bp", "diastolic_bp",
    "pulse", "temperature", "consciousness", "capillary_refill_s", "blood_glucose",
)


def round_temperature(value: float) -> float:
    """Temperature to one decimal place, halves rounded up (36.05 → 36.1), as NEWS2 charts it."""
    return float(Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _number(name: str, value: Any) -> float | int:
    # bool is an int subclass in Python: "pulse": true must not become 1
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(
            f"vitals.{name} must be a number, got {type(value).__name__} {value!r}",
            field=f"vitals.{name}", hint="send numbers without units or quotes, e.g. 97")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError(f"vitals.{name} must be a finite number", field=f"vitals.{name}")
    return value


def _temperature_error(value: float) -> ValidationError:
    if 80.0 <= value <= 115.0:
        celsius = round_temperature((value - 32.0) * 5.0 / 9.0)
        return ValidationError(
            f"vitals.temperature {value:g} is impossible in °C — was that Fahrenheit? "
            f"{value:g} °F = {celsius:.1f} °C",
            field="vitals.temperature", hint=f"enter the temperature in °C ({celsius:.1f})")
    return ValidationError(
        f"vitals.temperature {value:g} °C is outside what a living patient can have (20–45 °C)",
        field="vitals.temperature", hint="re-measure and enter the value in °C")


def validate_vitals(d: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Check a vital-signs mapping; return (clean values, warnings).

    Clean values keep only the fields given (nothing is imputed); temperature is rounded to one
    decimal; consciousness is normalised to one of A, C, V, P, U. Raises ValidationError naming
    the field for unknown fields, wrong types and impossible values.
    """
    if not isinstance(d, Mapping):
        raise ValidationError(f"vitals must be an object, got {type(d).__name__}",
                              field="vitals")
    clean: dict[str, Any] = {}
    warnings: list[str] = []
    for name in sorted(d):
        value = d[name]
        if name not in VITAL_FIELDS:
            raise ValidationError(
                f"unknown field vitals.{name}", field=f"vitals.{name}",
                hint=f"known vital signs: {', '.join(VITAL_FIELDS)}")
        if value is None:
            continue  # explicit null means "not measured"
        if name in NUMERIC:
            clean[name] = _check_numeric(name, _number(name, value), warnings)
        elif name == "spo2_scale":
            if isinstance(value, bool) or value not in (1, 2):
                raise ValidationError(
                    f"vitals.spo2_scale must be 1 or 2, got {value!r}", field="vitals.spo2_scale",
                    hint="scale 2 only when a clinician has set a target of 88–92 %")
            clean[name] = int(value)
        elif name == "on_oxygen":
            if not isinstance(value, bool):
                raise ValidationError(
                    f"vitals.on_oxygen must be true or false, got {value!r}",
                    field="vitals.on_oxygen")
            clean[name] = value
        elif name == "consciousness":
            clean[name] = _consciousness(value)
    _cross_checks(clean, warnings)
    return clean, warnings


def _check_numeric(name: str, value: float | int, warnings: list[str]) -> float | int:
    spec = NUMERIC[name]
    if name == "temperature" and not spec.lowest <= value <= spec.highest:
        raise _temperature_error(float(value))
    if not spec.lowest <= value <= spec.highest:
        raise ValidationError(
            f"vitals.{name} {value:g} {spec.unit} is impossible "
            f"(allowed {spec.lowest:g}–{spec.highest:g})",
            field=f"vitals.{name}", hint=f"re-measure the {spec.label}")
    if name == "temperature":
        value = round_temperature(value)
    if not spec.plausible_low <= value <= spec.plausible_high:
        warnings.append(
            f"vitals.{name} {value:g} {spec.unit} is implausible: re-measure the {spec.label} "
            f"before relying on it")
    return value


def _consciousness(value: Any) -> str:
    if isinstance(value, str):
        text = value.strip()
        if text.upper() in CONSCIOUSNESS_LEVELS:
            return text.upper()
        if text.lower() in _CONSCIOUSNESS_WORDS:
            return _CONSCIOUSNESS_WORDS[text.lower()]
    raise ValidationError(
        f"vitals.consciousness must be one of A, C, V, P, U (ACVPU), got {value!r}",
        field="vitals.consciousness",
        hint="A alert, C new confusion, V responds to voice, P to pain, U unresponsive")


def _cross_checks(clean: dict[str, Any], warnings: list[str]) -> None:
    sbp, dbp = clean.get("systolic_bp"), clean.get("diastolic_bp")
    if sbp is not None and dbp is not None and dbp >= sbp:
        warnings.append(f"vitals.diastolic_bp {dbp:g} is not below systolic {sbp:g}: "
                        "re-measure the blood pressure")
    if clean.get("spo2_scale") == 2 and "spo2" not in clean:
        warnings.append("vitals.spo2_scale is set but no SpO2 was given")
