"""Words as they are typed in a hurry, written out: "shud i", "hes chokin", "dont", "pls".

A question typed on a phone drops apostrophes and vowels. Read as written, "hes" and "shud" are
words no protocol uses (so they weigh as the rarest words of the question) and "shud i give"
does not ask "should I". Each form here stands for one English word or contraction only; a
form that is also a clinical abbreviation or a unit ("im", "od", "pt", "u") is not listed.
General English; nothing here knows a protocol pack.
"""

from __future__ import annotations

import re

TYPED: dict[str, str] = {
    # apostrophes dropped
    "hes": "he's", "shes": "she's", "ive": "I've", "theyre": "they're", "thats": "that's",
    "whats": "what's", "dont": "don't", "doesnt": "doesn't", "didnt": "didn't",
    "isnt": "isn't", "wasnt": "wasn't", "arent": "aren't", "werent": "weren't",
    "havent": "haven't", "hasnt": "hasn't", "hadnt": "hadn't", "wont": "won't",
    "wouldnt": "wouldn't", "shouldnt": "shouldn't", "couldnt": "couldn't",
    # vowels and letters dropped
    "shud": "should", "shd": "should", "wud": "would", "cud": "could", "pls": "please",
    "plz": "please", "b4": "before", "tmrw": "tomorrow", "coz": "because", "cuz": "because",
    "wat": "what", "wot": "what", "abt": "about",
}

_WORD = re.compile(r"(?<![\w'’])[A-Za-z0-9']+(?![\w'’])")


# "#" for a fracture, as clinical notes write it ("open #", "#NOF", "?# wrist"); "#4" and "bed
# #4" number something
_FRACTURE = re.compile(r"(?<![\w#])#(?![\d#])")


def as_written(text: str) -> str:
    """``text`` with each hurried form (:data:`TYPED`) written out, the rest as it was."""
    def one(m: re.Match[str]) -> str:
        word = m.group(0)
        return TYPED.get(word.lower(), word)

    return _WORD.sub(one, _FRACTURE.sub(" fracture ", text))
