"""The glass test told with its answer: "did the glass test and they disappear", "pressed a glass
on the spots and you can still see them".

A rash that does not fade under a pressed glass may be meningococcal septicaemia (NICE NG143,
NG240; NHS website, the glass test), so the test named with no answer, or with spots that stay,
is read as a rash that does not fade: the safer reading. Told fading (it faded, they disappear,
it went away), it is a rash that fades. The answer is looked for in the sentence that names the
glass; a "not" or "still" there ("didn't fade", "still see them") keeps it a rash that stays.
"""

from __future__ import annotations

import re
from collections.abc import Container

FADES = "rash-blanches"
STAYS = "non-blanching-rash"
# the test, not a broken glass: named as a test, or a glass pressed or rolled on the skin
_GLASS = re.compile(
    r"\b(?:glass|tumbler)\s+(?:test|thing|trick|check)\b|"
    r"\b(?:press\w*|roll\w*|put|push\w*)\s+(?:a|the)\s+(?:glass|tumbler)\b|\b(?:glass|tumbler)\s+(?:on|over|against)\s+(?:it|them|her|his|the)\b|"
    r"\b(?:through|under)\s+(?:a|the)\s+(?:glass|tumbler)\b", re.IGNORECASE)
_FADED = re.compile(r"\b(?:fade[sd]?|fading|disappear\w*|go(?:es)?\s+(?:away|when)|"
                    r"went\s+(?:away|when)|blanch\w*|vanish\w*|goes?\s+white|gone|negative)\b",
                    re.IGNORECASE)
_STAYED = re.compile(r"\b(?:not|no|n't|dont|doesnt|didnt|wont|cant|still|stay\w*|positive)\b|"
                     r"n't\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.;!?\n]+")
# a glass pressed on something: only when the text tells of a rash ("through a glass door" is not)
_RASH = re.compile(r"\b(?:rash\w*|spots?|spotty|dots|marks|blotch\w*|patch\w*|purp\w*|"
                   r"petech\w*|bruis\w*|pinpricks?)\b", re.IGNORECASE)


def glass_test(text: str, known: Container[str]) -> frozenset[str]:
    """``rash-blanches`` or ``non-blanching-rash`` (those the pack has) for each sentence that
    names the glass test, by its answer, in a text that tells of a rash."""
    out: set[str] = set()
    if not _RASH.search(text):
        return frozenset()
    for sentence in _SENTENCE.finditer(text):
        told = sentence.group(0)
        if not _GLASS.search(told):
            continue
        faded = _FADED.search(told) and not _STAYED.search(told)
        out.add(FADES if faded else STAYS)
    return frozenset(c for c in out if c in known)
