"""The text of a protocol line: Markdown emphasis, sentences, table cells, and the document's
status line that is boilerplate rather than guidance (:mod:`appliance.protocols.lines`)."""

from __future__ import annotations

import re
from functools import lru_cache

_NO_SPLIT = ("e.g.", "i.e.", "etc.", "approx.", "vs.", "no.", "dr.", "cf.")
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“*])")
_MARKUP = re.compile(r"\*\*|__|`")


def strip_markup(text: str) -> str:
    return _MARKUP.sub("", text).strip()


def cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def split_sentences(block: str) -> list[str]:
    """Sentences of one paragraph or list item, abbreviations kept whole."""
    out: list[str] = []
    for piece in _SPLIT.split(block.strip()):
        if out and out[-1].lower().endswith(_NO_SPLIT):
            out[-1] = f"{out[-1]} {piece}"
        elif piece.strip():
            out.append(piece.strip())
    return out


def is_boilerplate(text: str, status: str) -> bool:
    if not status:
        return False
    norm = _norm(text.lstrip("> "))
    status = _norm_status(status)
    return len(norm) > 10 and (norm.startswith(status[:40]) or status.startswith(norm.rstrip(".")))


@lru_cache(maxsize=64)
def _norm_status(status: str) -> str:
    # Asked for every line of every section shown: a pack has a handful of statuses.
    return _norm(status)


def _norm(text: str) -> str:
    return " ".join(strip_markup(text).lower().split())
