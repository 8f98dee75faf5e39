"""A peak flow told against the person's best: "peak flow was 150, my best is 450", "PEF 180
(best 400)", "peak flow 40% of predicted".

Asthma's severity bands are fractions of the best or predicted peak flow (BTS/SIGN 158 and NICE
NG245: 50-75% moderate, 33-50% acute severe, under 33% life-threatening), so a reading means
something only beside the person's best; a bare number is left alone. The band is given as a
concept, which the pack's red flags grade.
"""

from __future__ import annotations

import re
from collections.abc import Container

# the fraction of best below which each band starts, most severe first
BANDS = (("peak-flow-under-33", 0.33), ("peak-flow-33-50", 0.50), ("peak-flow-50-75", 0.75))

_PEAK = r"(?:peak\s*flow|pefr?|pfr?)"
_NUMBER = r"(\d{2,3})(?:\s*(?:l/min|litres?|liters?))?"
_GAP = r"[^.;\n\d]{0,40}?"
_AGAINST_BEST = re.compile(
    rf"\b{_PEAK}\b{_GAP}\b{_NUMBER}{_GAP}\b(?:best|usual(?:ly)?|normal(?:ly)?|predicted)\b{_GAP}{_NUMBER}"
    rf"|\b(?:best|usual|normal|predicted)\b{_GAP}{_NUMBER}{_GAP}\b{_PEAK}\b{_GAP}\b{_NUMBER}",
    re.IGNORECASE)
_PERCENT = re.compile(
    rf"\b{_PEAK}\b{_GAP}\b(\d{{1,3}})\s*%\s*(?:of\s+)?(?:(?:her|his|my|their|the)\s+)?"
    r"(?:best|usual|normal|predicted)", re.IGNORECASE)


def peak_flow_band(text: str, known: Container[str]) -> frozenset[str]:
    """The peak-flow band concept (when the pack has it) of a reading told against the best."""
    fraction = _fraction(text)
    if fraction is None:
        return frozenset()
    for concept, below in BANDS:
        if fraction < below:
            return frozenset({concept}) if concept in known else frozenset()
    return frozenset()


def _fraction(text: str) -> float | None:
    m = _PERCENT.search(text)
    if m:
        return int(m.group(1)) / 100
    m = _AGAINST_BEST.search(text)
    if not m:
        return None
    if m.group(1):
        reading, best = int(m.group(1)), int(m.group(2))
    else:
        best, reading = int(m.group(3)), int(m.group(4))
    # a peak flow runs 60-900 l/min; anything else is another number
    if not (60 <= best <= 900 and 30 <= reading <= 900):
        return None
    return reading / best
