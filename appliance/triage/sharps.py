"""A needle-stick told as what happened: "needle from a used syringe in the bin bag went into
his finger".

A used needle through the skin needs washing, a risk assessment and, where the source may carry
HIV or hepatitis B, prophylaxis started within hours (UKHSA and BHIVA post-exposure prophylaxis
guidance; NHS website, needle-stick injuries). The lexicon knows the names ("needlestick",
"sharps injury"); the event told in words is read here. The needle must be someone else's
(used, discarded, from a syringe or a bin), so a cannula or an injection given is not read.
"""

from __future__ import annotations

import re
from collections.abc import Container

from appliance.triage.negation import negated_before

CONCEPT = "needle-stick"
_EVENT = re.compile(
    r"\b(?:needles?|syringes?|sharps?)\b[^.;\n]{0,60}?\b(?:went\s+(?:in|into|through)|stuck|"
    r"jabbed|pricked|stabbed|pierced|scratched|spiked)\b|"
    r"\b(?:stuck|jabbed|pricked|stabbed|spiked|scratched)\b[^.;\n]{0,30}?\b(?:needles?|syringes?|"
    r"sharps?)\b", re.IGNORECASE)
_SOMEONE_ELSES = re.compile(r"\b(?:used|discarded|dirty|old|someone\s+else'?s|drug|junkie|"
                            r"syringes?|bins?|bin\s+bags?|rubbish|litter|sharps\s+bin|"
                            r"on\s+the\s+(?:ground|floor|beach|street))\b", re.IGNORECASE)


def needle_stick(text: str, known: Container[str]) -> frozenset[str]:
    """``needle-stick`` (when the pack has it) for a used needle through the skin told as an
    event, not negated."""
    if CONCEPT not in known:
        return frozenset()
    for m in _EVENT.finditer(text):
        start = max(text.rfind(c, 0, m.start()) for c in ".;\n") + 1
        end = min((i for i in (text.find(c, m.end()) for c in ".;\n") if i >= 0), default=len(text))
        if _SOMEONE_ELSES.search(text[start:end]) and not negated_before(text, m.start()):
            return frozenset({CONCEPT})
    return frozenset()
