"""How long a nosebleed went on, when the note says so in minutes: "nosebleed x 20 min, stopped
with pressure", "started 40 min ago, stopped after pinching".

First aid is 10 to 15 minutes of firm pinching; a nosebleed that went on longer than that is
seen, even once it has stopped (NHS website nosebleed: go to an urgent treatment centre or A&E
if it lasts longer than 10 to 15 minutes). Only the minutes of a note that names a nosebleed
count, so "chest pain for 20 minutes" says nothing here.
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "nosebleed-over-15-minutes"
_FIRST_AID_MINUTES = 15
_NOSEBLEED = re.compile(r"\b(?:nose\s*bleeds?|nosebleeds?|epistaxis|bleeding\s+(?:from|out\s+of)\s+"
                        r"(?:his|her|my|their|the)\s+nose|nose\s+(?:is\s+|was\s+|has\s+been\s+|had\s+been\s+|"
                        r"been\s+|keeps\s+|kept\s+|started\s+)?bleeding)\b",
                        re.IGNORECASE)
_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60}
# how long it went on, not how long ago it began ("30 min ago")
_MINUTES = re.compile(r"\b(\d{1,3}|twenty|thirty|forty-five|forty|fifty|sixty)\s*"
                      r"(?:min|mins|minutes)\b(?!\s+(?:ago|back|before))", re.IGNORECASE)
# "for half an hour", "over an hour"; a count of hours is more often advice ("no blowing for
# 24 hours") than a bleed's length, and "HR 84" is a heart rate
_HALF_HOUR = re.compile(r"\b(?:for|over|lasting|lasted|nearly|about)\s+(?:about\s+|nearly\s+|"
                        r"over\s+)?(?:half\s+an\s+hour|an\s+hour)\b", re.IGNORECASE)


def nosebleed_over_first_aid(text: str, known: Container[str]) -> frozenset[str]:
    """``nosebleed-over-15-minutes`` when a note naming a nosebleed tells of more than 15
    minutes (the pack must define it)."""
    if CONCEPT not in known or not _NOSEBLEED.search(text):
        return frozenset()
    minutes = [int(m.group(1)) if m.group(1).isdigit() else _WORDS[m.group(1).lower()]
               for m in _MINUTES.finditer(text)]
    if any(n > _FIRST_AID_MINUTES for n in minutes) or _HALF_HOUR.search(text):
        return frozenset({CONCEPT})
    return frozenset()
