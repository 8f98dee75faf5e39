"""Numbers in shorthand and in prose, read with the word that names them, in triage units."""

from __future__ import annotations

from typing import Any

import pytest

from appliance.text.patterns import find_all, triage_fields


def read(text: str) -> dict[str, Any]:
    """{field: value} for single-valued fields (lists are tested in test_history.py)."""
    return {h.field: h.value for h in find_all(text)
            if h.field not in ("allergies", "medications")}


@pytest.mark.parametrize(("text", "field", "value"), [
    ("a temperature of 103.5°F since last night", "vitals.temperature", 39.7),
    ("temp 104F", "vitals.temperature", 40.0),
    ("T 39.8", "vitals.temperature", 39.8),
    ("febrile to 39", "vitals.temperature", 39.0),
    ("spiking to 40.2 overnight", "vitals.temperature", 40.2),
    ("fever of 102", "vitals.temperature", 38.9),
    ("temperature's been 37.2 all day", "vitals.temperature", 37.2),
    ("T 38,5", "vitals.temperature", 38.5),  # a decimal comma
    ("temp 39.2 HR 110", "vitals.temperature", 39.2),  # "HR" after a number is not hours
    ("RR 24 HR 110", "vitals.respiratory_rate", 24),
    ("her pulse is 124 and she feels faint", "vitals.pulse", 124),
    ("HR 130", "vitals.pulse", 130),
    ("heart rate of 120 beats per minute", "vitals.pulse", 120),
    ("pulse was racing at 140", "vitals.pulse", 140),
    ("tachycardic at 134", "vitals.pulse", 134),
    ("resp 30", "vitals.respiratory_rate", 30),
    ("RR of 28", "vitals.respiratory_rate", 28),
    ("breathing 32 times a minute", "vitals.respiratory_rate", 32),
    ("T 38.5, P 110, R 24, BP 90/60", "vitals.respiratory_rate", 24),
    ("30 breaths per minute", "vitals.respiratory_rate", 30),
    ("short of breath, sats of 89% on room air", "vitals.spo2", 89),
    ("oxygen saturations of 91% on 4 litres", "vitals.spo2", 91),
    ("his oxygen was 85% on the finger thing", "vitals.spo2", 85),
    ("GCS 13", "gcs", 13),
    ("GCS 8 (E2V2M4)", "gcs", 8),
    ("E3V4M6", "gcs", 13),
    ("BM 2.1", "vitals.blood_glucose", 2.1),
    ("BM 450 mg/dL", "vitals.blood_glucose", 25.0),
    ("his sugar was 2.2 on his meter", "vitals.blood_glucose", 2.2),
    ("rates the pain 9 out of 10", "pain_score", 9),
    ("her pain is a 6", "pain_score", 6),
    ("pain: 8, HR 100", "pain_score", 8),
    ("BP 90 systolic", "vitals.systolic_bp", 90),
    ("denies CP HR 110 BP 90/60", "vitals.pulse", 110),  # the denial is of the chest pain
    ("no SOB RR 18", "vitals.respiratory_rate", 18),
])
def test_a_number_is_read_with_the_word_that_names_it(text: str, field: str, value: Any) -> None:
    assert read(text)[field] == value


@pytest.mark.parametrize(("text", "bp"), [
    ("her pulse is 124 and BP of 84/52 mmHg, feels faint", (84, 52)),
    ("bp 80/40", (80, 40)),
    ("blood pressure was 80 over 40", (80, 40)),
    ("hypotensive at 82/44 despite fluids", (82, 44)),
    ("BP 16/10 kPa", (120, 75)),
])
def test_blood_pressure_in_mmhg(text: str, bp: tuple[int, int]) -> None:
    values = read(text)
    assert (values["vitals.systolic_bp"], values["vitals.diastolic_bp"]) == bp


def test_the_issue_note_gives_its_vitals_and_nothing_about_the_person() -> None:
    values = read("Pt found on floor, confused, temp 104F, resp 30, pulse 130, bp 80/40")
    assert values == {"vitals.temperature": 40.0, "vitals.respiratory_rate": 30,
                      "vitals.pulse": 130, "vitals.systolic_bp": 80, "vitals.diastolic_bp": 40}


