"""The Ottawa rules' two findings told in everyday words: "couldn't manage more than a couple of
steps", "tender on the back edge of the outer ankle bone", "hurts to touch near the bone"; and a
limb not used after a fall.

The rules (Stiell et al., JAMA 1993; NHS website, sprains and strains) ask whether the person can
take four steps and whether the bone itself is tender. Notes put either a few words apart from
the lexicon's terms, so they are read here as the fracture concept. A negation in the
same clause ("no tenderness over the ankle bone") cancels the reading.
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "fracture"
# fewer than four steps: "couldn't manage more than a couple of steps", "only 2 steps"
_STEPS = re.compile(
    r"\b(?:(?:could\s*n[o']?t|couldnt|can\s*n[o']?t|cant|cannot|unable\s+to|not\s+able\s+to)\s+"
    r"(?:manage|take|walk|do|make|go)\s+(?:more\s+than\s+)?|only\s+(?:managed?|took|walked)\s+|"
    r"only\s+)(?:a\s+couple\s+of|a\s+few|one\s+or\s+two|1|2|3|one|two|three)\s+steps?\b|"
    # not walking on it at all: "couldn't walk on it after", "carried off", "hopping now"
    r"\b(?:could\s*n[o']?t|couldnt)\s+(?:walk|stand|put\s+weight)\s+on\s+(?:it|the\s+foot|"
    r"that\s+foot|the\s+leg)\b|\bcarried\s+off\b|\bhopping\b",
    re.IGNORECASE)
# tenderness on the bone (malleolus, ankle bone, base of the fifth metatarsal, navicular)
_BONE = re.compile(
    r"\btender(?:ness)?\b[^.;,\n]{0,30}?\b(?:on|over|at|along)\b[^.;,\n]{0,30}?"
    r"\b(?:ankle\s*bone|malleol\w*|navicular|(?:5th|fifth)\s+metatarsal|bone\s+itself|"
    r"bony\s+(?:bit|bump|lump|knobble|part))\b", re.IGNORECASE)
# the bone itself hurting when pressed, told in lay words after an injury: "really tender if I
# press the back edge of the bony bump", "hurts to touch near the bone"
_BONE_TOLD = re.compile(
    r"\b(?:tender(?:ness)?|hurts?|sore|painful)\b[^.;,\n]{0,40}?\b(?:bones?|bony|knobbly|"
    r"malleol\w*|metatarsal)\b", re.IGNORECASE)
# a limb not used after a fall or a knock: a child who "won't move it or use it" has a fracture
# until shown otherwise (NICE NG38); only with an injury told, since a limb that will not move
# without one is a stroke's or a nerve's, graded by their own rules
_NOT_USED = re.compile(
    r"\b(?:won'?t|wont|will\s+not|refuses?\s+to|refusing\s+to|can'?t|cannot|unable\s+to)\s+"
    r"(?:move|use|lift|bend|straighten|grip\s+with)\s+(?:it|(?:her|his|the|their|my)\s+"
    r"(?:arm|wrist|hand|elbow|leg|ankle|foot|knee|shoulder|fingers?|thumb))\b", re.IGNORECASE)
_INJURY = re.compile(r"\b(?:fell|fall(?:en|ing)?|landed|trampoline|knock(?:ed)?|hit|twist\w*|"
                     r"rolled|injur\w*|tackled?|crash\w*|caught\s+in|trapped|stamped|"
                     r"went\s+over|gone\s+over|sprain\w*|turned)\b",
                     re.IGNORECASE)
_NEGATED = re.compile(r"(?:\b(?:no|not|non|nil|denies|without|isn'?t|wasn'?t|doesn'?t|don'?t|"
                      r"never)\b|Ø)[^.;,\n]*$", re.IGNORECASE)


def ottawa_positive(text: str, known: Container[str]) -> frozenset[str]:
    """``fracture`` (when the pack has it) if the text tells of fewer than four steps, of
    tenderness on the bone, or of a limb not used after an injury, not negated in its clause."""
    if CONCEPT not in known:
        return frozenset()
    patterns = ((_STEPS, _BONE, _NOT_USED, _BONE_TOLD) if _INJURY.search(text)
                else (_STEPS, _BONE))
    for pattern in patterns:
        for m in pattern.finditer(text):
            if not _NEGATED.search(text[:m.start()]):
                return frozenset({CONCEPT})
    return frozenset()
