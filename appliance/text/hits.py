"""What a reader returns, and the ledger that stops one piece of text meaning two things."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Hit:
    """One value found in the text, with the verbatim span and its offsets."""

    field: str
    value: Any
    span: str
    start: int
    end: int
    note: str = ""


def hit(field: str, value: Any, m: re.Match[str], note: str = "") -> Hit:
    """A hit covering the whole of ``m`` (trailing blanks trimmed)."""
    span = m.group(0).rstrip()
    lead = len(span) - len(span.lstrip())
    return Hit(field, value, span.strip(), m.start() + lead, m.start() + len(span), note)


class Claims:
    """Character ranges already read as a measurement.

    Readers run from the most specific (a blood pressure's "N/N", a temperature with its unit)
    to the least (an age written "104F"), and a later reader may not reuse claimed text: that is
    what keeps "temp 104F" from also being age 104, sex F, and "BP 80/40" from being 80/40 weeks.
    """

    __slots__ = ("_ranges",)

    def __init__(self) -> None:
        self._ranges: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self._ranges)

    def take(self, start: int, end: int) -> None:
        self._ranges.append((start, end))
