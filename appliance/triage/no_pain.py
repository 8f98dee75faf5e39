"""Pain told absent: "no pain at all", "not in any pain", "painless", "no cramps".

Some guidance turns on the absence of pain, not only on no pain being found: NICE NG126 manages
bleeding before 6 weeks of pregnancy expectantly only in a woman who is not in pain. A pain told
in words the lexicon does not know ("pain low on the right") must not pass for no pain, so the
absence has to be said.
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "no-pain-told"
_NO_PAIN = re.compile(
    r"\b(?:no|not\s+in(?:\s+any)?|without(?:\s+any)?|denies(?:\s+any)?|never\s+had\s+any)\s+"
    r"(?:(?:tummy|abdominal|abdo|stomach|belly|period|pelvic|other)\s+)?(?:pain|pains|cramps?|"
    r"cramping|discomfort)\b|\bpain(?:less|[\s-]*free)\b", re.IGNORECASE)
#: a pain told as present anywhere in the note undoes it: "no pain until today, now cramps"
_PAIN = re.compile(r"\b(?:pain|pains|painful|cramp\w*|ache\w*|hurts?|hurting|sore)\b",
                   re.IGNORECASE)


def no_pain_told(text: str, known: Container[str]) -> frozenset[str]:
    """``no-pain-told`` when the note says there is no pain and names none outside that."""
    if CONCEPT not in known:
        return frozenset()
    denied = list(_NO_PAIN.finditer(text))
    if not denied:
        return frozenset()
    inside = [(m.start(), m.end()) for m in denied]
    told = [m for m in _PAIN.finditer(text)
            if not any(a <= m.start() and m.end() <= b for a, b in inside)]
    return frozenset() if told else frozenset({CONCEPT})
