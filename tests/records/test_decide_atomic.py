"""The engine's result, the decision and the board priority are written in one transaction."""

from __future__ import annotations

import pytest

from appliance.errors import ValidationError
from appliance.records import assessments, encounters
from appliance.session import Session
from tests.records.test_assessments import RESULT


def _events(session: Session) -> list[str]:
    return [r["type"] for r in session.db.query("SELECT type FROM events ORDER BY rowid")]


def test_deciding_records_result_decision_priority_and_complaint_together(
        paramedic: Session) -> None:
    enc = encounters.open_encounter(paramedic)
    before = len(_events(paramedic))
    aid = assessments.decide(paramedic, enc, RESULT, priority=1, reason="peri-arrest",
                             complaint="chest pain")
    row = paramedic.db.query("SELECT * FROM assessments WHERE id = ?", (aid,))[0]
    assert (row["priority"], row["status"], row["final_priority"]) == (2, "overridden", 1)
    e = paramedic.db.query("SELECT * FROM encounters WHERE id = ?", (enc,))[0]
    assert (e["priority"], e["presenting_complaint"]) == (1, "chest pain")
    assert _events(paramedic)[before:] == ["encounter.updated", "assessment.recorded",
                                           "assessment.decided", "encounter.updated"]


def test_a_refused_decision_writes_nothing_at_all(paramedic: Session) -> None:
    enc = encounters.open_encounter(paramedic)
    before = _events(paramedic)
    with pytest.raises(ValidationError):
        assessments.decide(paramedic, enc, RESULT, priority=1, reason="  ",
                           complaint="chest pain")
    assert _events(paramedic) == before
    assert paramedic.db.query("SELECT COUNT(*) AS n FROM assessments")[0]["n"] == 0
    e = paramedic.db.query("SELECT * FROM encounters WHERE id = ?", (enc,))[0]
    assert e["priority"] is None and e["presenting_complaint"] is None


def test_a_failed_transaction_leaves_neither_the_assessment_nor_the_priority(
        paramedic: Session) -> None:
    enc = encounters.open_encounter(paramedic)
    aid, _, changes = assessments._record_changes(paramedic, enc, RESULT)
    broken = changes + [("encounter.updated", enc, {"no_such_column": 1})]
    with pytest.raises(Exception):  # noqa: B017 - whatever the store raises, nothing commits
        paramedic.write_all(broken)
    assert paramedic.db.query("SELECT COUNT(*) AS n FROM assessments")[0]["n"] == 0
    assert paramedic.db.query("SELECT priority FROM encounters WHERE id = ?",
                              (enc,))[0]["priority"] is None
