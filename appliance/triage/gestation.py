"""How far on a pregnancy is, read from how notes and callers write it: "32 weeks pregnant",
"G1 16+2/40", "8/40 preg", "9 wks pregnant", "thirty-two weeks pregnant", "pregnant, 24 weeks".

What it gives: the pregnancy itself (shorthand such as "16+2/40" names no pregnancy word) and
which side of 20 weeks it is. Several problems change meaning at 20 weeks: new headache,
pain under the ribs, vomiting or swelling may be pre-eclampsia (NICE NG133), while morning
sickness and heartburn of early pregnancy are cared for at home (NHS website). The spans are
also what the duration reader leaves alone: "at 16 wks" is how far on, not how long ill.
"""

from __future__ import annotations

import re
from collections.abc import Container

PREGNANCY = "pregnancy"
FROM_20_WEEKS = "pregnancy-20-weeks-or-more"
UNDER_20_WEEKS = "pregnancy-under-20-weeks"
UNDER_6_WEEKS = "pregnancy-under-6-weeks"
_EARLIEST_SCAN = 6  # weeks: before it, bleeding without pain is managed expectantly (NICE NG126)
_HALFWAY = 20  # weeks: NICE NG133 defines pre-eclampsia as arising after 20 weeks

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
          "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40}
_WORDS = (rf"(?:(?:{'|'.join(_TENS)})(?:[\s-]?(?:{'|'.join(_UNITS)}))?|"
          rf"{'|'.join(_TEENS)}|{'|'.join(_UNITS)})")
_NUMBER = rf"(\d{{1,2}}|{_WORDS})"
_WEEKS = r"(?:weeks?|wks?|w)"
_PREGNANT = r"(?:pregnant|preg|pg|gestation|gest|along|into\s+(?:the\s+|her\s+|my\s+)?pregnancy)"
_PATTERNS = (
    # "32 weeks pregnant", "9 wks preg", "ten weeks pregnant", "24 weeks' gestation",
    # "6+3 weeks pregnant", "20 weeks and 3 days pregnant"
    re.compile(rf"\b{_NUMBER}(?:\s*\+\s*\d)?\s*-?\s*{_WEEKS}['’]?"
               rf"(?:\s+(?:and\s+)?(?:\d|a|one|two|three|four|five|six)\s+days?)?"
               rf"\s+(?:of\s+)?{_PREGNANT}\b", re.IGNORECASE),
    # "16+2/40", "8/40", "36/40 preg": obstetric shorthand, weeks of forty
    re.compile(r"(?<![\d/.])(\d{1,2})(?:\s*\+\s*\d)?\s*/\s*40(?![\d/])", re.IGNORECASE),
    # "pregnant, 24 weeks", "pregnant at 16 wks", "G1 at 16 wks", "G2P1 16 weeks"
    re.compile(rf"\b(?:pregnant|preg|g\d(?:\s*p\d)?)\b[\s,:(]*(?:at|about|approx\.?|around)?"
               rf"\s*{_NUMBER}(?:\s*\+\s*\d)?\s*{_WEEKS}\b", re.IGNORECASE),
    # "32+4 phoned in", "ANC home visit 37+2": weeks and days, as a midwife writes a gestation
    # without the "/40"; not a count of hours or days ("2+3 days"), a score ("GCS 14+1"), a
    # dipstick ("protein 2+") or the gestation a baby was born at ("born 37+2")
    re.compile(r"(?<![\d/.+])(?<!gcs\s)(?<!born\s)(?<!born\sat\s)(?<!delivered\sat\s)"
               r"(\d{1,2})\s?\+\s?[0-6](?![\d/+%]|\.\d|\s*(?:days?|d|hours?|hrs?|h|mins?|"
               r"minutes?|weeks?|wks?|months?|years?|yrs?|times?|x)\b)", re.IGNORECASE),
)
_LONGEST_PREGNANCY = 42
_SHORTEST_TOLD = 4  # weeks: a pregnancy is not known before a missed period
_YOUNGEST_MOTHER = 10  # years


def _weeks(word: str) -> int:
    word = word.lower()
    if word.isdigit():
        return int(word)
    if word in _TEENS:
        return _TEENS[word]
    if word in _UNITS:
        return _UNITS[word]
    tens = next(t for t in _TENS if word.startswith(t))
    rest = word[len(tens):].strip(" -")
    return _TENS[tens] + (_UNITS[rest] if rest else 0)


def gestation_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, weeks) of each statement of how far on a pregnancy is."""
    out = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            weeks = _weeks(m.group(1))
            if (1 if pattern is not _PATTERNS[-1] else _SHORTEST_TOLD) <= weeks \
                    <= _LONGEST_PREGNANCY:
                out.append((m.start(), m.end(), weeks))
    return out


def gestation_concepts(text: str, known: Container[str],
                       age: float | None = None) -> frozenset[str]:
    """``pregnancy`` when the text tells how far on one is, with ``pregnancy-20-weeks-or-more``
    from 20 weeks and ``pregnancy-under-20-weeks`` before, and ``pregnancy-under-6-weeks``
    before 6 (each only if the pack defines it).
    A child's note telling a gestation ("born at 34/40") tells the one the child was born at."""
    weeks = [w for _, _, w in gestation_spans(text)]
    if not weeks or age is not None and age < _YOUNGEST_MOTHER:
        return frozenset()
    found = {PREGNANCY, FROM_20_WEEKS if max(weeks) >= _HALFWAY else UNDER_20_WEEKS}
    if max(weeks) < _EARLIEST_SCAN:
        found.add(UNDER_6_WEEKS)
    return frozenset(c for c in found if c in known)
