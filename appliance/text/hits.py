"""What a reader returns, and the ledger that stops one piece of text meaning two things."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
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


def hit(field: str, value: Any, m: re.Match[str], note: str = "", text: str | None = None) -> Hit:
    """A hit covering the whole of ``m`` (blanks trimmed); its span is taken from ``text`` when
    ``m`` matched the lower-cased copy of it."""
    span = (m.group(0) if text is None else text[m.start():m.end()]).rstrip()
    lead = len(span) - len(span.lstrip())
    return Hit(field, value, span.strip(), m.start() + lead, m.start() + len(span), note)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def lowered(text: str) -> str:
    """``text`` in lower case with every offset unchanged (so matches in it point into
    ``text``). Patterns run case-sensitively on this copy: ``re.IGNORECASE`` turns off the
    engine's fast scan for a pattern's first characters and costs about twice the time."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


def lower_pattern(pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` for :func:`lowered` text: its literal letters are lower-cased
    (escapes such as ``\\b`` and ``\\d`` are left as they are)."""
    out: list[str] = []
    escape = False
    for ch in pattern:
        out.append(ch if escape else ch.lower())
        escape = ch == "\\" and not escape
    return re.compile("".join(out))


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


@dataclass(frozen=True)
class Cue:
    """A pattern tried only when one of ``keys`` is in the lower-cased text.

    A substring test runs in C and costs far less than a regex scan, and most texts hold few of
    the cues, so every key must be a substring of anything the pattern can match. No keys: always
    tried. A leading ``\\b`` is taken off the pattern and checked on each match instead: with it
    first, the engine cannot skip ahead to the characters a match can start with.
    """

    keys: tuple[str, ...]
    pattern: re.Pattern[str]
    word_start: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        if self.pattern.pattern.startswith("\\b"):
            object.__setattr__(self, "pattern",
                               re.compile(self.pattern.pattern[2:], self.pattern.flags))
            object.__setattr__(self, "word_start", True)

    def finditer(self, text: str, low: str) -> Iterator[re.Match[str]]:
        if self.keys:
            for key in self.keys:  # a plain loop: a generator in any() costs more than the tests
                if key in low:
                    break
            else:
                return iter(())
        found = self.pattern.finditer(text)
        if not self.word_start:
            return found
        return (m for m in found if m.start() == 0 or not _word_char(text[m.start() - 1]))


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"
