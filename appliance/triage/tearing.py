"""A pain told as tearing or ripping, and an aneurysm told in lay words ("a swollen artery in his
tummy").

A sudden tearing or ripping pain in the chest, back or belly is the classic account of aortic
dissection or a leaking aneurysm (NICE CKS aortic dissection; NICE NG156 abdominal aortic
aneurysm); people put the word in quotes or a few words from the pain. Only with a pain of the
chest, back or belly in the same text, and never of the eyes ("tearing" is watering there).
"""

from __future__ import annotations

import re
from collections.abc import Container

from appliance.triage.negation import negated_before

CONCEPT = "aortic-pain"
_TEARING = re.compile(r"\b(?:tearing|ripping|torn\s+apart)\b(?!\s+(?:up|eyes?|of\b))",
                      re.IGNORECASE)
_EYES = re.compile(r"\beyes?\b|\bwatery\b", re.IGNORECASE)
_ANEURYSM = re.compile(r"\b(?:swollen|ballooning|ballooned|bulging|enlarged|widened|stretched)\s+"
                       r"(?:main\s+|big\s+)?(?:artery|aorta|blood\s+vessel)\b", re.IGNORECASE)
_PLACE = re.compile(r"\b(?:chest|back|belly|tummy|abdomen|abdo|abd|stomach|loin|flank|"
                    r"shoulder\s+blades?)\b", re.IGNORECASE)
_PAIN = re.compile(r"\b(?:pain|pains|ache|agony|hurts?|hurting|sore)\b", re.IGNORECASE)


def tearing_pain(text: str, known: Container[str]) -> frozenset[str]:
    """``aortic-pain`` for a tearing pain of the chest, back or belly, or an aneurysm told in
    lay words beside such a pain, not negated in its clause."""
    if CONCEPT not in known or not _PLACE.search(text) or not _PAIN.search(text):
        return frozenset()
    told = [m for m in (*_ANEURYSM.finditer(text),
                        *(() if _EYES.search(text) else _TEARING.finditer(text)))
            if not negated_before(text, m.start())]
    return frozenset({CONCEPT}) if told else frozenset()
