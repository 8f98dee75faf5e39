"""The gate: a written sentence is shown only when its cited lines support all of it."""

from __future__ import annotations

import pytest

from appliance.assistant.gate import check, split_sentences

DOSE = "adult and child over 12 years: 500 micrograms (0.5 ml)"
COPD = "Use NEWS2 SpO2 scale 2 only if a clinician has prescribed a target of 88–92%."
BURN = "Cool the burn with cool running water for 20 minutes. Do not use ice, creams or butter."


def test_a_sentence_made_of_its_cited_line_is_shown() -> None:
    verdict = check("Adults and children over 12 years get 500 micrograms (0.5 ml) [1].", [DOSE])
    assert verdict.shown and verdict.citations == (1,)


@pytest.mark.parametrize(("sentence", "line", "reason"), [
    ("The adult adrenaline dose is 1.5 grams of epinephrine [1].", DOSE, "1.5"),
    ("The oxygen saturation target for COPD is 98% (2000 mmHg) [1].", COPD, "98"),
    ("Adults get 500 micrograms [2].", DOSE, "does not exist"),
    ("Adults get 500 micrograms.", DOSE, "no citation"),
    ("Children over 12 years get 500 micrograms of epinephrine [1].", DOSE, "epinephrine"),
    ("Children under 12 years get 500 micrograms [1].", DOSE, "under"),
    ("Do not give 500 micrograms to adults [1].", DOSE, "not"),
    ("Use ice, creams or butter on the burn [1].", BURN, "not"),
    ("The passage is: [1]", DOSE, "says nothing"),
    ("2. [1]", DOSE, "says nothing"),
])
def test_a_sentence_the_line_does_not_support_is_refused_with_the_reason(
        sentence: str, line: str, reason: str) -> None:
    verdict = check(sentence, [line])
    assert not verdict.shown and reason in verdict.reason


def test_a_sentence_that_only_echoes_a_heading_is_refused() -> None:
    verdict = check("Immediate actions [1].", [COPD], headings=["Immediate actions"])
    assert not verdict.shown and "heading" in verdict.reason


def test_a_number_must_match_whole_not_as_part_of_another() -> None:
    assert not check("Cool it for 2 minutes [1].", [BURN]).shown
    cool = "Cool the burn with cool running water for 20 minutes."
    assert check("Cool the burn with running water for 20 minutes [1].", [cool]).shown


def test_citation_markers_after_the_full_stop_stay_with_their_sentence() -> None:
    assert split_sentences("Give aspirin. [2] Record an ECG [2].") == \
        ["Give aspirin. [2]", "Record an ECG [2]."]
