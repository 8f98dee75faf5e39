"""Vital-sign validation: impossible values refused with the field named, odd ones flagged."""

from __future__ import annotations

import pytest

from appliance.errors import ValidationError
from appliance.triage.vitals import validate_vitals


@pytest.mark.parametrize(("field", "value"), [
    ("spo2", 140), ("pulse", -5), ("respiratory_rate", 150), ("systolic_bp", 400),
    ("temperature", 60.0), ("temperature", 12.0), ("capillary_refill_s", -1),
    ("blood_glucose", -2)])
def test_impossible_values_are_refused_naming_the_field(field: str, value: float) -> None:
    with pytest.raises(ValidationError) as info:
        validate_vitals({field: value})
    assert info.value.field == f"vitals.{field}"
    assert field in str(info.value)


def test_a_fahrenheit_temperature_gets_the_conversion() -> None:
    with pytest.raises(ValidationError) as info:
        validate_vitals({"temperature": 95})
    assert "was that Fahrenheit? 95 °F = 35.0 °C" in str(info.value)
    assert info.value.field == "vitals.temperature"


@pytest.mark.parametrize(("field", "value"), [("pulse", "80"), ("spo2", True), ("spo2", None),
                                               ("on_oxygen", "yes"), ("spo2_scale", 3),
                                               ("consciousness", "X"), ("pulse", [80])])
def test_wrong_types_are_refused(field: str, value: object) -> None:
    if value is None:  # null means "not measured": allowed, and nothing is imputed
        assert validate_vitals({field: value}) == ({}, [])
        return
    with pytest.raises(ValidationError) as info:
        validate_vitals({field: value})
    assert info.value.field == f"vitals.{field}"


def test_unknown_vital_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        validate_vitals({"heart_rate": 80})
    assert info.value.field == "vitals.heart_rate"


@pytest.mark.parametrize(("field", "value"), [("pulse", 250), ("respiratory_rate", 70),
                                               ("systolic_bp", 40), ("temperature", 29.5)])
def test_implausible_values_are_kept_but_flagged(field: str, value: float) -> None:
    clean, warnings = validate_vitals({field: value})
    assert clean[field] == value
    assert len(warnings) == 1 and field in warnings[0] and "implausible" in warnings[0]


def test_diastolic_above_systolic_is_flagged() -> None:
    _, warnings = validate_vitals({"systolic_bp": 90, "diastolic_bp": 100})
    assert warnings and "diastolic" in warnings[0]


def test_clean_values_normalise_consciousness_and_round_temperature() -> None:
    clean, warnings = validate_vitals({"consciousness": "alert", "temperature": 37.25})
    assert clean == {"consciousness": "A", "temperature": 37.3} and warnings == []
