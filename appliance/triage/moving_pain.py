"""A tummy pain that began around the navel and has moved low on the right: "tummy ache started
round her belly button and now it's on the right side low down".

Pain that moves from the middle of the abdomen to the right iliac fossa is the classic account
of appendicitis, needing a same-day surgical assessment (NICE CKS appendicitis). People tell the
two places a sentence apart, so they are read together here as suspected appendicitis.
"""

from __future__ import annotations

import re
from collections.abc import Container

from appliance.triage.negation import negated_before

CONCEPT = "suspected-appendicitis"
_MOVED = re.compile(
    r"\b(?:belly\s*button|tummy\s*button|navel|umbilic\w*|middle\s+of\s+(?:her|his|my|the)\s+"
    r"(?:tummy|belly|abdomen|stomach)|central(?:ly)?)\b[^.;]{0,80}?\b(?:now|moved|moving|"
    r"shifted|gone|went|spread|settled)\b[^.;]{0,40}?\b(?:right|rt|r)\b(?:\s+(?:side|iliac|"
    r"lower|low|bottom))?", re.IGNORECASE)


def pain_moved_to_the_right(text: str, known: Container[str]) -> frozenset[str]:
    """``suspected-appendicitis`` when a tummy pain is told to have moved from the navel to
    the right, not negated."""
    if CONCEPT not in known:
        return frozenset()
    for m in _MOVED.finditer(text):
        if not negated_before(text, m.start()):
            return frozenset({CONCEPT})
    return frozenset()
