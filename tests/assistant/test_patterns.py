"""The deterministic pass reads vitals with no model, keeps spans, and converts units in code."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appliance.assistant.extraction import extract
from appliance.text import units
from appliance.text.spans import find_span, is_verbatim, negated

ISSUE_NOTE = ("72M CP radiating L arm 30 min, sweaty, HR 112 BP 98/60 RR 24 sats 93% RA, "
              "GCS 15, T 36.9")


def fields(text: str) -> dict:
    return extract(text, None).to_triage_input()


def test_the_issue_example_is_read_completely_without_a_model() -> None:
    case = fields(ISSUE_NOTE)
    assert case["age"] == 72 and case["sex"] == "M"
    assert case["vitals"] == {"pulse": 112, "systolic_bp": 98, "diastolic_bp": 60,
                              "respiratory_rate": 24, "spo2": 93, "on_oxygen": False,
                              "temperature": 36.9, "consciousness": "A"}


def test_every_value_is_marked_unconfirmed_and_its_span_is_the_note_text() -> None:
    result = extract(ISSUE_NOTE, None)
    for v in result.values:
        assert v.status == "extracted, unconfirmed"
        assert ISSUE_NOTE[v.start:v.end] == v.span


@pytest.mark.parametrize(("text", "expected"), [
    ("T 101.3F", 38.5), ("temp 38.2", 38.2), ("temp 99.5", 37.5), ("pyrexial 39.4C", 39.4),
])
def test_temperatures_in_fahrenheit_are_converted_and_say_so(text: str, expected: float) -> None:
    result = extract(text, None)
    assert result.get("vitals.temperature").value == expected
    if expected != float(text.split()[-1].rstrip("CF")):
        assert "°F" in result.get("vitals.temperature").note


def test_bp_in_kpa_is_converted_to_mmhg() -> None:
    v = fields("BP 16/10 kPa")["vitals"]
    assert (v["systolic_bp"], v["diastolic_bp"]) == (120, 75)
    assert "pain_score" not in fields("BP 16/10 kPa")


@pytest.mark.parametrize(("text", "on_oxygen"), [
    ("sats 94% on 2L", True), ("SpO2 95% on 15L NRB", True), ("sats 97% RA", False),
    ("sats 96% on air", False), ("sats 91% room air, now on O2", True), ("sats 97%", None),
])
def test_oxygen_status_comes_only_from_explicit_words(text: str, on_oxygen: bool | None) -> None:
    assert fields(text).get("vitals", {}).get("on_oxygen") == on_oxygen


def test_spo2_scale_2_only_from_explicit_text() -> None:
    assert fields("COPD, sats 89% on 2L, scale 2")["vitals"]["spo2_scale"] == 2
    assert fields("COPD, target sats 88-92%, sats 90%")["vitals"]["spo2_scale"] == 2
    assert "spo2_scale" not in fields("known COPD, retainer, sats 89%")["vitals"]


def test_new_confusion_scores_but_plain_confusion_is_only_flagged() -> None:
    assert fields("new confusion since this morning")["vitals"]["consciousness"] == "C"
    result = extract("confused, known dementia", None)
    assert result.get("vitals.consciousness") is None
    assert any("is the confusion new" in f.message for f in result.flags)
    assert "vitals" not in fields("not confused, talking normally")


def test_impossible_values_are_dropped_with_a_flag_not_scored() -> None:
    result = extract("sats 140%, HR 900", None)
    assert result.get("vitals.spo2") is None and result.get("vitals.pulse") is None
    assert {d.field for d in result.dropped} == {"vitals.spo2", "vitals.pulse"}


def test_ages_in_months_and_lay_descriptions() -> None:
    assert fields("6 month old boy, fever")["age"] == 0.5
    assert fields("my husband collapsed")["sex"] == "M"
    assert fields("34 yo female")["age"] == 34 and fields("34 yo female")["sex"] == "F"
    assert fields("28/40 pregnant, headache")["pregnant"] is True
    assert fields("not pregnant")["pregnant"] is False


def test_spans_and_negation_helpers() -> None:
    text = "Pt  denies “chest pain”, c/o SOB"
    assert find_span(text, "pt denies") == (0, 10)
    assert find_span(text, "HR 112") is None
    assert is_verbatim(text, '"chest pain"') and not is_verbatim(text, "crushing pain")
    assert negated(text, text.index("chest")) and not negated(text, text.index("SOB"))


def test_unit_conversions_at_their_edges() -> None:
    assert units.fahrenheit_to_celsius(98.6) == 37.0
    assert units.temperature_celsius(95.0, None)[0] == 35.0  # unit-less 95 is °F
    assert units.temperature_celsius(39.0, None) == (39.0, "")
    assert units.kpa_to_mmhg(13.3) == 100
    assert units.mgdl_to_mmol(72) == 4.0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_text_gives_values_whose_spans_are_in_it_and_never_raises(text: str) -> None:
    result = extract(text, None)
    for v in result.values:
        assert text[v.start:v.end] == v.span
