"""Invariants of the readers over any text, and a round trip over written-out vital signs."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from appliance.assistant.extraction import extract
from appliance.text import units
from appliance.text.patterns import find_all

# Pairs that legitimately share one span: "BP 80/40" and "72M".
SHARED = {frozenset({"vitals.systolic_bp", "vitals.diastolic_bp"}), frozenset({"age", "sex"})}
NUMERIC = ("age", "pain_score", "gcs")
WORDS = st.sampled_from(["HR", "BP", "temp", "T", "RR", "sats", "GCS", "BM", "pulse", "104F",
                         "80/40", "28/40", "72M", "pregnant", "not", "no", "allergic to",
                         "penicillin", "on", "warfarin", "NKDA", "fever", "of", "is", "at",
                         "%", "°F", "mmHg", ",", ".", "weeks", "yo", "over", "and"])
NUMBERS = st.integers(0, 400).map(str) | st.decimals(0, 120, places=1).map(str)
TOKENS = st.lists(WORDS | NUMBERS, max_size=25).map(" ".join)


def _numeric(field: str) -> bool:
    return field.startswith("vitals.") or field in NUMERIC


@settings(max_examples=300, deadline=None)
@given(TOKENS | st.text(max_size=120))
def test_a_piece_of_text_never_gives_two_numeric_values(text: str) -> None:
    hits = [h for h in find_all(text) if _numeric(h.field) and not isinstance(h.value, bool)
            and h.field not in ("vitals.consciousness", "vitals.spo2_scale")]
    for i, a in enumerate(hits):
        assert text[a.start:a.end] == a.span
        for b in hits[i + 1:]:
            if a.start < b.end and b.start < a.end:
                assert frozenset({a.field, b.field}) in SHARED, (a, b)


@settings(max_examples=300, deadline=None)
@given(TOKENS)
def test_extraction_keeps_only_plausible_values(text: str) -> None:
    for v in extract(text, None).values:
        if isinstance(v.value, int | float) and not isinstance(v.value, bool):
            assert units.plausible(v.field, float(v.value)), v


VITALS = st.fixed_dictionaries({
    "pulse": st.integers(30, 220), "rr": st.integers(4, 60), "spo2": st.integers(60, 100),
    "sys": st.integers(50, 250), "dia": st.integers(20, 150),
    "temp": st.decimals(30, 43, places=1), "age": st.integers(18, 99),
    "gcs": st.integers(3, 14), "bm": st.decimals(1, 30, places=1), "pain": st.integers(0, 10),
    "sex": st.sampled_from(["M", "F"]),
})
PHRASES = {
    "pulse": ["HR {}", "pulse {}", "her pulse is {}", "heart rate of {} beats per minute",
              "pulse was racing at {}"],
    "rr": ["RR {}", "resp {}", "RR of {}", "breathing {} times a minute"],
    "spo2": ["sats {}%", "SpO2 {}% RA", "sats of {}% on room air"],
    "bp": ["BP {}/{}", "bp {}/{}", "BP of {}/{} mmHg", "blood pressure {} over {}"],
    "temp": ["T {}", "temp {}", "a temperature of {} °C", "temp {}C"],
    "who": ["{}{}", "{} yo {}"],
}


@settings(max_examples=400, deadline=None)
@given(VITALS, st.randoms(use_true_random=False), st.sampled_from([", ", " ", "; "]))
def test_written_out_vitals_are_read_back_exactly(v: dict[str, Any], rnd: Any,
                                                  joint: str) -> None:
    parts = [rnd.choice(PHRASES["pulse"]).format(v["pulse"]),
             rnd.choice(PHRASES["rr"]).format(v["rr"]),
             rnd.choice(PHRASES["spo2"]).format(v["spo2"]),
             rnd.choice(PHRASES["bp"]).format(v["sys"], v["dia"]),
             rnd.choice(["GCS {}", "GCS {}/15", "GCS of {}"]).format(v["gcs"]),
             rnd.choice(["BM {}", "glucose {} mmol/L", "blood sugar {}"]).format(v["bm"]),
             rnd.choice(["pain {}/10", "pain score {}", "{}/10 pain"]).format(v["pain"]),
             rnd.choice(PHRASES["temp"]).format(v["temp"])]
    rnd.shuffle(parts)
    who = rnd.choice(PHRASES["who"]).format(v["age"], v["sex"]).replace("yo M", "yo male")
    text = who.replace("yo F", "yo female") + ", " + joint.join(parts)
    got = {h.field: h.value for h in find_all(text) if h.field != "vitals.on_oxygen"}
    assert got == {"age": v["age"], "sex": v["sex"], "vitals.pulse": v["pulse"],
                   "vitals.respiratory_rate": v["rr"], "vitals.spo2": v["spo2"],
                   "vitals.systolic_bp": v["sys"], "vitals.diastolic_bp": v["dia"],
                   "vitals.temperature": float(v["temp"]), "gcs": v["gcs"],
                   "vitals.blood_glucose": float(v["bm"]), "pain_score": v["pain"]}, text


@settings(max_examples=300, deadline=None)
@given(st.integers(50, 250), st.integers(10, 42), st.sampled_from(["BP {}/{}", "bp {}/{}",
       "BP of {}/{} mmHg", "blood pressure {}/{}", "{}/{} mmHg"]),
       st.sampled_from(["", "pregnant? unknown. ", "weeks of cough, ", "G1P0, "]))
def test_a_blood_pressure_is_never_read_as_a_gestation(systolic: int, diastolic: int,
                                                       form: str, before: str) -> None:
    text = before + form.format(systolic, diastolic)
    got = {h.field: h.value for h in find_all(text)}
    assert "pregnant" not in got
    assert (got["vitals.systolic_bp"], got["vitals.diastolic_bp"]) == (systolic, diastolic)


@settings(max_examples=300, deadline=None)
@given(st.decimals(95, 108, places=1), st.sampled_from(["temp {}F", "T {}F", "temp {} F",
                                                         "temperature of {}°F", "T {}"]))
def test_a_fahrenheit_temperature_is_never_an_age_or_a_sex(value: Any, form: str) -> None:
    text = "Pt found on floor, " + form.format(value) + ", HR 100"
    got = {h.field: h.value for h in find_all(text)}
    assert "age" not in got and "sex" not in got
    assert got["vitals.temperature"] == units.fahrenheit_to_celsius(float(value))
