"""A step the question says was already taken, and the protocol step after it
(appliance/assistant/story.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from appliance.assistant.story import DONE_WEIGHT, done_words, steps_after, weigh_done
from appliance.protocols.lines import Line

SECTION = "choking#infants"


def _line(number: int, text: str, before: str = "", section: str = SECTION) -> Line:
    return Line("choking", "Choking", section, ("Choking", "Infants"), number, "item", text,
                before=before)


def test_the_step_that_did_not_work_is_the_words_before_the_cue_in_its_clause() -> None:
    assert done_words("8 month old choking, silent cough, back blows didnt work") == {
        "back", "blows"}
    assert done_words("SVT stable, valsalva failed, adenosine dose") == {"valsalva"}
    assert done_words("what dose of adenosine for svt") == set()


def test_a_medicine_given_is_a_step_taken_only_when_what_comes_next_is_asked() -> None:
    assert "aspirin" in done_words("chest pain, already had aspirin from GP, what next")
    # "how many more": the medicine given may be what is asked about
    assert not done_words("mum gave buccal midazolam, how many more can we give")
    # "had a fall" is an event of the story, not a step taken
    assert not done_words("had a fall last week, what now") & {"fall", "a"}


def test_the_step_after_starts_a_new_item_of_the_same_section() -> None:
    lines = [_line(0, "Hold the baby face down along your forearm."),
             _line(1, "Give up to 5 back blows.", before="Hold the baby face down."),
             _line(2, "Check after each blow whether it has cleared.",
                   before="Give up to 5 back blows."),
             _line(3, "If not cleared, give up to 5 chest thrusts."),
             _line(4, "Call 999.", section="choking#red-flags")]
    groups = [{"back"}, {"blow"}, {"now"}]
    idf = [1.0, 1.0, 1.0]
    assert steps_after("back blows not working, what now", lines, groups, idf) == {3}
    # nothing said to have been done: no line is the next step
    assert steps_after("back blows how many", lines, groups, idf) == set()
    # a step at the end of its section has no next step in another section
    assert steps_after("call 999 did not work", [lines[4]], [{"call"}, {"999"}], [1.0, 1.0]) \
        == set()


def test_the_words_of_a_step_taken_weigh_less_among_the_questions_words() -> None:
    groups = [{"valsal"}, {"adenos"}, {"dose"}]
    assert weigh_done("valsalva failed, adenosine dose", groups, [2.0, 2.0, 1.0]) == [
        2.0 * DONE_WEIGHT, 2.0, 1.0]


def test_a_failed_step_in_the_sample_pack_is_answered_by_the_step_after_it(
        sample_pack_dir: Path) -> None:
    from appliance.assistant.answers import prepare
    from appliance.assistant.grounded import answer
    from appliance.protocols.search import Searcher

    searcher: Any = Searcher(sample_pack_dir, vectors_ready=False)
    prepare(searcher)
    try:
        first = answer("valsalva did not work for his svt, adenosine dose", searcher, None)
    finally:
        searcher.close()
    assert "adenosine 6 mg" in first.quotes[0].text
