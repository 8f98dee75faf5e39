"""Scoring of the text readers against tests/data/extraction_context.jsonl.

Every field a note states is annotated there, so anything read that the note does not say is an
invented value, and anything the note says that is not read is a miss.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appliance.text.hits import Hit

DATA = Path(__file__).resolve().parent.parent / "data"
TUNING = DATA / "extraction_context.jsonl"
HELD_OUT = DATA / "extraction_context_heldout.jsonl"
LISTS = ("allergies", "medications")


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def expected_items(expected: dict[str, Any]) -> set[tuple[str, Any]]:
    """{("vitals.pulse", 130), ("allergies", "penicillin"), ("mechanism", "fell"), ...}."""
    out: set[tuple[str, Any]] = set()
    for key, value in expected.items():
        if key == "vitals":
            out |= {(f"vitals.{k}", v) for k, v in value.items()}
        elif key in LISTS:
            out |= {(key, v.lower()) for v in value}
        else:
            out.add((key, value))
    return out


def _matches(want: tuple[str, Any], got: Hit) -> bool:
    name, value = want
    if name != got.field:
        return False
    if name == "mechanism":
        return str(value).lower() in str(got.value).lower()
    if name in LISTS:
        return bool(value == str(got.value).lower())
    if isinstance(value, float) or isinstance(got.value, float):
        return not isinstance(got.value, bool) and abs(float(value) - float(got.value)) < 0.051
    return bool(value == got.value)


@dataclass
class Score:
    found: int = 0
    missed: int = 0
    invented: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    by_style: dict[str, list[int]] = field(default_factory=dict)

    def add(self, note: dict[str, Any], hits: list[Hit]) -> None:
        want = expected_items(note["expected"])
        stats = self.by_style.setdefault(note["style"], [0, 0])
        for h in hits:
            if not any(_matches(w, h) for w in want):
                self.invented.append(f"{note['id']}: {h.field}={h.value!r} from '{h.span}'")
        for w in sorted(want, key=str):
            if any(_matches(w, h) for h in hits):
                self.found += 1
                stats[0] += 1
            else:
                self.missed += 1
                stats[1] += 1
                self.misses.append(f"{note['id']}: {w[0]}={w[1]!r}")

    @property
    def recall(self) -> float:
        total = self.found + self.missed
        return self.found / total if total else 0.0

    def report(self) -> dict[str, Any]:
        return {"recall": round(self.recall, 3), "found": self.found, "missed": self.missed,
                "invented": len(self.invented),
                "recall_by_style": {s: round(f / (f + m), 3) if f + m else None
                                    for s, (f, m) in sorted(self.by_style.items())},
                "misses": self.misses}
