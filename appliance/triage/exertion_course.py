"""Breathlessness on exertion that has come on over weeks or months, told as people tell it.

Breathlessness only on exertion (stairs, hills, the walk to the shops) that came on gradually is
the story of heart failure, anaemia or COPD: the NHS website sends it to a GP, as it does
breathlessness with swollen ankles, and NICE NG106 (chronic heart failure) has the GP test and
refer. The onset reader stands a finding down only when every clause naming one says how long,
and nothing anywhere says "now" or "worse", which keeps a stroke's window safe but misses "3
weeks of swelling ankles, more breathless walking to the shops, now sleeping on 3 pillows".
This reader asks less of the wording and more of the story: the breathlessness is on
exertion, a time over 3 weeks is told, nothing is sudden, and the breathlessness's own sentence
tells of no shorter time, nothing at rest and nothing of today ("SOB on stairs for 3 days" is
new). Whatever else is wrong (chest pain, fever, breathlessness at rest, low oxygen) keeps its
own rule.
"""

from __future__ import annotations

import re
from collections.abc import Container

from appliance.triage.negation import negated_before
from appliance.triage.onset import long_onset_spans, short_onset_spans

CONCEPT = "exertional-breathlessness-long-standing"
_BREATHLESS = (r"(?:breathless|out\s+of\s+breath|short\s+of\s+breath|sob|puffed(?:\s+out)?|"
               r"winded|dyspn(?:o)?ea|breathing\s+(?:is\s+)?(?:harder|worse))")
_EXERTION = (r"(?:on\s+exertion|exertional|(?:going\s+|walking\s+|climbing\s+|getting\s+)?"
             r"(?:up|on)\s+(?:the\s+)?(?:stairs|hills?|slight\s+hills?|inclines?|a\s+hill)|"
             r"(?:walking|climbing)\s+(?:up\s+)?(?:to\s+)?(?:the\s+)?(?:shops?|stairs|hills?|"
             r"far|any\s+distance|uphill)|"
             r"(?:walking|climbing)\s+(?:up\s+)?(?:hills|slight\s+hills|stairs)|"
             r"on\s+(?:walking|exercise)|when\s+(?:walking|exercising|climbing))")
_ON_EXERTION = re.compile(rf"\b{_BREATHLESS}\b(?:\W+\w+){{0,2}}?\W+{_EXERTION}\b|"
                          rf"\b(?:doe|soboe)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[.;!?\n]")
#: what makes a breathlessness acute, in its own sentence
_ACUTE = re.compile(r"\b(?:sudden(?:ly)?|at\s+rest|today|tonight|this\s+(?:morning|afternoon|"
                    r"evening)|since\s+yesterday|overnight|out\s+of\s+nowhere|can['’]?t\s+"
                    r"catch|struggling)\b", re.IGNORECASE)
_SUDDEN = re.compile(r"\bsudden(?:ly)?\b", re.IGNORECASE)
_THREE_WEEKS = 20.99


def _sentence(text: str, at: int) -> tuple[int, int]:
    starts = [m.end() for m in _SENTENCE.finditer(text, 0, at)]
    end = _SENTENCE.search(text, at)
    return (starts[-1] if starts else 0, end.start() if end else len(text))


def long_standing_exertional(text: str, known: Container[str]) -> frozenset[str]:
    """The concept when breathlessness on exertion is told with a course of over 3 weeks and
    no shorter time, and nothing sudden, at rest or of today in its own sentence."""
    if CONCEPT not in known or _SUDDEN.search(text):
        return frozenset()
    told = [m for m in _ON_EXERTION.finditer(text) if not negated_before(text, m.start())]
    if not told or not long_onset_spans(text, _THREE_WEEKS):
        return frozenset()
    short = short_onset_spans(text, _THREE_WEEKS)
    for m in told:
        start, end = _sentence(text, m.start())
        if _ACUTE.search(text, start, end) or any(start <= a < end for a, _ in short):
            return frozenset()
    return frozenset({CONCEPT})
