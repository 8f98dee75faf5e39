"""Chest tightness in a known asthmatic who is wheezing: the asthma, not a coronary pain.

Tightness of the chest is one of asthma's cardinal symptoms, with wheeze and breathlessness
(BTS/SIGN 158; NICE NG245). Told by a younger adult with asthma and wheeze or a reliever
inhaler, and with no pain, radiation or sweating, it is graded as the asthma is (peak flow,
words between breaths, the observations), not as possible acute coronary syndrome. From 50 the
coronary risk is high enough that tightness stays chest pain (NICE CG95), and any pain word,
spread to the arm, jaw or back, or sweating keeps it there at any age.
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "non-cardiac-chest-features"
_AGE_LIMIT = 50
_ASTHMA = re.compile(r"\basthma\w*\b", re.IGNORECASE)
_WHEEZE_OR_RELIEVER = re.compile(r"\b(?:wheez\w*|inhalers?|salbutamol|ventolin|blue\s+pump|"
                                 r"reliever|pef|peak\s+flow|nebs?|nebuli[sz]\w*)\b",
                                 re.IGNORECASE)
_TIGHT = re.compile(r"\b(?:tight\s+chest|chest\s+(?:is\s+|feels\s+|feeling\s+|very\s+|so\s+)?"
                    r"tight\w*|tightness\s+(?:in|of|across)\s+(?:the\s+|my\s+|his\s+|her\s+)?"
                    r"chest)\b", re.IGNORECASE)
_CARDIAC = re.compile(r"\b(?:pain\w*|ache\w*|crushing|heavy|heaviness|pressure|squeez\w*|"
                      r"radiat\w*|arm|jaw|neck|back|sweat\w*|clammy|grey|gray|exertion|"
                      r"walking\s+up|stairs)\b", re.IGNORECASE)


def asthma_tightness(text: str, age: float | None, known: Container[str]) -> frozenset[str]:
    """``non-cardiac-chest-features`` for an asthmatic's wheezy chest tightness under 50."""
    if CONCEPT not in known or age is None or age >= _AGE_LIMIT:
        return frozenset()
    if (_TIGHT.search(text) and _ASTHMA.search(text) and _WHEEZE_OR_RELIEVER.search(text)
            and not _CARDIAC.search(text)):
        return frozenset({CONCEPT})
    return frozenset()
