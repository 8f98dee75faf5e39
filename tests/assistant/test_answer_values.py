"""Values and asks read from a question: a measured value against the bounds a line states,
and what a question mark asks."""

from __future__ import annotations

from typing import Any

import pytest

from appliance.assistant.question import number_ranges, read_question


def _held(text: str, value: float) -> bool:
    return any(b.holds_value(value) for b in number_ranges(text))


@pytest.mark.parametrize(("text", "low"), [
    ("age under 3 months with temperature 38 °C or more", 38.0),
    ("Lactate 2 mmol/L or more is concerning", 2.0),
    ("capillary refill 3 seconds or more", 3.0),
    ("SpO2 94% or more", 94.0),
])
def test_a_unit_between_a_value_and_its_bound_keeps_the_bound(text: str, low: float) -> None:
    assert [b.low for b in number_ranges(text)] == [low]


def test_an_upper_bound_after_a_unit_is_read_too() -> None:
    assert _held("systolic 90 mmHg or less", 85) and not _held("systolic 90 mmHg or less", 95)


def test_ages_and_weights_stay_bands_of_their_own() -> None:
    assert not number_ranges("8 years or over") and not number_ranges("25 kg or more")


def test_an_open_bound_holds_values_of_its_own_order_only() -> None:
    # a temperature of 38.3 is not "3 seconds or more", a pulse of 130 not "over 40" breaths
    assert _held("temperature 38 °C or more", 38.3)
    assert not _held("capillary refill 3 seconds or more", 38.3)
    assert _held("respiratory rate over 40", 45) and not _held("respiratory rate over 40", 130)
    assert _held("GCS 8 or less", 3) and not _held("GCS 8 or less", 1)
    # a two-sided range holds what it holds
    assert _held("Pulse 111–130", 115)


def test_a_question_mark_alone_asks_nothing_but_the_dose() -> None:
    assert read_question("3 yr old stung by wasp, adrenalin dose?").dose_asked
    assert not read_question("can i give another dose of adrenaline?").dose_asked


@pytest.mark.parametrize(("question", "given"), [
    ("stab wound thigh, tourniquet on, morphine given - txa dose?", {"morphine"}),
    ("took ibuprofen and aspirin, what dose of gtn", {"ibuprofen", "aspirin"}),
    ("on warfarin, vitamin k dose?", set()),  # a regular medicine may be what is asked about
    ("febrile fit, had calpol, buccal midazolam dose?", {"calpol"}),
    ("took ibuprofen earlier, iv magnesium dose", {"ibuprofen"}),
    ("adrenaline dose anaphylaxis child 3", set()),
])
def test_what_the_story_says_was_given_is_read_apart(question: str, given: set[str]) -> None:
    assert read_question(question).given == given


def test_a_dose_asked_is_of_the_medicine_not_given_yet(searcher: Any) -> None:
    # "had ramipril" is the story; the aspirin dose is asked, and the pack gives it
    from appliance.assistant.answers import best_lines, rank

    scored, _ = rank("tia resolved, had ramipril - aspirin dose?", searcher, semantic=False)
    shown = best_lines(scored, 1)
    assert shown and "300 mg" in shown[0].line.shown


@pytest.mark.parametrize(("question", "letter"), [
    ("what does the A stand for in methane", "A"), ("ATMIST what's the last T", "T"),
    ("what does the i mean in atmist", "I"), ("what goes in the B of SBAR", "B"),
    ("can the AI lower the triage category", ""), ("take him to the A&E", ""),
    ("can I give it", ""),
])
def test_the_letter_of_a_mnemonic_asked_is_read(question: str, letter: str) -> None:
    from appliance.assistant.asked import letter_asked

    assert letter_asked(question) == letter


def test_a_letter_asked_chooses_its_row_of_the_mnemonic(searcher: Any) -> None:
    # a row labelled "A" holds no word to find: "a" is a stop word
    from appliance.assistant.answers import best_lines, rank

    scored, _ = rank("what does the A stand for in methane", searcher, semantic=False)
    shown = best_lines(scored, 1)
    assert shown and shown[0].line.plain.startswith("A | Access")


def test_two_things_asked_of_together_want_a_line_ruling_on_combining(searcher: Any) -> None:
    from appliance.assistant.answers import best_lines, rank
    from appliance.assistant.asked import together_asked

    assert together_asked("calpol and nurofen at the same time?")
    assert not together_asked("calpol dose for a 2 year old")
    scored, _ = rank("can i give calpol and nurofen together", searcher, semantic=False)
    assert any("both at once" in s.line.plain for s in best_lines(scored))


def test_an_age_and_a_weight_in_the_same_band_match_once() -> None:
    from appliance.assistant.answers import features
    from appliance.protocols.lines import Line

    def match(text: str) -> float:
        line = Line("d", "D", "d#s", ("D",), 0, "sentence", text)
        return features(read_question("15kg toddler glucose dose"), line, [{"glucos"}], [1.0],
                        1.0)["age_match"]

    # the glucagon line states its band as an age and as a weight; the glucose line as a group
    assert match("under 8 years (or under 25 kg) 500 micrograms of glucagon") == 1.0
    assert match("adult 150 ml of 10% glucose; children 2 ml/kg") == 1.0


def test_a_score_given_wants_the_band_that_holds_it(searcher: Any) -> None:
    from appliance.assistant.answers import features
    from appliance.assistant.asked import score_asked
    from appliance.protocols.lines import Line

    assert score_asked("feverpain score 4 give abx?") and score_asked("news2 points for hr 115")
    assert not score_asked("temp 38.3 in a 7 week old")
    band = Line("d", "D", "d#s", ("D",), 0, "sentence",
                "Score 0–1: no antibiotic; 2–3: consider no antibiotic; 4–5: consider one.")
    f = features(read_question("feverpain score 4 give abx?"), band, [{"feverp"}], [1.0], 1.0)
    assert f["band"] == 1.0
    f = features(read_question("feverpain 4 give abx?"), band, [{"feverp"}], [1.0], 1.0)
    assert f["band"] == 0.0 and f["number"] == 1.0


@pytest.mark.parametrize(("question", "failed"), [
    ("choking baby, back blows not working", True),
    ("gave epipen, still wheezy and hypotensive", True),
    ("still fitting after 2 doses of midazolam", True),
    # "still" before what is asked to be done or allowed is "even so"
    ("testicle pain eased off now, still need to go in?", False),
    ("kettle scald 2 hrs ago, still worth cooling it?", False),
    ("penicillin allergy, still give benpen?", False),
    ("catastrophic bleed, do i still start with airway", False),
])
def test_a_step_that_has_not_worked_is_read(question: str, failed: bool) -> None:
    assert ("failed" in read_question(question).kinds) == failed
