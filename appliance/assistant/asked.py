"""What a question asks by its form rather than its words: the letter of a mnemonic ("what
does the A stand for"), two things at once ("calpol and nurofen together"), a score it gives
("feverpain score 4", "news2 points for HR 115"), a step that has not worked ("back blows not
working"). Each has a line that answers it by its form: the mnemonic's row for that letter, a
line ruling on combining, the band that holds the score, the line for when a step has failed.
And what the story says was already given or taken ("gave calpol", "morphine given").
General patterns of clinical English; nothing here knows a particular document.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A letter asked of a mnemonic: "what does the A stand for", "the last T", "letter B"; a
# capital after "the" unless it begins a longer word or "A&E".
_THE = r"\b(?:the|letter)\s+(?:(?:first|last)\s+)?"
_LETTER = re.compile(rf"{_THE}([a-z])\s+(?:stands?|means?|for|in)\b|{_THE}([A-Z])\b(?![&'\w])")

# Two things asked of at once ("calpol and nurofen together", "at the same time"), and a line
# ruling on combining ("Do not give both at once", "more than one product ... at once").
_TOGETHER_Q = re.compile(r"\b(?:together|at the same time|at once|combined|with each other)\b",
                         re.I)
COMBINED = re.compile(r"\b(?:both|together|at once|at the same time|more than one|combin\w*)\b",
                      re.I)

# A score, points or a total named with the question's value ("feverpain score 4", "news2
# points for HR 115", "a total of 6"): the value is a score to place in a band (NICE NG84's
# FeverPAIN bands, RCP NEWS2's aggregate and per-parameter bands), not a measurement alone.
_SCORE_Q = re.compile(r"\b(?:score[sd]?|scoring|points?|total)\b", re.I)

# The first thing tried has not worked ("back blows not working", "still fitting after 2 doses",
# "reg not coming"): the answer is the step for that case, a line stating the failure. "Still"
# before what is asked to be done or allowed is "even so", not a state that persists: "still
# need to go in?", "still worth cooling it?", "still give benpen?", "do i still start with ...".
_EVEN_SO = (r"(?!\s+(?:need|needs|worth|give|start|do|go|get|use|take|have|be|ok|okay|safe|"
            r"allowed|want|wants|required|necessary|recommended|appropriate|call|send|convey)\b)")
FAILED_Q = re.compile(r"\b(?:not working|didn'?t work|did not work|doesn'?t work|does not work|"
                      r"not improving|no improvement|not better|no better|no response|"
                      r"not responding|not helping|isn'?t helping|hasn'?t helped|no change|"
                      r"not cleared|nobody came|no one came|not coming|didn'?t come|"
                      rf"still{_EVEN_SO}|worse|worsening|deteriorating|failed|fails|refractory)\b",
                      re.I)
FAILURE = re.compile(r"\bif (?:not|no|poor|still|there is no)\b|\b(?:not|no|poor) (?:cleared|"
                      r"improv\w*|respon\w*|adequate|effective|working|controlled|better)\b|"
                      r"\b(?:no improvement|persists?|still|unsuccessful|refractory|worsens?)\b",
                      re.I)


@lru_cache(maxsize=256)
def together_asked(text: str) -> bool:
    """Whether the question asks about two things given or done together."""
    return _TOGETHER_Q.search(text) is not None


@lru_cache(maxsize=256)
def letter_asked(text: str) -> str:
    """The letter of a mnemonic the question asks about ("" if none)."""
    m = _LETTER.search(text)
    return (m.group(1) or m.group(2)).upper() if m else ""


@lru_cache(maxsize=256)
def score_asked(text: str) -> bool:
    """Whether the question speaks of a score, points or a total (its number, if any, is then
    a score to place in the band that holds it)."""
    return _SCORE_Q.search(text) is not None


# not "on": a regular medicine ("on warfarin") may be what the question is about
_GIVEN_BEFORE = frozenset("gave had took already".split())
_GIVEN_AFTER = frozenset("given taken earlier".split())


def given_words(text: str) -> set[str]:
    """Words said as already given or taken: up to three after "gave", "had", "took",
    "already" (to a comma; "and" joins), or the one before "given", "taken", "earlier"."""
    tokens = re.findall(r"[a-z0-9]+|[,;.?-]", text.lower())
    out: set[str] = set()
    for i, token in enumerate(tokens):
        if token in _GIVEN_AFTER and i and tokens[i - 1].isalnum():
            out.add(tokens[i - 1])
        if token not in _GIVEN_BEFORE:
            continue
        taken = 0
        for word in tokens[i + 1:]:
            if not word.isalnum() or word in _GIVEN_AFTER or taken == 3:
                break
            if word != "and" and word not in _GIVEN_BEFORE:
                out.add(word)
                taken += 1
    return out
