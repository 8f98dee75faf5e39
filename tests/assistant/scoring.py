"""Field-level scoring of extraction against tests/data/extraction_notes.jsonl."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appliance.assistant.extraction import Extraction

NOTES = Path(__file__).resolve().parent.parent / "data" / "extraction_notes.jsonl"
NOT_ANNOTATED = ("gcs", "vitals.blood_glucose", "allergies", "no_known_allergies", "medications")
"""Fields this note set does not annotate (tests/data/extraction_context.jsonl does)."""


def load_notes() -> list[dict[str, Any]]:
    return [json.loads(line) for line in NOTES.read_text().splitlines() if line.strip()]


def flatten(expected: dict[str, Any]) -> dict[str, Any]:
    """{"age": 72, "vitals.pulse": 112, "symptoms:chest-pain": True, "mechanism": "..."}."""
    out: dict[str, Any] = {}
    for key, value in expected.items():
        if key == "vitals":
            out |= {f"vitals.{k}": v for k, v in value.items()}
        elif key == "symptoms":
            out |= {f"symptoms:{c}": True for c in value}
        else:
            out[key] = value
    return out


def found(result: Extraction) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for v in result.values:
        if v.field == "symptoms":
            out[f"symptoms:{v.value}"] = True
        elif v.field not in NOT_ANNOTATED and v.field not in out:
            out[v.field] = v.value
    return out


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    hallucinated: int = 0
    by_field: dict[str, list[int]] = field(default_factory=dict)

    def add(self, note: dict[str, Any], result: Extraction) -> None:
        want, got = flatten(note["expected"]), found(result)
        text = note["text"]
        for v in result.values:
            if text[v.start:v.end] != v.span or not v.span:
                self.hallucinated += 1
        for key in set(want) | set(got):
            stats = self.by_field.setdefault(key.split(":")[0], [0, 0, 0])
            ok = key in want and key in got and _same(key, want[key], got[key])
            if ok:
                self.tp += 1
                stats[0] += 1
                continue
            if key in got:
                self.fp += 1
                stats[1] += 1
            if key in want:
                self.fn += 1
                stats[2] += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def report(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "hallucinated_values": self.hallucinated,
                "by_field": {k: dict(zip(("tp", "fp", "fn"), v, strict=True))
                             for k, v in sorted(self.by_field.items())}}


def _same(key: str, want: Any, got: Any) -> bool:
    if key == "mechanism":
        return str(want).lower() in str(got).lower() or str(got).lower() in str(want).lower()
    if isinstance(want, float) or isinstance(got, float):
        return abs(float(want) - float(got)) < 0.051
    return bool(want == got)
