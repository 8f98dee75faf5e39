"""Blood from the gut told in everyday words, a few words from the lexicon's terms: "his poo this
morning was black, sticky and really smelly", "threw up some bright red blood once".

Black, sticky, tarry stools are melaena and vomited blood is an upper gastrointestinal bleed,
both assessed the same day at least (NICE CG141; NHS website). The stool or the vomiting and
what it looked like are read within one sentence, not negated; black stools told with iron
tablets or bismuth, which blacken them, are read only if sticky, tarry or foul-smelling.
"""

from __future__ import annotations

import re
from collections.abc import Container

from appliance.triage.negation import negated_before

STOOL = "blood-in-stool"
VOMIT = "vomiting-blood"
_BLACK_STOOL = re.compile(
    r"\b(?:poo|poos|pooh?|stools?|bowel\s+motions?|motions|faeces|feces|number\s+twos?)\b"
    r"[^.;\n]{0,40}?\b(?:black|tarry|like\s+tar|jet\s+black)\b|"
    r"\b(?:black|tarry)\b[^.;\n]{0,20}?\b(?:poo|poos|stools?|motions)\b", re.IGNORECASE)
_VOMITED_BLOOD = re.compile(
    r"\b(?:threw\s+up|throwing\s+up|thrown\s+up|vomit\w*|sick|brought\s+up|bringing\s+up|"
    r"retch\w*)\b[^.;\n]{0,30}?\b(?:blood|bloody|coffee[\s-]+grounds?)\b", re.IGNORECASE)
_NOT_IN_IT = re.compile(r"\b(?:no|not|without|never|nil|normal|isn'?t|wasn'?t|aren'?t|"
                        r"weren'?t)\b|n't\b", re.IGNORECASE)
# iron tablets and bismuth (Pepto-Bismol) turn stools black; sticky, tarry stools are still blood
_EXPLAINED = re.compile(r"\b(?:iron|ferrous|bismuth|pepto\w*)\b", re.IGNORECASE)
_TARRY = re.compile(r"\b(?:tarry|sticky|like\s+tar|smell\w*)\b", re.IGNORECASE)


def gut_bleeding(text: str, known: Container[str]) -> frozenset[str]:
    """``blood-in-stool`` for black or tarry stools and ``vomiting-blood`` for vomited blood,
    each when the pack has it and the text tells it, not negated."""
    out = set()
    for concept, pattern in ((STOOL, _BLACK_STOOL), (VOMIT, _VOMITED_BLOOD)):
        if concept not in known:
            continue
        for m in pattern.finditer(text):
            if negated_before(text, m.start()) or _NOT_IN_IT.search(m.group(0)):
                continue
            if concept == STOOL and _EXPLAINED.search(text) and not _TARRY.search(text):
                continue
            out.add(concept)
            break
    return frozenset(out)
