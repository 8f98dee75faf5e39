"""NHS number: 10 digits, Modulus 11 check digit (weights 10..2 over the first nine digits)."""

from __future__ import annotations

from appliance.errors import ValidationError


def normalise(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and ch != "-")


def check_digit(first_nine: str) -> int | None:
    """The expected tenth digit, or None when the number can never be valid (remainder 10)."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    if digit == 10:
        return None
    return digit


def is_valid(text: str) -> bool:
    number = normalise(text)
    if len(number) != 10 or not number.isdigit():
        return False
    expected = check_digit(number[:9])
    return expected is not None and expected == int(number[9])


def validate(text: str) -> str:
    """Return the normalised number or raise a message a clinician can act on."""
    number = normalise(text)
    if len(number) != 10 or not number.isdigit():
        raise ValidationError("An NHS number has exactly 10 digits.", field="nhs_number")
    if not is_valid(number):
        raise ValidationError("That NHS number fails its check digit: a digit is probably "
                              "mistyped.", field="nhs_number",
                              hint="Read it again from the card or letter.")
    return number


def format_nhs(number: str) -> str:
    n = normalise(number)
    return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 10 else number
