"""Numbers spoken as words (a dictated question) are read as digits; names that are numbers and
a lone "one" are left alone."""

from __future__ import annotations

import pytest

from appliance.text.spoken_numbers import digits


@pytest.mark.parametrize(("said", "written"), [
    ("six year old roughly twenty kilo in VF", "6 year old roughly 20 kilo in VF"),
    ("temperature thirty eight point one feeding OK", "temperature 38.1 feeding OK"),
    ("five hundred micrograms for an adult", "500 micrograms for an adult"),
    ("two point five milligrams nebulised", "2.5 milligrams nebulised"),
    ("seventy two year old slipped", "72 year old slipped"),
    ("a hundred and twenty over eighty", "120 over 80"),
    ("one in a thousand adrenaline", "1 in 1000 adrenaline"),
    ("sats ninety nine on air", "sats 99 on air"),
    ("aged four with croup", "aged 4 with croup"),
    ("twenty-five kg", "25 kg"),
])
def test_spoken_numbers_are_read_as_digits(said: str, written: str) -> None:
    assert digits(said) == written


@pytest.mark.parametrize("said", [
    "sepsis six abx timing",
    "which one do I give first",
    "the second one",
    "one of the crew",
    "give them a dose",
])
def test_names_and_a_lone_one_stay_words(said: str) -> None:
    assert digits(said) == said
