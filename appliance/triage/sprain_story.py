"""A sprain's story told in everyday words: an ankle or foot that was turned, and bones that do
not hurt when pressed ("pressing on the bony knobs does not hurt", "the bone bits dont hurt when
i press them", "NOT tender on the back edges of either ankle bone").

The Ottawa ankle rules (Stiell et al., JAMA 1993; in children from about 5 years, Dowling et al.,
Acad Emerg Med 2009) ask whether the person can take four steps and whether the bone itself is
tender; the NHS website (sprains and strains) keeps a sprain that can bear weight at home. A limp
told with a turned ankle is the sprain's painful walking. The lexicon holds set phrases; the
words people put between "bone" and "hurt" are read here. A tenderness of the bone that is not
negated is read as the fracture concept by weight_bearing.py, and keeps its rule.
"""

from __future__ import annotations

import re
from collections.abc import Container

TURNED = "ankle-turned"
NOT_TENDER = "no-bony-tenderness"
_TURNED = re.compile(
    r"\b(?:(?:twist\w*|roll\w*|turn\w*|sprain\w*|invert\w*|went\s+over\s+on|gone\s+over\s+on|"
    r"go\s+over\s+on|goes\s+over\s+on|went\s+over)\s+(?:on\s+)?(?:(?:his|her|my|their|the|an?|"
    r"l|r|lt|rt|left|right)\.?\s+){0,2}(?:ankle|foot)|(?:ankle|foot)\s+(?:sprain|twist|"
    r"inversion)\w*)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.;\n]+")
_BONE = re.compile(r"\b(?:bones?|bony|knobs?|knobbly|knobbles?|malleol\w*|metatarsal)\b",
                   re.IGNORECASE)
_NOT_HURT = re.compile(
    r"\b(?:not|non|no|never|doesn?['’]?t|dont|don['’]t|does\s+not|do\s+not|isn['’]?t|aren['’]?t)"
    r"\s+(?:\w+\s+){0,2}?(?:tender|hurt|hurts|sore|painful|pain)\b", re.IGNORECASE)
_BUT = re.compile(r"\bbut\b|,", re.IGNORECASE)


def _bones_not_tender(text: str) -> bool:
    for s in _SENTENCE.finditer(text):
        sentence = s.group()
        for neg in _NOT_HURT.finditer(sentence):
            # the bone word and the denial in one stretch, not across "but" or a comma
            pieces = _BUT.split(sentence)
            at = 0
            for piece in pieces:
                if at <= neg.start() < at + len(piece) and _BONE.search(piece):
                    return True
                at += len(piece) + 1
    return False


def sprain_story(text: str, known: Container[str]) -> frozenset[str]:
    """``ankle-turned`` for a turned ankle or foot and ``no-bony-tenderness`` for bones told not
    to hurt when pressed, each when the pack has it."""
    found: set[str] = set()
    if TURNED in known and _TURNED.search(text):
        found.add(TURNED)
    if NOT_TENDER in known and _bones_not_tender(text):
        found.add(NOT_TENDER)
    return frozenset(found)
