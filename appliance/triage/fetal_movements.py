"""A baby moving less in the womb, told in the mother's words: "baby hasn't kicked properly since
last night", "not felt him move much today".

Reduced fetal movements need a same-day maternity assessment (RCOG Green-top Guideline 57; NHS
website, your baby's movements). People name the baby and the movement a few words apart and
say "less" in many ways, so this reads the three together within one clause. It is read only
when the patient is old enough to be the mother: a note about a baby who is "not moving" is
about the baby itself, and the lexicon grades that. Before 24 weeks movements are not yet
regular, and not yet feeling them is not this finding (RCOG GTG57).
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "reduced-fetal-movements"
_BABY = r"(?:baby|babys|baby's|bump|little\s+one|he|she|him|her|them|it)"
_LESS = (r"(?:has\s*n[o']?t|hasnt|have\s*n[o']?t|havent|had\s*n[o']?t|hadnt|is\s*n[o']?t|isnt|"
         r"not|hardly|barely|less|fewer|stopped|no\s+longer|quiet|quieter|much\s+less)")
_MOVE = r"(?:kick\w*|mov(?:e|ed|es|ing|ements?)|wriggl\w*)"
_PATTERNS = (
    # "baby hasn't kicked properly", "baby's been quieter, fewer kicks"
    re.compile(rf"\b{_BABY}\b[^.;\n]{{0,20}}?\b{_LESS}\b[^.;\n]{{0,20}}?\b{_MOVE}\b",
               re.IGNORECASE),
    # "not felt the baby move", "hardly felt her kick today"
    re.compile(rf"\b(?:not|n't|hardly|barely|haven'?t|hasn'?t)\s+(?:felt|feel|noticed)\s+"
               rf"(?:the\s+|my\s+)?{_BABY}\s+(?:\w+\s+)?{_MOVE}\b", re.IGNORECASE),
    # "today I've barely felt anything", "not felt much all day"
    re.compile(r"\b(?:barely|hardly|not|haven'?t|hasn'?t|havent|hasnt)\s+(?:felt|feel|noticed)\s+"
               r"(?:anything|much|a\s+thing|any\s+(?:kicks|movements?))\b", re.IGNORECASE),
    # "hardly any kicks", "fewer movements today", "very few movement" (a second-language
    # singular)
    re.compile(r"\b(?:hardly|barely|no|fewer|less|reduced|(?:very|so|only\s+a|only)\s+few)\s+"
               r"(?:any\s+)?(?:kicks|movements?)\b", re.IGNORECASE),
    # a midwife's "FMs" (fetal movements): "FMs less since this am", "reduced FMs", "FM
    # decreased"; "FMs present" and "FMs good" are not this finding
    re.compile(r"\bFMs?\b\W{0,3}(?:\w+\s+){0,2}?(?:less|fewer|reduced|decreased|quieter|slowed|"
               r"absent|not\s+felt|none)\b|\b(?:less|fewer|reduced|decreased|no|absent)\s+FMs?\b"),
)
_WEEKS = re.compile(r"\b(\d{1,2})\s*(?:\+\d\s*)?(?:/40|wks?|weeks?)\b(?!\s+ago)", re.IGNORECASE)
_PREGNANT = re.compile(r"\b(?:pregnan\w*|weeks?\s+gestation|\d{1,2}\s*(?:/40|\+\d|wks?|weeks?)\b|"
                       r"FMs?\b|\bbump\b|due\s+date|midwife|antenatal)", re.IGNORECASE)


def reduced_movements(text: str, age: float | None, known: Container[str]) -> frozenset[str]:
    """``reduced-fetal-movements`` when a pregnant woman's note tells of the baby moving less."""
    if CONCEPT not in known or age is None or age < 12 or not _PREGNANT.search(text):
        return frozenset()
    weeks = [int(w) for w in _WEEKS.findall(text) if 4 <= int(w) <= 43]
    if weeks and max(weeks) < 24:
        return frozenset()
    if any(p.search(text) for p in _PATTERNS):
        return frozenset({CONCEPT})
    return frozenset()
