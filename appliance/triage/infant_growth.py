"""A baby's growth told as on track: "on the 50th at weigh in", "following her line in the red
book", "weight tracking the 25th centile", "gaining weight nicely".

A baby who feeds, has wet nappies and grows along its centile has had the check a crying or
sicky baby needs (NICE CKS infantile colic: assess feeding and growth; NICE NG1 reflux: faltering
growth is what makes reflux a GP's). A centile that has dropped or been crossed is the opposite
and is never read as this, nor is growth told with a negation in its clause.
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "growing-well"
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)"
_PATTERNS = (
    # "still on the 50th", "on the 50th at weigh in", "tracking the 25th centile", "weight
    # still 50th centile"
    re.compile(rf"\b(?:still|staying|stays|stayed|remains|tracking|following|on|along)\s+"
               rf"(?:on\s+|along\s+)?(?:the\s+|her\s+|his\s+)?{_ORDINAL}\b", re.IGNORECASE),
    # "following her line", "gaining along his centile", "tracking the centile"
    re.compile(r"\b(?:following|tracking|along|on)\s+(?:her|his|their|the|its)\s+(?:own\s+)?"
               r"(?:line|centile|centile\s+line|curve|growth\s+line)\b", re.IGNORECASE),
    # "gaining weight nicely", "putting on weight well", "weight gain good"
    re.compile(r"\b(?:gaining|putting\s+on|put\s+on|gained)\s+(?:weight\s+)?(?:well|nicely|"
               r"fine|normally|steadily|beautifully|lovely)\b|\bweight\s+(?:gain\s+)?(?:is\s+)?"
               r"(?:good|great|fine|normal|steady|tracking)\b|\bback\s+(?:up\s+)?(?:to|above|past)"
               r"\s+(?:her|his|their)?\s*birth\s*weight\b", re.IGNORECASE),
)
#: a clause that tells growth going wrong: "dropped from 50th to 25th", "not gaining well"
_WRONG = re.compile(r"\b(?:drop\w*|fall\w*|fell|fallen|crossed|crossing|lost|losing|below|"
                    r"not|isnt|isn't|hasnt|hasn't|poor|slow\w*|static|faltering)\b", re.IGNORECASE)
_CLAUSE = re.compile(r"[.;!?\n]|,\s+(?:but|and)\b")


def growing_well(text: str, age: float | None, known: Container[str]) -> frozenset[str]:
    """``growing-well`` when a baby's note tells its growth on track, with nothing against it
    in the same clause."""
    if CONCEPT not in known or age is None or age >= 2:
        return frozenset()
    starts = [0, *(m.end() for m in _CLAUSE.finditer(text))]
    ends = [*(m.start() for m in _CLAUSE.finditer(text)), len(text)]
    for start, end in zip(starts, ends, strict=True):
        clause = text[start:end]
        if any(p.search(clause) for p in _PATTERNS) and not _WRONG.search(clause):
            return frozenset({CONCEPT})
    return frozenset()
