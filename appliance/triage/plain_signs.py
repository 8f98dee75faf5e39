"""Emergency signs told in plain or second-language English, a few words from the lexicon's
terms: "her face is fall down on right side and the words coming wrong", "my heart is squeezing",
"pain on top of my shoulder".

People who write English as a second language, or in a hurry, name the body part and what it
does without the clinical phrase. A face that droops and words that come out wrong are stroke
signs (NICE NG128: FAST); a heart that squeezes, hurts or burns is chest pain (NICE CG95); pain
on the top of the shoulder with a belly pain is shoulder-tip pain, blood under the diaphragm
(NICE NG126 ectopic pregnancy; major trauma). Each is read within its clause, not negated.
"""

from __future__ import annotations

import re
from collections.abc import Container

from appliance.triage.negation import negated_before

_FACE = re.compile(
    r"\bface\b[^.;,]{0,20}?\b(?:droop\w*|crooked|twist\w*|lopsided|sagg\w*|"
    r"pull\w*\s+to\s+one\s+side)\b|"
    # a face that "fell" or "dropped" is a stroke's only on one side ("her face fell" is dismay)
    r"\bface\b[^.;,]{0,20}?\b(?:fall\w*|fell|drop\w*|slipp?\w*|hang\w*)\b[^.;,]{0,25}?"
    r"\b(?:side|left|right|down)\b|"
    r"\b(?:one\s+side\s+of\s+(?:her|his|my|the)\s+face|(?:her|his|my)\s+mouth)\b[^.;,]{0,15}?"
    r"\b(?:fall\w*|fell|drop\w*|droop\w*|down|crooked)\b", re.IGNORECASE)
_WORDS = re.compile(
    r"\b(?:words?|speech|speaking|talking)\b[^.;,]{0,20}?\b(?:wrong|strange|muddled|jumbled|"
    r"mixed\s+up|nonsense|not\s+(?:right|the\s+(?:good|right)\s+words?)|coming\s+out\s+wrong)\b|"
    r"\bnot\s+the\s+(?:good|right)\s+words?\b|\bcan(?:no|')?t\s+find\s+(?:the\s+|her\s+|his\s+)?"
    # "can't find the words to describe it" is an idiom, not a stroke's lost words
    r"words\b(?!\s+to\b)", re.IGNORECASE)
_HEART = re.compile(
    r"\b(?:my|his|her|the)\s+heart\s+(?:is\s+|was\s+|feels?\s+|it\s+is\s+)?(?:squeez\w*|hurt\w*|"
    r"pain\w*|ach\w*|tight\w*|crush\w*|burn\w*|heavy|press\w*|stab\w*)|"
    r"\bpain\s+(?:in|on|of)\s+(?:my|his|her|the)\s+heart\b", re.IGNORECASE)
_SHOULDER_TOP = re.compile(
    r"\b(?:top|tip)\s+of\s+(?:my|his|her|the)\s+(?:left\s+|right\s+)?shoulder\b", re.IGNORECASE)
_PAIN = re.compile(r"\b(?:pain\w*|hurt\w*|ach\w*|sore)\b", re.IGNORECASE)


def _told(pattern: re.Pattern[str], text: str) -> bool:
    return any(not negated_before(text, m.start()) for m in pattern.finditer(text))


def plain_signs(text: str, known: Container[str]) -> frozenset[str]:
    """``facial-droop``, ``slurred-speech``, ``chest-pain`` and ``shoulder-tip-pain`` (those the
    pack has) when the text tells them in plain words, not negated."""
    found = {concept for concept, told in (
        ("facial-droop", _told(_FACE, text)), ("slurred-speech", _told(_WORDS, text)),
        ("chest-pain", _told(_HEART, text)),
        ("shoulder-tip-pain", _told(_SHOULDER_TOP, text) and bool(_PAIN.search(text))))
        if told}
    return frozenset(c for c in found if c in known)
