"""Age from date of birth, at the edges: birthdays, leap days, month ends, infants, newborns."""

from __future__ import annotations

from datetime import date

import pytest

from appliance.errors import ValidationError
from appliance.records import age

D = date.fromisoformat


@pytest.mark.parametrize(("dob", "on", "years"), [
    ("1950-06-15", "2024-06-14", 73),   # the day before the birthday
    ("1950-06-15", "2024-06-15", 74),   # on the birthday
    ("1950-06-15", "2024-06-16", 74),
    ("2008-03-01", "2024-02-29", 15),   # 16 tomorrow: NEWS2 does not apply yet
    ("2008-03-01", "2024-03-01", 16),
    ("2000-02-29", "2023-02-28", 22),   # leap-day birth, common year: not yet on 28 Feb
    ("2000-02-29", "2023-03-01", 23),   # ... reached on 1 March
    ("2000-02-29", "2024-02-28", 23),
    ("2000-02-29", "2024-02-29", 24),   # leap year: on the day itself
    ("2023-12-31", "2024-12-30", 0),
    ("2023-12-31", "2024-12-31", 1),
    ("2024-05-01", "2024-05-01", 0),    # born today
    ("1899-01-01", "2024-12-31", 125),
])
def test_completed_years(dob: str, on: str, years: int) -> None:
    assert age.years(D(dob), D(on)) == years


@pytest.mark.parametrize(("dob", "on", "months"), [
    ("2024-01-15", "2024-02-14", 0),
    ("2024-01-15", "2024-02-15", 1),
    ("2024-01-31", "2024-02-29", 0),    # no 31 February: the month is reached on 1 March
    ("2024-01-31", "2024-03-01", 1),
    ("2023-11-30", "2024-01-29", 1),    # across a year end
    ("2023-11-30", "2024-01-30", 2),
    ("2022-06-10", "2024-06-09", 23),
    ("2022-06-10", "2024-06-10", 24),
])
def test_completed_months(dob: str, on: str, months: int) -> None:
    assert age.months(D(dob), D(on)) == months


@pytest.mark.parametrize(("dob", "on", "text", "narrow"), [
    ("2024-05-01", "2024-05-01", "0 days", "0d"),
    ("2024-05-01", "2024-05-02", "1 day", "1d"),
    ("2024-05-01", "2024-05-31", "30 days", "30d"),
    ("2024-05-01", "2024-06-01", "1 month", "1m"),
    ("2023-05-01", "2024-04-30", "11 months", "11m"),   # under one: the paediatric infant band
    ("2023-05-01", "2024-05-01", "12 months", "12m"),
    ("2022-05-02", "2024-05-01", "23 months", "23m"),
    ("2022-05-01", "2024-05-01", "2 years", "2"),       # from two, in years
    ("1950-01-01", "2024-05-01", "74 years", "74"),
    ("2023-02-28", "2024-02-29", "12 months", "12m"),
])
def test_said_in_days_months_or_years(dob: str, on: str, text: str, narrow: str) -> None:
    assert age.describe(D(dob), D(on)) == text
    assert age.short(D(dob), D(on)) == narrow


def test_a_birth_after_the_date_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        age.years(D("2024-05-02"), D("2024-05-01"))
    assert info.value.field == "date_of_birth"
