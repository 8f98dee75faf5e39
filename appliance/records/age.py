"""A patient's age from their date of birth: the one place it is computed.

Completed years, months and days as UK practice counts them: an anniversary that does not exist
in a given year or month (29 February, 31 April) is reached the next day (1 March, 1 May).
Triage bands use completed years; people read infants' ages in months, newborns' in days.
"""

from __future__ import annotations

from datetime import date

from appliance.errors import ValidationError

MONTHS_SHOWN_BELOW_YEARS = 2
"""Under two, an age is shown in months (under one month, in days)."""


def _check(dob: date, on: date) -> None:
    if dob > on:
        raise ValidationError("Date of birth is after the date the age is needed for.",
                              field="date_of_birth")


def years(dob: date, on: date) -> int:
    """Completed years on ``on`` (0 for an infant)."""
    _check(dob, on)
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def months(dob: date, on: date) -> int:
    """Completed months on ``on``."""
    _check(dob, on)
    return (on.year - dob.year) * 12 + on.month - dob.month - (on.day < dob.day)


def describe(dob: date, on: date) -> str:
    """The age as a clinician says it: "67 years", "8 months", "10 days"."""
    if years(dob, on) >= MONTHS_SHOWN_BELOW_YEARS:
        n, unit = years(dob, on), "year"
    elif months(dob, on) >= 1:
        n, unit = months(dob, on), "month"
    else:
        n, unit = (on - dob).days, "day"
    return f"{n} {unit}{'' if n == 1 else 's'}"


def short(dob: date, on: date) -> str:
    """The age in a narrow column: "67", "8m" (months), "10d" (days)."""
    if years(dob, on) >= MONTHS_SHOWN_BELOW_YEARS:
        return str(years(dob, on))
    if months(dob, on) >= 1:
        return f"{months(dob, on)}m"
    return f"{(on - dob).days}d"
