"""Pain told with its place a few words away: "pain low on the left side of her tummy".

Lexicon terms allow one word between their words ("pain in chest"); case histories put the
place further off. A pain word followed, within the same clause and a few words, by "of/in/on
… <place>" names that place's pain. Only the body cavities whose pain is a complaint of its
own are read here; the concept must be in the pack's lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Container

from appliance.triage.negation import negated_before

_PLACES = {"tummy": "abdominal-pain", "belly": "abdominal-pain", "abdomen": "abdominal-pain",
           "stomach": "abdominal-pain", "chest": "chest-pain", "back": "back-pain"}
# the chest's pain is often told as a pressure or a band, not a pain (NICE CG95: pain or
# discomfort, "tightness, heaviness"), and the words are put in quotes as the patient said them
_CHEST_ONLY = ("tightness", "tight", "pressure", "heaviness", "heavy", "weight",
               "squeezing", "crushing")
_PAIN = re.compile(
    r"\b(pain|pains|ache|aching|cramps?|cramping|discomfort|" + "|".join(_CHEST_ONLY) + r")"
    r"\b['\"]?((?:\s+[a-z'-]+){0,6}?)\s+"
    r"(?:of|in|on|across|around|at|into)\s+(?:the\s+|her\s+|his\s+|my\s+|their\s+|your\s+)?"
    r"(?:(?:left|right|lower|upper|low|middle|centre|center|whole|down|bottom)\s+(?:side\s+of\s+"
    r"(?:the\s+|her\s+|his\s+|my\s+)?)?)?(tummy|belly|abdomen|stomach|chest|back)\b"
    r"(?!\s+of\b)",  # "the back of the knee" is the knee
    re.IGNORECASE)


def pains_by_place(text: str, known: Container[str]) -> frozenset[str]:
    """The place-pain concepts (in ``known``) the text tells of, not negated."""
    out = set()
    for m in _PAIN.finditer(text):
        if re.search(r"[.;,\n]", m.group(2) or ""):
            continue
        place = m.group(3).lower()
        if m.group(1).lower() in _CHEST_ONLY and place != "chest":
            continue
        concept = _PLACES[place]
        if concept in known and not negated_before(text, m.start()):
            out.add(concept)
    return frozenset(out)


# CTAS grades pain by where it comes from: central from within the head, chest or abdomen (or an
# organ), peripheral from the skin, soft tissue, joints and limbs. A complaint the taxonomy does
# not know ("toe redness") has no site of its own; a note that names only a limb or
# the skin is peripheral pain, and anything naming a body cavity stays with the unknown site.
_LIMB = re.compile(r"\b(?:toes?|fingers?|thumbs?|hands?|feet|foot|ankles?|knees?|wrists?|"
                   r"elbows?|shoulders?|arms?|forearms?|legs?|thighs?|calf|calves|shins?|heels?|"
                   r"nails?|skin|joints?)\b", re.IGNORECASE)
_CAVITY = re.compile(r"\b(?:chest|abd\w*|tummy|stomach|belly|head\w*|flank|loin|pelvi\w*|groin|"
                     r"test\w*|scrot\w*|epigastr\w*|throat|neck|back|eyes?|ocular|ears?|dysuria|"
                     r"urin\w*|vagin\w*|rect\w*|anal|jaw|face|facial)\b", re.IGNORECASE)


def told_peripheral(text: str) -> bool:
    """True when the note names a limb, a joint or the skin and no body cavity."""
    return bool(_LIMB.search(text)) and not _CAVITY.search(text)
