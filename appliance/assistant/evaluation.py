"""Answer quality on a labelled question set: top-1, top-3 and unsupported sentences shown.

The set is JSON Lines: ``{"q": "...", "doc": "<doc id>", "fact": "...", "kind": "..."}``. An
answer line *holds* the fact when the fact occurs in it (case, spacing, dashes and Markdown
emphasis ignored). An off-topic set (``{"q": "...", "why": "..."}``) holds questions the pack
cannot answer: they should get "not found". Used by ``tests/assistant/test_answer_quality.py``
and ``bench/answers.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from appliance.errors import ValidationError


def load_questions(path: Path) -> list[dict[str, str]]:
    """Read and check a question set (each line needs 'q', 'doc' and 'fact' strings)."""
    out = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        row = json.loads(raw)
        if not all(isinstance(row.get(k), str) and row[k] for k in ("q", "doc", "fact")):
            raise ValidationError(f"{path.name} line {n}: needs 'q', 'doc' and 'fact' strings.")
        out.append(row)
    return out


def load_off_topic(path: Path) -> list[dict[str, str]]:
    """Read and check an off-topic set (each line needs a 'q' string)."""
    out = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        row = json.loads(raw)
        if not isinstance(row.get("q"), str) or not row["q"]:
            raise ValidationError(f"{path.name} line {n}: needs a 'q' string.")
        out.append(row)
    return out


def not_found_report(on_topic: list[bool], off_topic: list[bool]) -> dict[str, Any]:
    """Precision and recall of "not found", from whether each on-topic and each off-topic
    question was answered "not found"."""
    caught = sum(off_topic)
    wrongly = sum(on_topic)
    said = caught + wrongly
    return {"off_topic": len(off_topic),
            "not_found_recall": round(caught / max(1, len(off_topic)), 3),
            "not_found_precision": round(caught / said, 3) if said else 1.0,
            "on_topic_not_found": wrongly}


def normalise(text: str) -> str:
    text = re.sub(r"\*\*|__|`", "", text).replace("–", "-").replace("—", "-")
    return " ".join(text.lower().split())


def holds(line: str, fact: str) -> bool:
    return normalise(fact) in normalise(line)


def score(questions: list[dict[str, str]],
          answer_lines: Callable[[str], tuple[list[str], int]]) -> dict[str, Any]:
    """``answer_lines(question)`` → (the lines shown, in order; written sentences shown that
    the checker did not support). Returns top-1, top-3, unsupported shown and the misses."""
    top1 = top3 = unsupported = 0
    misses: list[dict[str, Any]] = []
    for row in questions:
        lines, bad = answer_lines(row["q"])
        unsupported += bad
        first = bool(lines) and holds(lines[0], row["fact"])
        top1 += first
        within = any(holds(line, row["fact"]) for line in lines[:3])
        top3 += within
        if not first:
            misses.append({"q": row["q"], "fact": row["fact"], "top3": within,
                           "shown": lines[:1]})
    n = max(1, len(questions))
    return {"questions": len(questions), "top1": round(top1 / n, 3),
            "top3": round(top3 / n, 3), "unsupported_shown": unsupported, "misses": misses}
