"""An electric shock told by its voltage or by what was touched: "cut into a live cable, 415V",
"11kV line", "grabbed the mains".

Contact with mains or industrial electricity can stop or upset the heart and burn deep under a
small skin mark, so it is assessed with an ECG whatever it looks like; from 1,000 volts it is a
high-voltage injury, graded above it (CTAS 2016, electrical injury; NHS website, electric
shock). A voltage alone is not a shock ("a 12V battery", "the 240V socket was fine"): it counts
from 50 volts, in a sentence that tells of contact, and not negated.
"""

from __future__ import annotations

import re
from collections.abc import Container

from appliance.triage.negation import negated_before

ELECTRICAL = "electrical-injury"
HIGH_VOLTAGE = "high-voltage-injury"
_HIGH = 1000  # volts: the usual line between low- and high-voltage injury
_LOWEST = 50  # volts: below this (batteries, doorbells) contact does not injure
# "11kV", "415V", "2,000 volts" (a comma before three digits groups thousands), "3.3 kV"
_VOLTS = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k)?\s*(?:v|volts?)\b",
                    re.IGNORECASE)
# live electrics touched, cut into or grabbed: the contact told without the word "shock"
_LIVE = re.compile(r"\b(?:live|mains|energi[sz]ed|un-?isolated)\s+(?:cables?|wires?|wiring|"
                   r"electrics|conductors?|supply|terminals?|busbars?|circuits?|line)\b",
                   re.IGNORECASE)
# what happened to the person, not the equipment's names ("the 415V supply was isolated")
_CONTACT = re.compile(r"\b(?:shock\w*|touched|grabbed|cut\s+into|drilled\s+into|jolt\w*|zapped|"
                      r"thrown|arc(?:ed|ing)?|flash(?:ed|over)?|electrocut\w*|went\s+through)\b",
                      re.IGNORECASE)
_SENTENCE = re.compile(r"(?:[^.;!?\n]|(?<=\d)\.(?=\d))+")  # "3.3 kV" is one sentence


def electric_contact(text: str, known: Container[str]) -> frozenset[str]:
    """``electrical-injury`` or ``high-voltage-injury`` (those the pack has) for contact with
    live electricity told by its voltage or as a live cable, not negated."""
    out: set[str] = set()
    for sentence in _SENTENCE.finditer(text):
        told = sentence.group(0)
        for m in _LIVE.finditer(told):
            if not negated_before(text, sentence.start() + m.start()):
                out.add(ELECTRICAL)
        if not any(not negated_before(text, sentence.start() + c.start())
                   for c in _CONTACT.finditer(told)):
            continue
        for m in _VOLTS.finditer(told):
            volts = float(m.group(1).replace(",", "")) * (1000 if m.group(2) else 1)
            if volts >= _LOWEST and not negated_before(text, sentence.start() + m.start()):
                out.add(HIGH_VOLTAGE if volts >= _HIGH else ELECTRICAL)
    return frozenset(c for c in out if c in known)
