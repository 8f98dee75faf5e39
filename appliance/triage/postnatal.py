"""The weeks after a birth, told in days or weeks: "four days after the birth", "my baby is
4 days old", "day 5 postnatal", "3/7 postpartum", and as a midwife or health visitor charts
it: "PN day 12", "Day 5 PN", "PN 2/52", "day 3 post EMCS", "6 wks after baby".

Two contexts come of it. Within two weeks (``first-2-weeks-after-birth``): tearfulness, anxiety
and feeling overwhelmed are the "baby blues", which most new mothers have and which pass within
two weeks (NHS website: feeling depressed after childbirth; NICE CG192); thoughts of harm,
hallucinations or confusion have their own rules and still count. Within six weeks
(``weeks-after-birth``): the time of postnatal pre-eclampsia (NICE NG133), of the highest risk
of a clot (RCOG Green-top 37a) and of maternal sepsis (NICE NG194 postnatal care: red flags),
so breathlessness or chest pain, and a mind that has changed, are read against it.
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "first-2-weeks-after-birth"
WEEKS_CONCEPT = "weeks-after-birth"
FIRST_WEEK_CONCEPT = "first-week-after-birth"
AFTERPAINS = "afterpains"
_FIRST_WEEK = 7  # days: the lochia is heaviest, like a heavy period, in the first days (NHS)
_BLUES_DAYS = 14
_POSTNATAL_DAYS = 42  # six weeks: NICE NG133, RCOG Green-top 37a, MBRRACE-UK's 42 days
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
          "fourteen": 14}
_N = rf"(\d{{1,2}}|{'|'.join(_WORDS)})"
_BIRTH = (r"(?:giving\s+birth|(?:the\s+|an?\s+|her\s+|my\s+)?(?:\w+\s+)?(?:birth|delivery|"
          r"c-?section|caesarean)|having\s+(?:my|her|the|their)\s+(?:baby|first|second|third|"
          r"fourth|1st|2nd|3rd|4th|twins|little\s+one|son|daughter|boy|girl)\b)")
# how a midwife writes the birth after "post": a caesarean (LSCS lower segment, EMCS emergency,
# ELCS elective, CS), a delivery, a forceps or ventouse birth
_POST = (r"(?:pn|pp|post-?natal|post-?partum|post\s+(?:lscs|emcs|elcs|cs|c-?section|section|"
         r"caesarean|delivery|birth|svd|nvd|forceps|ventouse)|after\s+(?:the\s+)?birth)")
_PATTERNS = (
    re.compile(rf"\b{_N}\s+days?\s+(?:after|since)\s+{_BIRTH}\b", re.IGNORECASE),
    re.compile(rf"\bday\s+{_N}\s+(?:after|since)\s+{_BIRTH}\b", re.IGNORECASE),
    re.compile(rf"\b(?:baby|son|daughter)\s+is\s+(?:only\s+)?{_N}\s+days?\s+old\b", re.IGNORECASE),
    # "day 5 postnatal", "Day 5 PN", "day 3 post EMCS"
    re.compile(rf"\bday\s+{_N}\s+{_POST}\b", re.IGNORECASE),
    # "PN day 12", "PN D4", "postnatal day 6", "PN visit day 10"
    re.compile(rf"\b(?:pn|post-?natal|post-?partum)\s+(?:visit\s+|contact\s+)?(?:day|d)\s*{_N}\b",
               re.IGNORECASE),
    re.compile(rf"\b{_N}\s*(?:days?|/7)\s+(?:post-?natal|post-?partum|pn|pp)\b", re.IGNORECASE),
    # "I give birth 5 days ago", "had my baby four days ago", "baby born 3 days ago"
    re.compile(rf"\b(?:gave|give|given)\s+birth\s+{_N}\s+days?\s+ago\b", re.IGNORECASE),
    re.compile(rf"\b(?:had|delivered)\s+(?:my|her|the)\s+(?:\w+\s+)?baby\s+{_N}\s+days?\s+ago\b",
               re.IGNORECASE),
    re.compile(rf"\bbaby\s+(?:was\s+)?born\s+{_N}\s+days?\s+ago\b", re.IGNORECASE),
)
_WEEK_PATTERNS = (
    # "PN 2/52", "PN visit 3/52", "PN 5/52 contact", "2/52 PN"
    re.compile(r"\b(?:pn|post-?natal|post-?partum)\s+(?:visit\s+|contact\s+|check\s+)?"
               r"(\d{1,2})\s*/\s*52\b", re.IGNORECASE),
    re.compile(r"\b(\d{1,2})\s*/\s*52\s+(?:pn|pp|post-?natal|post-?partum)\b", re.IGNORECASE),
    # "6 wks after baby", "3 weeks after the birth", "4 weeks postnatal", "5 weeks since my
    # c-section", "two weeks after having my baby"
    re.compile(rf"\b{_N}\s*(?:weeks?|wks?)\s+(?:(?:after|since)\s+(?:{_BIRTH}|(?:the\s+|my\s+|"
               rf"her\s+)?baby\b)|post-?natal|post-?partum|pn|pp)\b", re.IGNORECASE),
)


def _count(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else _WORDS[word]


def days_since_birth(text: str) -> int | None:
    """The fewest days since a birth the note tells (weeks counted as seven days), or None."""
    told = [_count(m.group(1)) for p in _PATTERNS for m in p.finditer(text)]
    told += [7 * _count(m.group(1)) for p in _WEEK_PATTERNS for m in p.finditer(text)]
    return min(told, default=None)


# afterpains: cramps like a period's when the baby feeds, as the womb contracts in the first
# days, stronger with each baby (NHS website: your body after the birth; NICE NG194)
_CRAMPS = re.compile(r"\b(?:cramp\w*|period[\s-]*(?:type|like|ish)?\s+pains?|period\s+pains?|"
                     r"after[\s-]*(?:birth\s+)?pains|tightenings?|contraction[\s-]*like)\b",
                     re.IGNORECASE)
_FEEDING = re.compile(r"\b(?:feed\w*|breast\s*feed\w*|bf|nursing|latch\w*|on\s+the\s+breast)\b",
                      re.IGNORECASE)
_SENTENCE = re.compile(r"[^.;!?\n]+")


def first_two_weeks_after_birth(text: str, known: Container[str]) -> frozenset[str]:
    """``first-2-weeks-after-birth`` when the note tells a birth 14 days ago or less, and
    ``weeks-after-birth`` when it tells one six weeks ago or less, ``first-week-after-birth``
    within 7 days; ``afterpains`` when, within two weeks, cramps come with feeds (each if the
    pack has it)."""
    days = days_since_birth(text)
    if days is None:
        return frozenset()
    found = {CONCEPT} if days <= _BLUES_DAYS else set()
    if days <= _FIRST_WEEK:
        found.add(FIRST_WEEK_CONCEPT)
    if days <= _POSTNATAL_DAYS:
        found.add(WEEKS_CONCEPT)
    if days <= _BLUES_DAYS and any(_CRAMPS.search(s.group()) and _FEEDING.search(s.group())
                                   for s in _SENTENCE.finditer(text)):
        found.add(AFTERPAINS)
    return frozenset(c for c in found if c in known)
