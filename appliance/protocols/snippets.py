"""Search-result snippets: the section's line that best matches, marked.

A hit's snippet is cut from the one line (sentence, list item or table row, see
:mod:`appliance.protocols.lines`) holding the most distinct query words, so it shows the line
the document opens at, never the front-matter boilerplate a section may start with.

Matches are marked with ``MARK_START``/``MARK_END``; ``highlight_spans`` turns a marked snippet
into (plain text, spans) for the UI.
"""

from __future__ import annotations

import re
from functools import lru_cache

MARK_START, MARK_END = "«", "»"


def snippet(text: str, marks: list[str], width: int = 28) -> str:
    """About ``width`` words of ``text`` around the densest matches, matches marked."""
    tokens = text.split()
    if not tokens:
        return ""
    pattern = _mark_pattern(tuple(marks))
    hit = [bool(pattern and pattern.search(t)) for t in tokens]
    # Sliding window: one pass with a running count, not a sum per window.
    count = best = sum(hit[:width])
    start = 0
    for i in range(1, max(1, len(tokens) - width + 1)):
        count += hit[i + width - 1] - hit[i - 1]
        if count > best:
            best, start = count, i
    out = [f"{MARK_START}{t}{MARK_END}" if hit[i] else t
           for i, t in enumerate(tokens[start:start + width], start)]
    return ("… " if start else "") + " ".join(out) + (" …" if start + width < len(tokens) else "")


def best_line(lines: list[str], marks: list[str]) -> str:
    """The line holding the most distinct marked words (the first of equals), or ""."""
    pattern = _mark_pattern(tuple(marks))
    best, most = "", -1
    for text in lines:
        found = len({m.lower() for m in pattern.findall(text)}) if pattern else 0
        if found > most:
            best, most = text, found
    return best


@lru_cache(maxsize=256)
def _mark_pattern(marks: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for every mark: a token is a hit when a mark's stem starts a word in it."""
    stems = [re.escape(m[: max(4, len(m) - 2)] if len(m) > 5 else m)
             for m in marks if len(m) >= 2]
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(sorted(stems, key=len, reverse=True)) + ")",
                      re.IGNORECASE)


def highlight_spans(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Strip the markers from a snippet: (plain text, [(start, end), ...] of matches)."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for part in re.split(f"({MARK_START}|{MARK_END})", marked):
        if part == MARK_START:
            start = pos
        elif part == MARK_END:
            spans.append((start, pos))
        else:
            plain.append(part)
            pos += len(part)
    return "".join(plain), spans
