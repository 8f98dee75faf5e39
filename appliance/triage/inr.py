"""An INR written in the note ("INR 8.4 on today's check", "INR today 8.9"): over 8 without
bleeding, warfarin is stopped and oral vitamin K given the same day (NICE CKS anticoagulation
- oral; BNF warfarin), which a rule grades; bleeding on an anticoagulant has rules of its own.
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "inr-over-8"
_VERY_HIGH = 8.0
# "INR 8.4", "INR of 9", "INR today 8.9", "INR: 10.2", "INR >8"; a target range "INR 2-3" is
# not a reading
_INR = re.compile(r"\binr\b\s*(?:(?:today|now|was|is|of|result|reading|level)\s*)*[:=]?\s*"
                  r"(>\s*)?(\d{1,2}(?:\.\d)?)(?!\s*(?:-|–|to)\s*\d)", re.IGNORECASE)


def inr_reading(text: str, known: Container[str]) -> frozenset[str]:
    """``inr-over-8`` when the note records an INR above 8 (the pack must define it)."""
    if CONCEPT not in known:
        return frozenset()
    for m in _INR.finditer(text):
        value = float(m.group(2))
        if value > _VERY_HIGH or (m.group(1) and value >= _VERY_HIGH):
            return frozenset({CONCEPT})
    return frozenset()
