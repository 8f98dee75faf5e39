"""Which of several readings of one vital sign a triage takes: the most concerning.

A note often holds a vital sign twice ("BP 120/80 initially, now 80/40", "BM 2.8 … recheck
6.9"). Triage grades the worst: a blood pressure that fell, or a low sugar since treated, is
still the finding a clinician must see, and taking the first reading would hide a fall. How far a
value lies outside the adult band that scores 0 on NEWS2 (RCP 2017) ranks the readings; for
blood glucose the usual 4–11 mmol/L. Among equally concerning readings the latest is taken.

Blood glucose is the exception: it is the reading a crew treats and rechecks ("BM 2.8 … 15 min BM
6.9"), so its latest value is the patient's state now; the low reading before it is told to the
triage engine as a finding of its own (a low sugar treated), which still sets a level.
"""

from __future__ import annotations

from collections.abc import Sequence

#: (low, high) of the band that raises no concern; outside it, further is worse
_NORMAL: dict[str, tuple[float, float]] = {
    "respiratory_rate": (12, 20), "spo2": (96, 100), "systolic_bp": (111, 219),
    "pulse": (51, 90), "temperature": (36.1, 38.0), "blood_glucose": (4.0, 11.0),
    "capillary_refill_s": (0, 2),
}
_CONSCIOUSNESS = {"A": 0, "C": 1, "V": 2, "P": 3, "U": 4}


def concern(name: str, value: object) -> float:
    """How far ``value`` of vital sign ``name`` lies outside its normal band (0 inside it)."""
    if name == "consciousness":
        return float(_CONSCIOUSNESS.get(str(value), 0))
    band = _NORMAL.get(name)
    if band is None or not isinstance(value, int | float) or isinstance(value, bool):
        return 0.0
    low, high = band
    if value < low:
        return (low - value) / (high - low)
    if value > high:
        return (value - high) / (high - low)
    return 0.0


#: read at the latest value: the measure a crew treats and rechecks
LATEST = frozenset({"blood_glucose"})


def most_concerning(name: str, values: Sequence[object]) -> int:
    """Index of the reading to take among ``values`` (in the order written)."""
    if name in LATEST:
        return len(values) - 1
    best = 0
    for i, value in enumerate(values):
        if concern(name, value) >= concern(name, values[best]):
            best = i
    return best
