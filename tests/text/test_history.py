"""Allergies and medications are history: each item its own value, never a symptom."""

from __future__ import annotations

import pytest

from appliance.text.patterns import find_all


def items(text: str, field: str) -> list[str]:
    return [h.value for h in find_all(text) if h.field == field]


def none_known(text: str) -> bool:
    return any(h.field == "no_known_allergies" and h.value for h in find_all(text))


@pytest.mark.parametrize(("text", "allergies"), [
    ("Allergic to penicillin", ["penicillin"]),
    ("allergic to aspirin and ibuprofen", ["aspirin", "ibuprofen"]),
    ("Allergies: codeine, latex. Pain 9/10", ["codeine", "latex"]),
    ("PCN allergy, sore throat", ["PCN"]),
    ("known allergy to bee stings", ["bee stings"]),
    ("allergic to kiwis and has asthma", ["kiwis"]),
    ("allergic to penicillin, c/o sore throat", ["penicillin"]),
    ("she is allergic to sulfa drugs", ["sulfa"]),
    ("nut allergy", ["nut"]),
    ("Allergies: Penicillin (rash), Codeine (vomiting)", ["penicillin", "codeine"]),
    ("Allergic: penicillin", ["penicillin"]),
    ("denies CP allergic to penicillin", ["penicillin"]),
])
def test_allergens_are_read_from_allergy_words(text: str, allergies: list[str]) -> None:
    assert items(text, "allergies") == allergies


@pytest.mark.parametrize("text", ["allergic reaction to peanuts, lips swollen",
                                  "not allergic to penicillin", "allergic to something",
                                  "allergies worse in spring"])
def test_a_reaction_or_a_denial_is_not_an_allergy(text: str) -> None:
    assert items(text, "allergies") == []


@pytest.mark.parametrize("text", ["NKDA", "NKA.", "no known allergies", "no known drug allergies",
                                  "Allergies: nil", "allergies none", "denies allergies",
                                  "no allergies that we know of"])
def test_no_known_allergies(text: str) -> None:
    assert none_known(text) and items(text, "allergies") == []


@pytest.mark.parametrize(("text", "medications"), [
    ("on warfarin", ["warfarin"]),
    ("takes metformin 500mg bd", ["metformin"]),
    ("NKDA, on warfarin and bisoprolol, takes metformin", ["warfarin", "bisoprolol",
                                                          "metformin"]),
    ("Meds: ramipril, atorvastatin, aspirin.", ["ramipril", "atorvastatin", "aspirin"]),
    ("she's on blood thinners", ["blood thinners"]),
    ("uses an inhaler", ["inhaler"]),
    ("on 2 puffs salbutamol prn", ["salbutamol"]),
    ("Meds: warfarin 5mg od, bisoprolol 2.5mg", ["warfarin", "bisoprolol"]),
    ("on candesartan", ["candesartan"]),  # known by its ending, "-sartan"
    ("denies CP on warfarin", ["warfarin"]),  # the denial is of the chest pain
])
def test_medications_are_read_after_their_cue(text: str, medications: list[str]) -> None:
    assert items(text, "medications") == medications


@pytest.mark.parametrize("text", ["found on the floor", "sats 94% on 2L", "on arrival GCS 15",
                                  "not on any blood thinners", "takes no regular medication",
                                  "took 20 paracetamol", "on and off for 2 days",
                                  "no longer on warfarin", "stopped warfarin",
                                  "never been on insulin",
                                  "on room air"])
def test_on_or_takes_before_anything_else_is_not_a_medication(text: str) -> None:
    assert items(text, "medications") == []


def test_allergies_and_medications_in_one_note_stay_apart() -> None:
    text = "penicillin allergy, takes aspirin and clopidogrel"
    assert items(text, "allergies") == ["penicillin"]
    assert items(text, "medications") == ["aspirin", "clopidogrel"]
