"""What a question's story says was already done, and the protocol step that comes after it.

"back blows didn't work, what next", "valsalva failed, adenosine dose", "already had aspirin,
what next": the question names a step already taken, and the line that states that step holds
its words best — yet the answer is the step the protocol gives after it ("If not cleared, ...
chest thrusts", "Then adenosine 6 mg ..."). Nothing here knows a document: a step done is found
by the words of the question, its successor by the order of the document's lines.
"""

from __future__ import annotations

import re

from appliance.assistant.answer_terms import holds, stem, stems
from appliance.assistant.asked import given_words
from appliance.protocols.lines import Line

# The step before the cue did not work ("back blows not working", "valsalva failed").
_DID_NOT_WORK = re.compile(r"\b(?:not working|didn'?t work|did not work|doesn'?t work|"
                           r"does not work|failed|fails|not helping|isn'?t helping|"
                           r"hasn'?t helped|didn'?t help|no better|not better)\b", re.I)
# What comes next is asked: only then is a medicine the story says was given a step done
# ("already had aspirin, what next"); otherwise it may be what is asked about ("gave
# midazolam, how many more can we give").
_NEXT_ASKED = re.compile(r"\b(?:what next|whats next|what's next|what now|whats now|"
                         r"then what|next step|what else)\b", re.I)
# "had a fall", "had a stroke": an event of the story, not a step taken
_HAD_EVENT = re.compile(r"\bhad (?:an?|the|some|his|her|their)\b", re.I)
_CLAUSE = re.compile(r"[,;.?!]|\s-\s|\bbut\b|\band\b", re.I)
# A state that persists after a step ("still wheezy after two nebs", "no better after the
# salbutamol"): the words after "after", to the end of the clause.
_STILL_AFTER = re.compile(r"\b(?:still|no better|not better|not improving)\b[^,.;?!]*?"
                          r"\bafter\s+([^,.;?!]+)", re.I)
STEP_WORDS = 3
"""Words before the cue that name the step that did not work ("first epi pen")."""
MIN_SHARE = 0.5
"""Share of the step's (idf-weighted) words a line must hold to be the step done."""


def done_words(text: str) -> set[str]:
    """Words of the question naming a step already taken: up to ``STEP_WORDS`` before "did
    not work" (and its kin) in the same clause, and, when the question asks what comes next,
    what it says was given or taken (:func:`appliance.assistant.asked.given_words`)."""
    out: set[str] = set()
    for m in _DID_NOT_WORK.finditer(text):
        clause = _CLAUSE.split(text[:m.start()])[-1]
        out.update(re.findall(r"[a-z0-9]+", clause.lower())[-STEP_WORDS:])
    if _NEXT_ASKED.search(text):
        out |= given_words(_HAD_EVENT.sub(" ", text))
    for m in _STILL_AFTER.finditer(text):
        # "still hypotensive after adrenaline": the adrenaline was given and has not worked
        out.update(re.findall(r"[a-z0-9]+", m.group(1).lower())[:STEP_WORDS])
    return out


def steps_after(question: str, lines: list[Line], groups: list[set[str]],
                idf: list[float]) -> set[int]:
    """Numbers of the lines that come next after a step the question says was taken: for
    each line of a document holding the most of the step's words (at least ``MIN_SHARE``), the
    first line after it in its section that starts a new item or paragraph (a sentence going
    on in the same item, "Check after each blow ...", is still the same step)."""
    done = {stem(w) for w in done_words(question)}
    pairs = [(g, w) for g, w in zip(groups, idf, strict=True) if g & done]
    total = sum(w for _, w in pairs)
    if not total:
        return set()
    shares = [0.0 if line.plain.endswith(":") else
              sum(w for g, w in pairs if holds(g, stems(f"{line.text} {line.context}"))) / total
              for line in lines]
    best = max(shares, default=0.0)
    if best < MIN_SHARE:
        return set()
    out: set[int] = set()
    for i, share in enumerate(shares):
        if share < best:
            continue
        for j, line in enumerate(lines[i + 1:], i + 1):
            if line.section_id != lines[i].section_id:
                break
            # a line that states the same step (the next dose under "Adrenaline 1 mg/ml:") is
            # not what comes after it
            if not line.before and not line.plain.endswith(":") and shares[j] < best:
                out.add(line.number)
                break
    return out


DONE_WEIGHT = 0.5
"""What a word of a step already taken is worth among the question's words: it tells the
story, it is not what is asked ("valsalva failed, adenosine dose" asks about adenosine)."""


def weigh_done(question: str, groups: list[set[str]], idf: list[float]) -> list[float]:
    """``idf`` with the words of a step already taken (:func:`done_words`) weighed
    ``DONE_WEIGHT``."""
    done = {stem(w) for w in done_words(question)}
    return [w * DONE_WEIGHT if g & done else w for g, w in zip(groups, idf, strict=True)]
