"""Tummy cramps told with diarrhoea or vomiting: the cramps of gastroenteritis, which the NHS
cares for at home while fluids stay down (NHS website diarrhoea and vomiting; NICE CKS
gastroenteritis). The context lets the abdominal-pain complaint stand down with the bowel
upset; it never does alone, and every abdominal-pain rule (age, pregnancy, the signs) still
counts.

Notes count the episodes in shorthand ("D x5", "V x2", "D+V x3", "vom x1"): a single capital
letter is the bowel upset only with its count, so a lone "D" or "V" (or "vitamin D x2")
stays what it was.
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "gastro-cramps"
# "tummy cramps", "cramps in (the) stomach", "crampy tummy"
_CRAMPS = re.compile(r"\b(?:tummy|stomach|abdominal|abdo|belly)\s+(?:cramps?|cramping|crampy)\b|"
                     r"\bcramp(?:s|ing|y)?\s+(?:in|low\s+in)\s+(?:(?:my|his|her|the)\s+)?"
                     r"(?:tummy|stomach|belly)\b|\bcramp(?:y|ing)\s+(?:tummy|stomach|belly)\b",
                     re.IGNORECASE)
_UPSET = re.compile(r"\b(?:diarrh\w*|runny\s+poo\w*|loose\s+(?:poo\w*|stools?|motions?)|"
                    r"watery\s+(?:poo\w*|stools?)|the\s+runs|vomit\w*|being\s+sick|been\s+sick|"
                    r"was\s+sick|threw\s+up|throwing\s+up|d\s*(?:&|and|\+)\s*v)\b", re.IGNORECASE)


UPSET_CONCEPT = "vomiting"
_COUNTED = re.compile(r"(?:(?<!vitamin\s)(?<!vit\s)\b(?-i:[DV])|\bvom|\bvomit)\s*"
                      r"(?:\+\s*(?-i:[DV])\s*)?x\s*\d{1,2}\b", re.IGNORECASE)


def counted_upset(text: str, known: Container[str]) -> frozenset[str]:
    """``vomiting`` (the lexicon's vomiting-or-diarrhoea) from episodes counted in shorthand."""
    if UPSET_CONCEPT in known and _COUNTED.search(text):
        return frozenset({UPSET_CONCEPT})
    return frozenset()


def gastro_cramps(text: str, known: Container[str]) -> frozenset[str]:
    """``gastro-cramps`` when tummy cramps and diarrhoea or vomiting are both told."""
    if CONCEPT in known and _CRAMPS.search(text) and _UPSET.search(text):
        return frozenset({CONCEPT})
    return frozenset()
