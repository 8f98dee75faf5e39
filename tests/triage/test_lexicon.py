"""Lexicon matching: abbreviations, misspellings, negation and its limits."""

from __future__ import annotations

import pytest

from appliance.triage.lexicon import find_concepts
from appliance.triage.rules import RuleSet


def found(text: str, ruleset: RuleSet) -> dict[str, bool]:
    """concept id → negated, for every concept in ``text``."""
    return {m.concept: m.negated for m in find_concepts(text, ruleset.lexicon)}


@pytest.mark.parametrize(("text", "concept"), [
    ("CP", "chest-pain"), ("c/o SOB", "breathing-difficulty"),
    ("cant breathe", "severe-breathing-difficulty"),
    ("can't breathe", "severe-breathing-difficulty"),
    ("had a sezure", "seizure"), ("siezure this am", "seizure"), ("chest pian", "chest-pain"),
    ("#NOF", "hip-fracture"), ("anaphylaxsis", "anaphylaxis"), ("?strok", "stroke-signs"),
    ("vommiting", "vomiting"), ("soar throat", "sore-throat"), ("D&V", "vomiting"),
    ("breathlesness", "breathing-difficulty"), ("not breathing", "not-breathing"),
])
def test_synonyms_abbreviations_and_misspellings(text: str, concept: str,
                                                 ruleset: RuleSet) -> None:
    assert found(text, ruleset).get(concept) is False


def test_one_edit_misspellings_match_as_fuzzy(ruleset: RuleSet) -> None:
    [match] = find_concepts("palpitatoins", ruleset.lexicon)
    assert match.concept == "palpitations" and match.fuzzy


def test_fuzzy_matching_keeps_the_first_letter(ruleset: RuleSet) -> None:
    assert "seizure" not in found("sitting in a chair", ruleset)


@pytest.mark.parametrize("text", ["no chest pain", "denies CP", "chest pain: denied",
                                  "nil chest pain", "no SOB or chest pain", "without CP"])
def test_negation(text: str, ruleset: RuleSet) -> None:
    assert found(text, ruleset)["chest-pain"] is True


def test_negation_stops_at_a_new_clause(ruleset: RuleSet) -> None:
    result = found("denies CP but SOB since this morning", ruleset)
    assert result == {"chest-pain": True, "breathing-difficulty": False}


def test_a_comma_ends_negation_because_missing_a_symptom_is_worse(ruleset: RuleSet) -> None:
    assert found("no cough, SOB", ruleset) == {"cough": True, "breathing-difficulty": False}


def test_negation_words_inside_a_symptom_are_not_negations(ruleset: RuleSet) -> None:
    assert found("cant breathe and not breathing properly", ruleset) == {
        "severe-breathing-difficulty": False, "not-breathing": False}


def test_pseudo_negation_does_not_negate(ruleset: RuleSet) -> None:
    assert found("no improvement in chest pain", ruleset)["chest-pain"] is False


def test_nothing_negates_but_nothing_helping_is_the_finding(ruleset: RuleSet) -> None:
    assert found("nothing spreading", ruleset)["spreading"] is True
    assert found("nothing helps the chest pain", ruleset)["chest-pain"] is False
    assert found("nothing but vomiting all day", ruleset)["vomiting"] is False


def test_family_history_is_not_the_patients_symptom(ruleset: RuleSet) -> None:
    # a stroke in the history (the family's or the patient's) is never a stroke sign now
    assert found("family history of stroke", ruleset).get("stroke-signs", True) is True
    assert found("family history of heart attack", ruleset)["chest-pain"] is True


def test_matches_report_offsets_into_the_original_text(ruleset: RuleSet) -> None:
    text = "Pt c/o Chest Pain."
    [m] = find_concepts(text, ruleset.lexicon)
    assert text[m.start:m.end] == "Chest Pain" == m.text


def test_longest_term_wins(ruleset: RuleSet) -> None:
    assert found("sore throat", ruleset) == {"sore-throat": False}
    assert found("normally fit and well", ruleset) == {"fit-and-well": False}


def test_concept_ids_are_the_extraction_enum(ruleset: RuleSet) -> None:
    ids = ruleset.concept_ids()
    assert ids == sorted(ids) and "chest-pain" in ids and len(ids) == len(set(ids))


@pytest.mark.parametrize("text", ["handing over to the ward", "injected insulin", "checking BMs",
                                  "stable overnight", "secure airway", "tipped the kettle"])
def test_ordinary_words_are_not_misread_as_symptoms(text: str, ruleset: RuleSet) -> None:
    assert [m for m in find_concepts(text, ruleset.lexicon) if m.fuzzy] == []
