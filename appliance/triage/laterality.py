"""One-sided weakness told with a side word: "Lt weakness", "weakness of left arm".

The lexicon skips side words so that "Rt. side motor weakness" and "left sided weakness" read
alike; but on a weakness the side is the finding itself, since weakness of one side is a stroke
sign and weakness all over is not. This reader puts that back: a side word joined to a weakness
word in the same clause, and not negated, is the lexicon's ``stroke-signs`` concept.
"""

from __future__ import annotations

import re

CONCEPT = "stroke-signs"

_SIDE = r"(?:left|right|lt|rt|l|r|rigth|rihgt|lef)\.?"
_WEAK = r"(?:weak(?:ness)?|paresis|hemiparesis|loss\s+of\s+power|power\s+loss|reduced\s+power)"
# words that may stand between the side and the weakness: the part of the body that is weak
_PART = (r"(?:side|sided|hemibody|body|arm|arms|leg|legs|hand|face|facial|upper|lower|limb|"
         r"limbs|extremity|extremities|motor|sudden|new|and|&|numbness|numb|tingling|sensory)")
_SIDE_FIRST = re.compile(rf"\b{_SIDE}\s*(?:-\s*)?(?:{_PART}\s+){{0,4}}{_WEAK}\b", re.IGNORECASE)
# "weakness of left arm", "weakness left leg", "weakness, left" (the side ends the clause or
# names a part: "weakness, left knee pain" is not one-sided weakness)
_WEAK_FIRST = re.compile(
    rf"\b{_WEAK}\s*,?\s*(?:(?:of|in|on|to|over|the)\s+){{0,2}}{_SIDE}"
    rf"(?=\s+(?:side|sided|hemibody|body|arm|arms|leg|legs|hand|face|upper|lower|limbs?)\b"
    rf"|\s*(?:$|[.;,\n]))", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:no|not|nil|denies|denied|without|never)\b[^.;,\n]*$",
                      re.IGNORECASE)


def one_sided_weakness(text: str) -> frozenset[str]:
    """``{"stroke-signs"}`` when the text tells of weakness on one side, else nothing."""
    for pattern in (_SIDE_FIRST, _WEAK_FIRST):
        for m in pattern.finditer(text):
            if not _NEGATED.search(text[:m.start()]):
                return frozenset({CONCEPT})
    return frozenset()
