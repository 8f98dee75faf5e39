"""Verbatim span checks: a value is kept only if the text it came from is really in the note.

Matching is exact first, then tolerant only of case, runs of whitespace and typographic quotes
or dashes, and always returns the offsets of the original text so the UI can highlight it.
"""

from __future__ import annotations

import re

_TRANSLATE = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                            "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_NEGATION = re.compile(
    r"\b(?:no|not|nil|denies|denied|denying|without|negative\s+for|free\s+of|absent|"
    r"never|ruled\s+out|no\s+signs?\s+of|no\s+evidence\s+of|isn'?t|wasn'?t|doesn'?t|didn'?t)\b"
    r"[^.;,\n]*$", re.IGNORECASE)


def normalise(text: str) -> str:
    """Lower case, plain quotes and dashes, single spaces."""
    return re.sub(r"\s+", " ", text.translate(_TRANSLATE)).strip().lower()


def find_span(text: str, span: str) -> tuple[int, int] | None:
    """Offsets of ``span`` in ``text`` (verbatim up to case/whitespace/quotes), else None."""
    span = span.strip()
    if not span:
        return None
    at = text.find(span)
    if at >= 0:
        return at, at + len(span)
    words = [re.escape(w) for w in normalise(span).split(" ")]
    pattern = r"\s+".join(words)
    translated = text.translate(_TRANSLATE)  # same length as text: offsets carry over
    m = re.search(pattern, translated, re.IGNORECASE)
    return (m.start(), m.end()) if m else None


def is_verbatim(source: str, quote: str) -> bool:
    """True when ``quote`` occurs in ``source`` (case, whitespace and quote style aside)."""
    q = normalise(quote).strip(" .,;:")
    return bool(q) and q in normalise(source)


def negated(text: str, start: int, window: int = 40) -> bool:
    """True when a negation cue ("no", "denies", "not") precedes ``start`` in the same clause."""
    before = text[max(0, start - window):start]
    return bool(_NEGATION.search(before))
