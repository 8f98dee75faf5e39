"""Numbers spoken as words, as a dictated question gives them, in digits: "six year old" is
"6 year old", "thirty eight point one" is "38.1", "five hundred micrograms" is "500 micrograms".

Protocol lines and the readers of ages, weights, doses and readings work on digits; speech-to-text
engines often write numbers out. A lone number word is left as a word ("the second one", "a
dose", "Sepsis Six") unless a unit or an age follows it ("one year old", "six mg") or, for
numbers other than one, a reading's name comes before it ("sats ninety", "aged four").
"""

from __future__ import annotations

import re

_UNITS = {"zero": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
          "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
          "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
          "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90}
_WORD = "|".join(sorted({*_UNITS, *_TENS, "hundred", "thousand"}, key=len, reverse=True))
_RUN = re.compile(
    rf"\b(?:(?:a|an)\s+(?=hundred|thousand))?(?:{_WORD})(?:(?:\s+|-)(?:and\s+)?(?:{_WORD}))*"
    rf"(?:\s+point(?:\s+(?:{'|'.join(_UNITS)}))+)?\b", re.IGNORECASE)
# what may follow a lone "one" for it to be a number
_UNIT_AFTER = re.compile(
    r"\s*(?:-\s*)?(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seconds?|"
    r"secs?|kg|kilos?|kilograms?|g|grams?|mg|milligrams?|mcg|micrograms?|ml|mils?|millilit\w*|"
    r"litres?|liters?|l|mmol|mill|joules?|j|puffs?|tablets?|doses?|percent|%|degrees?|"
    r"point|in\s+(?:a|one)?\s*(?:thousand|ten\s+thousand))\b", re.IGNORECASE)


_CUE_BEFORE = re.compile(
    r"\b(?:temp\w*|sats?|saturations?|pulse|rate|bp|pressure|score\w*|gcs|news2?|bm|sugar|"
    r"glucose|flow|aged?|weighs?|weighing|roughly|about|around|over|under|is|was|at)\s+$",
    re.IGNORECASE)


def _value(words: list[str]) -> float | None:
    total, current = 0, 0
    for w in words:
        if w in ("a", "an", "and"):
            current = current or (1 if w in ("a", "an") else current)
            continue
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
    return float(total + current)


def _digits(m: re.Match[str]) -> str:
    text = m.group(0)
    parts = re.split(r"\s+point\s+", text.lower(), maxsplit=1)
    whole, fraction = parts[0], parts[1] if len(parts) > 1 else ""
    words = [w for w in re.split(r"[\s-]+", whole) if w]
    value = _value(words)
    if value is None:
        return text
    if len(words) == 1 and not fraction and not _UNIT_AFTER.match(m.string, m.end()):
        # a lone number word is a name as often as a number ("Sepsis Six", "the second one"):
        # read only before a unit, or after a reading's name ("sats ninety", "aged four")
        if words[0] in ("one", "a", "an") or not _CUE_BEFORE.search(m.string, 0, m.start()):
            return text
    out = f"{int(value)}"
    if fraction:
        out += "." + "".join(str(_UNITS[w]) for w in fraction.split() if w in _UNITS)
    return out


def digits(text: str) -> str:
    """``text`` with its spoken numbers in digits."""
    return _RUN.sub(_digits, text)
