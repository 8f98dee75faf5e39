"""A burn's size told against the hand or as a percentage: "about 2x the size of her palm",
"two palms' worth", "3% TBSA".

The patient's whole hand (palm and fingers) is about 1 % of the body surface, the measure the
NHS and NICE CKS burns guidance use: a burn larger than it goes to an emergency department or a
burns service. The lexicon knows "bigger than her hand"; this reads a size counted in palms or
hands, or given as a percentage of the body. The concept is a context read only with the burn
complaint's discriminator, so a count of hands elsewhere in a note is no finding.
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "burn-larger-than-hand"
_COUNT = r"(?:[2-9]|two|three|four|five|six|several|twice|2\.5|1\.5)"
_WHOSE = r"(?:(?:her|his|my|their|the|a|pt'?s|patient'?s)\s+)?"
# palms counted are a size; hands only with "x", "times" or "the size of" ("held it with two
# hands" is not a size)
_PALMS = re.compile(
    rf"\b{_COUNT}\s*(?:x|times)?\s*(?:the\s+)?(?:size\s+of\s+)?{_WHOSE}"
    r"(?:palms?|palm\s*prints?|hand\s*prints?)\b|"
    rf"\b{_COUNT}\s*(?:x|times|(?:x\s*|times\s+)?the\s+size\s+of)\s*{_WHOSE}hands?\b",
    re.IGNORECASE)
_PERCENT = re.compile(r"\b(\d{1,2}(?:\.\d)?)\s*%\s*(?:of\s+(?:the\s+|her\s+|his\s+)?body|"
                      r"tbsa|bsa)\b|\b(?:tbsa|bsa)\s*(?:of\s+|about\s+|~\s*)?(\d{1,2}(?:\.\d)?)\s*%",
                      re.IGNORECASE)
_ONE_PERCENT = 1.0


def burn_larger_than_hand(text: str, known: Container[str]) -> frozenset[str]:
    """``burn-larger-than-hand`` for a size counted in palms or hands, or over 1 % of the body."""
    if CONCEPT not in known:
        return frozenset()
    if _PALMS.search(text):
        return frozenset({CONCEPT})
    for m in _PERCENT.finditer(text):
        if float(m.group(1) or m.group(2)) > _ONE_PERCENT:
            return frozenset({CONCEPT})
    return frozenset()