@pytest.mark.parametrize("text", ["temp 104F", "T 101.3F", "T 98.6F, HR 70", "temp 99F"])
def test_a_temperature_is_never_an_age_or_a_sex(text: str) -> None:
    values = read(text)
    assert "vitals.temperature" in values
    assert "age" not in values and "sex" not in values


@pytest.mark.parametrize("text", ["bp 80/40", "BP 110/40, HR 80", "BP 40/40 unrecordable",
                                  "blood pressure 120/40 mmHg"])
def test_a_blood_pressure_is_never_a_pregnancy(text: str) -> None:
    assert "pregnant" not in read(text)


@pytest.mark.parametrize(("text", "pregnant"), [
    ("28/40 pregnant, headache", True),
    ("G2P1 at 34 weeks gestation", True),
    ("she is 30 weeks pregnant", True),
    ("primip 38/40, contractions", True),
    ("36/40", None),  # no word about pregnancy: a fraction, not a gestation
    ("not pregnant", False),
    ("pregnancy test negative", False),
    ("not sure if I'm pregnant", None),
    ("history of ectopic pregnancy", None),
    ("no bleeding 8 weeks pregnant", True),  # the denial is of the bleeding
    ("denies being pregnant", False),
    ("no chance of pregnancy", False),
    ("could be pregnant", None),
])
def test_gestation_counts_only_with_words_about_pregnancy(text: str,
                                                          pregnant: bool | None) -> None:
    assert read(text).get("pregnant") == pregnant


@pytest.mark.parametrize("text", ["no fever", "afebrile", "apyrexial, HR 80", "denies SOB",
                                  "fever for 10 days", "T12 fracture", "not tachycardic"])
def test_negation_and_other_numbers_invent_no_vital_sign(text: str) -> None:
    values = read(text)
    assert not {"vitals.temperature", "vitals.respiratory_rate"} & set(values)
    assert "vitals.pulse" not in values or text == "apyrexial, HR 80"


@pytest.mark.parametrize(("text", "absent"), [
    ("fell 3m off scaffold", "age"), ("Fall from 4M scaffold", "sex"),
    ("smoker for 20 years", "age"), ("she's 30 weeks pregnant", "age"),
    ("HR 140s", "vitals.pulse"), ("target sats 88-92%", "vitals.spo2"),
    ("T 37,5 days", "vitals.temperature"), ("pain: 2 days", "pain_score"),
    ("RR 22 hrs", "vitals.respiratory_rate"),
    ("L2, R 18G cannula", "vitals.respiratory_rate"), ("R 5th finger", "vitals.respiratory_rate"),
    ("Obs: 37.8, 110, 22, 95%, 100/60", "vitals.pulse"),
    ("He weighs 80 kg, is 180 cm tall", "age"), ("x20 tabs 4h ago", "vitals.pulse"),
    ("her husband says she collapsed", "sex"),
])
def test_numbers_of_other_things_are_not_read(text: str, absent: str) -> None:
    assert absent not in read(text)


@pytest.mark.parametrize(("text", "age", "sex"), [
    ("72M CP", 72, "M"), ("Pt 49M found on floor", 49, "M"), ("F 62 yo, syncope", 62, "F"),
    ("a 45-year-old woman", 45, "F"), ("my daughter is 4", 4, "F"),
    ("6 month old girl", 0.5, "F"), ("Mrs Jones, 81, is confused", 81, "F"),
    ("my 80 year old mum fell", 80, "F"), ("I'm 24 and I'm pregnant", 24, None),
])
def test_age_and_sex_from_the_words_that_say_them(text: str, age: float,
                                                   sex: str | None) -> None:
    values = read(text)
    assert values["age"] == age and values.get("sex") == sex


def test_every_hit_span_is_the_text_at_its_offsets() -> None:
    text = "72M, temp 104F, BP of 84/52 mmHg, allergic to penicillin, on warfarin, NKDA"
    for h in find_all(text):
        assert text[h.start:h.end] == h.span


