"""The readers on notes written for this project in three styles: nothing invented, recall
reported. ``extraction_context.jsonl`` was used while writing the readers; the held-out set was
written afterwards and is not tuned against (tests/data/README.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appliance.text.patterns import find_all
from appliance.triage.vitals import VITAL_FIELDS
from tests.text.note_set import HELD_OUT, TUNING, Score, expected_items, load

STYLES = {"shorthand", "prose", "lay"}


@pytest.mark.parametrize(("path", "least"), [(TUNING, 120), (HELD_OUT, 50)])
def test_each_set_is_large_varied_and_well_formed(path: Path, least: int) -> None:
    notes = load(path)
    assert len(notes) >= least
    assert {n["style"] for n in notes} == STYLES
    assert len({n["text"] for n in notes}) == len(notes)
    assert len({n["id"] for n in notes}) == len(notes)
    known = {"age", "sex", "pregnant", "pain_score", "gcs", "mechanism", "allergies",
             "no_known_allergies", "medications"} | {f"vitals.{f}" for f in VITAL_FIELDS}
    for note in notes:
        assert {name for name, _ in expected_items(note["expected"])} <= known, note["id"]


@pytest.mark.parametrize(("path", "least_recall"), [(TUNING, 0.95), (HELD_OUT, 0.9)])
def test_no_value_is_invented_and_recall_is_reported(path: Path, least_recall: float) -> None:
    score = Score()
    for note in load(path):
        score.add(note, find_all(note["text"]))
    print(f"\n{path.name}:", json.dumps(score.report()))
    assert score.invented == []
    assert score.recall >= least_recall


def test_the_sets_cover_the_context_traps() -> None:
    """Both sets hold the cases the issue names, so the zero above means something."""
    texts = " ".join(n["text"] for path in (TUNING, HELD_OUT) for n in load(path))
    for trap in ("104F", "80/40", "Allergic to penicillin", "NKDA", "afebrile", "no fever",
                 "on warfarin", "28/40", "°F", "mmHg", "times a minute", "racing at"):
        assert trap.lower() in texts.lower(), trap
