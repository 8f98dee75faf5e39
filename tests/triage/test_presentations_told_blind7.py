"""Emergencies and urgent cases the last blind sets of session 14 (57, 58: an out-of-hours
GP service's call-backs and patients' own online messages) were missed by, each as a kind of
text: an asthma attack told by how few words come out and an inhaler used every few minutes,
a swallowed battery from a car key told as "little round batteries", a bite whose teeth "went
through the skin". The phrasings were written for these tests.
"""

from __future__ import annotations

import pytest

from appliance.triage import assess
from appliance.triage.rules import RuleSet


def _level(ruleset: RuleSet, complaint: str, age: float) -> int:
    return assess({"complaint": complaint, "age": age}, ruleset).level


@pytest.mark.parametrize("text", [
    "asthma attack, i can't say more than a couple of words before i have to stop",
    "wheezing, using my blue inhaler every few minutes and it's doing nothing",
])
def test_a_severe_asthma_attack_in_everyday_words(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 28) <= 2, text


def test_an_asthma_attack_the_inhaler_settles_stays_urgent_not_an_emergency(
        ruleset: RuleSet) -> None:
    assert _level(ruleset, "asthma a bit worse today, inhaler helps for 4 hours", 28) >= 3


@pytest.mark.parametrize("text", [
    "my son swallowed one of the small round batteries out of the key fob",
    "think she's swallowed a battery from the car key, it's missing",
])
def test_a_swallowed_battery_in_a_parents_words(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 3) <= 2, text


def test_a_bite_whose_teeth_went_through_the_skin_of_a_hand_is_urgent(ruleset: RuleSet) -> None:
    text = "neighbour's dog bit my finger, its teeth went through the skin, bled a little"
    assert _level(ruleset, text, 45) == 3


def test_a_nip_that_did_not_break_the_skin_is_not(ruleset: RuleSet) -> None:
    assert _level(ruleset, "dog nipped my hand, just a red mark, skin not broken", 45) >= 4