@pytest.mark.parametrize("text", ["fell asleep on the sofa", "a fall in BP to 80/40",
                                  "flu shot yesterday", "stabbing chest pain",
                                  "seizure, bitten her tongue", "baby has not kicked today",
                                  "came off her tablets last week", "denies any fall",
                                  "no trauma, no fall", "slipped disc in 2019",
                                  "no trauma or fall", "not assaulted"])
def test_words_that_only_sound_like_an_injury_give_no_mechanism(text: str) -> None:
    assert "mechanism" not in read(text)


@pytest.mark.parametrize(("text", "word"), [
    ("fell 3m off scaffold", "fell"), ("was shot in the leg", "shot"),
    ("came off his bike at speed", "came off"), ("kicked by a horse", "kicked"),
    ("stabbed L chest", "stabbed"), ("RTC, driver, high speed", "RTC"),
    ("no LOC after fall from ladder", "fall"),  # the denial is of the loss of consciousness
])
def test_a_mechanism_is_the_clause_that_names_it(text: str, word: str) -> None:
    assert word in read(text)["mechanism"]


def test_triage_fields_are_the_case_the_engine_takes() -> None:
    from appliance.text.patterns import triage_fields
    from appliance.triage import parse_input

    hits = find_all("72M, temp 104F, HR 900, BP 80/40, pain 9/10, fell off ladder, NKDA")
    case = triage_fields(hits)
    assert case == {"age": 72, "sex": "M", "pain_score": 9, "mechanism": "fell off ladder",
                    "vitals": {"systolic_bp": 80, "diastolic_bp": 40, "temperature": 40.0}}
    parse_input(case)  # HR 900 is left out: implausible values are never scored


def test_without_history_blanks_the_allergy_words_only() -> None:
    from appliance.text.patterns import without_history

    text = "Allergic to penicillin, on warfarin, NKDA. Swollen lips"
    blank = without_history(text, find_all(text))
    assert len(blank) == len(text)
    assert "allergic" not in blank.lower() and "NKDA" not in blank
    assert "on warfarin" in blank and blank.endswith("Swollen lips")


def test_a_later_reading_is_kept_with_a_note_and_never_misread() -> None:
    hits = find_all("temp 37.0 on arrival, now temp 104F; BP 120/80 initially, now BP 80/40")
    temps = [(h.value, h.note) for h in hits if h.field == "vitals.temperature"]
    assert temps[0] == (37.0, "") and temps[1][0] == 40.0
    assert "another reading" in temps[1][1]
    assert [h.value for h in hits if h.field == "vitals.systolic_bp"] == [120, 80]
    assert not {"age", "sex", "pregnant"} & {h.field for h in hits}


@pytest.mark.parametrize("text", [
    "Wife found pt sweaty and muddled", "wife called, pt confused",
    "Mum calling about her son, he has a rash", "my husband says I was confused",
])
def test_a_relative_who_found_or_called_is_not_the_patient(text: str) -> None:
    assert not [h for h in find_all(text) if h.field == "sex"]


@pytest.mark.parametrize(("text", "sex"), [("Mum's pulse is 38", "F"),
                                           ("my wife has chest pain", "F"),
                                           ("my son has a temperature", "M")])
def test_a_relative_who_is_unwell_gives_the_patient_sex(text: str, sex: str) -> None:
    assert [h.value for h in find_all(text) if h.field == "sex"] == [sex]


@pytest.mark.parametrize(("text", "vitals"), [
    ("BP 120/80 initially, now BP 80/40", {"systolic_bp": 80, "diastolic_bp": 40}),
    ("BP 80/40 on scene, 118/76 after fluids", {"systolic_bp": 80, "diastolic_bp": 40}),
    ("temp 37.0 on arrival, now temp 104F", {"temperature": 40.0}),
    ("HR 88 then HR 140", {"pulse": 140}),
    # glucose is treated and rechecked: the latest is the state now (the low one becomes a
    # finding of its own in the triage reading)
    ("BM 2.8, recheck BM 6.9", {"blood_glucose": 6.9}),
])
def test_of_several_readings_triage_takes_the_most_concerning(
        text: str, vitals: dict[str, Any]) -> None:
    assert triage_fields(find_all(text))["vitals"] == vitals
