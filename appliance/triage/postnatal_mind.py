"""A mind that has changed in the weeks after a birth, told by a partner or a midwife: "convinced
the baby isn't hers", "talking to someone who isn't there", "hasn't slept for 3 nights, pacing,
not herself at all".

Postpartum psychosis starts suddenly, mostly in the first two weeks, and is a psychiatric
emergency (NHS website: postpartum psychosis; NICE CG192 antenatal and postnatal mental health,
assessment within 4 hours; Royal College of Psychiatrists). Its signs are strange beliefs (about
the baby, above all), seeing or hearing what is not there, and behaviour out of character with
restlessness and no sleep. The first two are read alone; the last only together, since a new
mother short of sleep or "not herself" is often only tired. The rule that reads the finding
asks for the weeks after a birth as well (``appliance.triage.postnatal``).
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "postpartum-psychosis-signs"
_NOT = r"(?:is\s*n[o']?t|isnt|is\s+not|was\s*n[o']?t|wasnt|was\s+not)"
_WHOSE = r"(?:hers|mine|ours|theirs|his|her\s+(?:own\s+)?baby|my\s+(?:own\s+)?baby|real)"
_BABY = r"(?:the\s+|her\s+|my\s+|our\s+)?(?:baby|babys|son|daughter|little\s+one)"
#: a belief about the baby no one could share: not theirs, swapped, evil, to be taken
_BELIEF = re.compile(
    rf"\b{_BABY}(?:\s+(?!(?:and|but)\b)\w+){{0,4}}?\s+(?:{_NOT}\s+{_WHOSE}|(?:was|has\s+been|got|"
    rf"had\s+been|been)\s+"
    rf"(?:swapped|switched|replaced|changed)|is\s+(?:evil|the\s+devil|possessed|an?\s+imposter|"
    rf"not\s+(?:human|real)))\b"
    rf"|\b(?:someone|somebody|people|they|social\s+services)\s+(?:is|are)?\s*(?:going\s+to|"
    rf"gonna|wants?\s+to|trying\s+to|coming\s+to)\s+(?:take|steal|poison|hurt|kill)\s+{_BABY}\b",
    re.IGNORECASE)
#: seeing or hearing, or talking to, what is not there
_PERCEPTION = re.compile(
    r"\b(?:talking|talks|talked|speaking|answering|replying|whispering|whispers|chatting|"
    r"laughing|shouting)\s+(?:back\s+)?(?:to|with|at)\s+(?:someone|"
    r"somebody|people|voices|a\s+person|things)\s+(?:who|that)?\s*(?:is\s*n[o']?t|isnt|"
    r"are\s*n[o']?t|arent|is\s+not|are\s+not|was\s*n[o']?t|wasnt)\s+(?:there|in\s+the\s+room)\b"
    r"|\b(?:seeing|hearing|sees|hears|saw|heard)\s+(?:things|people|voices)\s+(?:that|who)?\s*"
    r"(?:are\s*n[o']?t|arent|are\s+not|were\s*n[o']?t|werent)\s+there\b", re.IGNORECASE)
_NUMBER = r"(?:\d|two|three|four|five|several|a\s+few|a\s+couple\s+of)"
#: no sleep for nights, or no need of it
_NO_SLEEP = re.compile(
    rf"\b(?:has\s*n[o']?t|hasnt|have\s*n[o']?t|havent|not|hardly|barely)\s+(?:slept|been\s+"
    rf"sleeping)\s+(?:at\s+all\s+)?(?:for|in)\s+{_NUMBER}\s+(?:nights|days)\b"
    rf"|\bno\s+sleep\s+(?:at\s+all\s+)?(?:for|in)\s+{_NUMBER}\s+(?:nights|days)\b"
    rf"|\b(?:awake|up)\s+(?:all\s+night\s+)?(?:for\s+)?{_NUMBER}\s+nights\s+(?:running|straight)\b"
    rf"|\b(?:does\s*n[o']?t|doesnt)\s+(?:need|want)\s+(?:to\s+)?sleep\b", re.IGNORECASE)
#: behaviour out of character, restless or racing
_CHANGED = re.compile(
    r"\bnot\s+(?:her|him)self\b|\blike\s+a\s+(?:different|changed)\s+person\b"
    r"|\bout\s+of\s+character\b|\b(?:pacing|racing\s+thoughts|talking\s+(?:non\s*stop|really\s+"
    r"fast|very\s+fast)|acting\s+(?:strange(?:ly)?|weird(?:ly)?|oddly|bizarre(?:ly)?))\b",
    re.IGNORECASE)


def postpartum_psychosis(text: str, known: Container[str]) -> frozenset[str]:
    """``postpartum-psychosis-signs`` when the note tells a belief about the baby, or seeing or
    hearing what is not there, or no sleep for nights with behaviour out of character."""
    if CONCEPT not in known:
        return frozenset()
    if (_BELIEF.search(text) or _PERCEPTION.search(text)
            or _NO_SLEEP.search(text) and _CHANGED.search(text)):
        return frozenset({CONCEPT})
    return frozenset()
