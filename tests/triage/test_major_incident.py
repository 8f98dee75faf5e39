"""Ten Second Triage and the Triage Sieve, one question at a time, and METHANE tallies."""

from __future__ import annotations

from typing import Any

import pytest

from appliance.errors import ValidationError
from appliance.triage.major_incident import MethaneTally, TenSecondTriage, TriageSieve


def run(flow: TenSecondTriage | TriageSieve, answers: list[Any]) -> tuple[list[str], str]:
    asked = []
    for a in answers:
        assert flow.question is not None
        asked.append(flow.question.id)
        flow.answer(a)
    assert flow.question is None and flow.result is not None
    return asked, flow.result.category


@pytest.mark.parametrize(("answers", "asked", "category"), [
    ([True], ["walking"], "P3"),
    ([False, True], ["walking", "catastrophic_bleeding"], "P1"),
    ([False, False, True, True],
     ["walking", "catastrophic_bleeding", "talking", "penetrating_torso"], "P1"),
    ([False, False, True, False],
     ["walking", "catastrophic_bleeding", "talking", "penetrating_torso"], "P2"),
    ([False, False, False, True], ["walking", "catastrophic_bleeding", "talking", "breathing"],
     "P1"),
    ([False, False, False, False], ["walking", "catastrophic_bleeding", "talking", "breathing"],
     "DEAD"),
])
def test_ten_second_triage(answers: list[bool], asked: list[str], category: str) -> None:
    assert run(TenSecondTriage(), answers) == (asked, category)


def test_tst_tells_the_responder_what_to_do() -> None:
    flow = TenSecondTriage()
    for a in (False, False, False, True):
        flow.answer(a)
    assert flow.result is not None and "recovery position" in flow.result.actions[0]


@pytest.mark.parametrize(("answers", "category"), [
    ([True], "P3"), ([False, False], "DEAD"), ([False, True, 9], "P1"), ([False, True, 30], "P1"),
    ([False, True, 10, 3], "P1"), ([False, True, 29, 2], "P2"),
    ([False, True, 20, None, 121], "P1"), ([False, True, 20, None, 120], "P2"),
    ([False, True, None, 2], "P1"),
])
def test_triage_sieve(answers: list[Any], category: str) -> None:
    assert run(TriageSieve(), answers)[1] == category


def test_questions_are_typed_and_answers_checked() -> None:
    flow = TriageSieve()
    with pytest.raises(ValidationError):
        flow.answer(12)  # a yes/no question
    flow.answer(False)
    flow.answer(True)
    assert flow.question is not None and flow.question.kind == "number"
    with pytest.raises(ValidationError):
        flow.answer(True)


def test_undo_takes_back_a_slip() -> None:
    flow = TenSecondTriage()
    flow.answer(True)
    assert flow.done
    flow.undo()
    assert flow.question is not None and flow.question.id == "walking"


def test_a_finished_flow_refuses_more_answers() -> None:
    flow = TenSecondTriage()
    flow.answer(True)
    with pytest.raises(ValidationError):
        flow.answer(True)


def test_methane_tally() -> None:
    tally = MethaneTally()
    for cat in ["P1", "P1", "P2", "P3", "P3", "P3", "DEAD"]:
        tally.add(cat)
    flow = TenSecondTriage()
    flow.answer(True)
    assert flow.result is not None
    tally.add(flow.result)
    tally.remove("P3")
    tally.set("exact_location", "M62 J18 northbound")
    report = tally.report()
    assert report["tallies"] == {"P1": 2, "P2": 1, "P3": 3, "DEAD": 1} and report["total"] == 7
    assert [line["letter"] for line in report["lines"]] == list("METHANE")
    assert "P1 2" in report["lines"][5]["text"]
    assert "M62 J18" in tally.text()
    with pytest.raises(ValidationError):
        tally.add("P4")
