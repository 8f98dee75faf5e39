"""A young child found with someone's medicines, not known to have swallowed any: "found my 2yo
with nan's tablet organiser open, the boxes are empty and there are pills on the floor".

A single adult tablet of some medicines (calcium-channel blockers, beta-blockers, sulfonylureas,
opioids, tricyclics) can kill a toddler, so a possible ingestion by a child under 6 is assessed
at once, not watched at home (NHS website, poisoning; NPIS/TOXBASE advice for children). The
lexicon reads "swallowed some tablets"; the discovery told without the swallowing is read here.
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "overdose"
_YOUNG = 6
_MEDICINES = re.compile(
    r"\b(?:tablets?|pills?|capsules?|meds|medicines?|medication|dosette|blister\s+packs?|"
    r"(?:pill|tablet)\s*(?:box|organi[sz]er|pot|bottle))\b", re.IGNORECASE)
_FOUND = re.compile(
    r"\b(?:empty|emptied|open(?:ed)?|missing|scattered|on\s+the\s+floor|chew(?:ed|ing)|"
    r"in\s+(?:her|his|their)\s+mouth|got\s+into|(?:swallowed|taken|eaten|had)\s+any|"
    r"may\s+have\s+(?:swallowed|taken|eaten)|might\s+have\s+(?:swallowed|taken|eaten))\b",
    re.IGNORECASE)


def possible_child_ingestion(text: str, age: float | None, known: Container[str]) -> frozenset[str]:
    """``overdose`` for a child under 6 found with medicines open, empty or scattered, or not
    known whether any were swallowed."""
    if CONCEPT not in known or age is None or age >= _YOUNG:
        return frozenset()
    for sentence in re.split(r"[.;!?\n]", text):
        if _MEDICINES.search(sentence) and _FOUND.search(sentence):
            return frozenset({CONCEPT})
    return frozenset()
