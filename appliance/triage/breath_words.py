"""Breathlessness too severe to talk, told by how many words come out: "only managing 2-3 words
between breaths", "getting out a word or two at a time"; and the neck muscles working to breathe.

Speaking in words rather than sentences, and the accessory muscles in use, are signs of a severe
or life-threatening attack (BTS/SIGN 158 asthma; NICE NG245; CTAS respiratory distress). The
lexicon holds the set phrases; the counts and verbs people put around them are read here.
"""

from __future__ import annotations

import re
from collections.abc import Container

from appliance.triage.negation import negated_before

CONCEPT = "severe-breathing-difficulty"
_FEW = (r"(?:(?:a\s+)?(?:couple|few)(?:\s+of)?|a\s+word\s+or\s+two|one\s+or\s+two|two\s+or\s+"
        r"three|[1-4]\s*(?:-|–|to|or)\s*[2-5]|[1-3]|one|two|three|single)")
_WORDS = re.compile(
    rf"\b(?:only|just|managing|manages|managed|manage|getting|gets|get|got|can\s+"
    rf"(?:only\s+)?(?:say|get\s+out|manage))\s+(?:out\s+)?{_FEW}\s*(?:words?\b|word\s+at\s+a\s+"
    rf"time)|\bwords?\s+(?:between|per)\s+breaths?\b", re.IGNORECASE)
_NECK = re.compile(r"\b(?:neck|accessory|shoulder)\s+muscles?\s+(?:working|in\s+use|use|going|"
                   r"pulling|straining)\b|\busing\s+(?:(?:his|her|their|the)\s+)?(?:neck|"
                   r"accessory)\s+muscles\b", re.IGNORECASE)
# a toddler who "says a few words" is talking, not breathless: words count only beside breathing
_BREATHING = re.compile(r"\b(?:breath\w*|wheez\w*|asthma\w*|sob|dyspn\w*|inhaler|sats|"
                        r"spo2|resp\w*)\b", re.IGNORECASE)


def too_breathless_to_talk(text: str, known: Container[str]) -> frozenset[str]:
    """``severe-breathing-difficulty`` when the text tells of words, not sentences, or of the
    neck muscles working to breathe, not negated in its clause."""
    if CONCEPT not in known:
        return frozenset()
    patterns = (_WORDS, _NECK) if _BREATHING.search(text) else (_NECK,)
    for pattern in patterns:
        for m in pattern.finditer(text):
            if not negated_before(text, m.start()):
                return frozenset({CONCEPT})
    return frozenset()
