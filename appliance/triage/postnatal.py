"""The first two weeks after a birth, told in days: "four days after the birth", "my baby is
4 days old", "day 5 postnatal", "3/7 postpartum".

Tearfulness, anxiety and feeling overwhelmed in these days are the "baby blues", which most new
mothers have and which pass within two weeks (NHS website: feeling depressed after childbirth;
NICE CG192). The context lets low mood or anxiety be cared for with support and advice; thoughts
of harm, hallucinations or confusion have their own rules and still count.
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "first-2-weeks-after-birth"
_BLUES_DAYS = 14
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
          "fourteen": 14}
_N = rf"(\d{{1,2}}|{'|'.join(_WORDS)})"
_BIRTH = (r"(?:giving\s+birth|(?:the\s+|an?\s+|her\s+|my\s+)?(?:\w+\s+)?(?:birth|delivery|"
          r"c-?section|caesarean)|having\s+(?:my|her|the|their)\s+baby)")
_PATTERNS = (
    re.compile(rf"\b{_N}\s+days?\s+(?:after|since)\s+{_BIRTH}\b", re.IGNORECASE),
    re.compile(rf"\b(?:baby|son|daughter)\s+is\s+(?:only\s+)?{_N}\s+days?\s+old\b", re.IGNORECASE),
    re.compile(rf"\bday\s+{_N}\s+(?:post-?natal|post-?partum|after\s+(?:the\s+)?birth)\b",
               re.IGNORECASE),
    re.compile(rf"\b{_N}\s*(?:days?|/7)\s+(?:post-?natal|post-?partum|pn|pp)\b", re.IGNORECASE),
    # "I give birth 5 days ago", "had my baby four days ago", "baby born 3 days ago"
    re.compile(rf"\b(?:gave|give|given)\s+birth\s+{_N}\s+days?\s+ago\b", re.IGNORECASE),
    re.compile(rf"\b(?:had|delivered)\s+(?:my|her|the)\s+(?:\w+\s+)?baby\s+{_N}\s+days?\s+ago\b",
               re.IGNORECASE),
    re.compile(rf"\bbaby\s+(?:was\s+)?born\s+{_N}\s+days?\s+ago\b", re.IGNORECASE),
)


def first_two_weeks_after_birth(text: str, known: Container[str]) -> frozenset[str]:
    """``first-2-weeks-after-birth`` when the note tells a birth 14 days ago or less."""
    if CONCEPT not in known:
        return frozenset()
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            word = m.group(1).lower()
            days = int(word) if word.isdigit() else _WORDS[word]
            if days <= _BLUES_DAYS:
                return frozenset({CONCEPT})
    return frozenset()
