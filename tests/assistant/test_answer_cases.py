"""Question types and words found from the misses of session 12: a step that has not worked,
weeks that are a pregnancy or a time rather than the patient's age, and a medicine's class."""

from __future__ import annotations

import pytest

from appliance.assistant.answers import features
from appliance.assistant.question import gestation_bands, line_features, read_question
from appliance.protocols.lines import parse_section
from appliance.text.medicine_names import other_names

STEPS = """- Hold the baby face down along your forearm. Give up to 5 back blows.
- If not cleared, turn face up and give up to 5 chest thrusts.
"""


def test_a_step_that_has_not_worked_asks_for_the_line_written_for_that_case() -> None:
    lines = parse_section("doc", "Doc", "doc#1", ("Doc", "Infant"), STEPS)
    q = read_question("choking baby, back blows not working")
    assert "failed" in q.kinds
    found = {line.plain: features(q, line, [{"back"}], [1.0], 1.0)["failed"] for line in lines}
    assert found["If not cleared, turn face up and give up to 5 chest thrusts."] == 1.0
    assert found["Give up to 5 back blows."] == 0.0
    assert "failed" not in read_question("back blows how many").kinds


@pytest.mark.parametrize(("text", "failure"), [
    ("Add nebulised ipratropium 250 micrograms if poor response.", True),
    ("If the response is not adequate, escalate to a more senior clinician.", True),
    ("Still seizing after two doses: pre-alert, convey.", True),
    ("Give up to 5 back blows.", False),
])
def test_a_line_for_when_a_step_has_not_worked(text: str, failure: bool) -> None:
    assert line_features(text).failure is failure


@pytest.mark.parametrize(("question", "age", "gestation"), [
    ("bp cut off for pre eclampsia 32 weeks", None, 32.0),
    ("pregant 34 weeks with a headache", None, 34.0),  # misspelt, still a pregnancy
    ("30/40 pregnant and bleeding", None, 30.0),
    ("cough for 3 weeks", None, None),  # a time, not a baby of 3 weeks
    ("fever 5 days in a 2 yr old", 24.0, None),  # the age said as one wins
    ("6 week old baby with a fever", 1.5, None),
    ("baby 3 weeks with a fever", 0.75, None),
])
def test_weeks_are_an_age_only_when_they_are_not_a_pregnancy_or_a_time(
        question: str, age: float | None, gestation: float | None) -> None:
    q = read_question(question)
    assert q.age_months == age
    assert q.gestation_weeks == gestation


def test_a_line_states_the_weeks_of_pregnancy_it_is_for() -> None:
    bands = gestation_bands("After 20 weeks (and up to 6 weeks after birth): BP 140/90 or higher")
    assert any(b.holds(32) for b in bands) and not any(b.holds(12) for b in bands[:1])


def test_the_weeks_of_a_pregnancy_fall_in_a_lines_band_for_a_threshold_asked() -> None:
    text = "- After 20 weeks: blood pressure 140/90 or higher with headache.\n"
    line = parse_section("doc", "Doc", "doc#1", ("Doc",), text)[0]
    asked = features(read_question("bp cut off for pre eclampsia 32 weeks"), line,
                     [{"bp"}], [1.0], 1.0)
    early = features(read_question("bp cut off for pre eclampsia 12 weeks"), line,
                     [{"bp"}], [1.0], 1.0)
    assert asked["number"] == 1.0 and early["number"] == 0.0


def test_a_phosphodiesterase_5_inhibitor_is_named_by_its_class() -> None:
    assert other_names("viagra") == ["sildenafil", "phosphodiesterase-5 inhibitor"]
    assert other_names("tadalafil") == ["phosphodiesterase-5 inhibitor"]
