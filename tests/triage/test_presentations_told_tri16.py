"""Benign presentations of the kinds issue #13's sixteenth triage session fixed (blind sets 1-47
and 59-65 read, 48-58 and 66-68 held out), each a kind of text rather than a case: indigestion
an antacid settled, an adult's sprain told with a limp and bones that do not hurt when pressed,
the tingle of a cold sore, period cramps, a nosebleed stopped with pinching, a period's or
chafed skin's own bleeding, a diagnosis named only as a fear, and a rate or an age that is no
duration. Each benign case keeps its warning signs. The phrasings were written for these tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from appliance.triage import assess
from appliance.triage.onset import longest_told
from appliance.triage.rules import RuleSet


def _level(ruleset: RuleSet, complaint: str, age: float = 30, **extra: Any) -> int:
    return assess({"complaint": complaint, "age": age, **extra}, ruleset).level


# --- self-care when the benign context is told in everyday words ------------------------------

@pytest.mark.parametrize(("text", "age"), [
    ("heartburn after a takeaway last night, acid taste, settled with gaviscon", 35),
    ("indigestion after a heavy dinner, gone after rennie, no sweating or breathlessness", 41),
    ("went over on my ankle at hockey, limping but can walk on it, the bone doesnt hurt when i "
     "press it", 28),
    ("turned her ankle on a step, walking on it with a limp, not tender on the knobbly bits", 36),
    ("she has got a cold sore starting on her lip, tingling, has had them before", 29),
    ("my period started yesterday and the cramps are the same as usual, paracetamol helps", 22),
    ("nosebleed after blowing his nose, we pinched it for ten minutes and its stopped", 40),
    ("my thighs are raw and bleeding a little from chafing on a long walk", 33),
    ("period pain on day one, bleeding as normal, same as every month", 19),
])
def test_benign_told_in_everyday_words_is_self_care(ruleset: RuleSet, text: str,
                                                    age: float) -> None:
    result = assess({"complaint": text, "age": age}, ruleset)
    assert result.level == 5, text


# --- the same presentations with a warning sign stay with a clinician --------------------------

@pytest.mark.parametrize(("text", "age", "most"), [
    # indigestion on exertion may be the heart
    ("burning in my chest when walking uphill, sweaty and breathless, settled with gaviscon", 58,
     2),
    # a cold sore with a weak arm or drooping face is not the cold sore's tingle
    ("cold sore on my lip and tingling, my face is drooping on one side", 62, 2),
    # cramps with a period that might be a pregnancy, or with a faint
    ("my period started today with cramps and I fainted in the shower", 24, 3),
    # a self-harm cut that has stopped bleeding is still a self-harm cut
    ("she cut her arm with a blade, its stopped bleeding but the cut is gaping", 16, 3),
])
def test_warning_signs_keep_their_level(ruleset: RuleSet, text: str, age: float,
                                        most: int) -> None:
    assert _level(ruleset, text, age) <= most, text


def test_sprain_with_bony_tenderness_is_not_self_care(ruleset: RuleSet) -> None:
    text = "twisted my ankle, limping, the bone hurts when I press it and I cant bear weight"
    assert _level(ruleset, text, 30) <= 4


# --- a diagnosis named as a fear is a question, not a sign -------------------------------------

def test_feared_meningitis_with_reassuring_signs_is_not_meningism(ruleset: RuleSet) -> None:
    text = ("bad headache after drinking last night, sick once, keeping fluids down now, "
            "worried its meningitis. neck not stiff, no rash")
    assert _level(ruleset, text, 21) >= 4


@pytest.mark.parametrize("text", [
    "scared its meningitis, the rash doesnt fade under a glass and he is floppy",
    "worried its meningitis, stiff neck and cant stand the light, temp 39.4",
    "GP said it could be meningitis?",
])
def test_feared_diagnosis_with_its_signs_stays_an_emergency(ruleset: RuleSet,
                                                             text: str) -> None:
    assert _level(ruleset, text, 19) <= 2, text


# --- how often, and how old, are not how long --------------------------------------------------

@pytest.mark.parametrize("text", [
    "I get these 2-3 a year.",
    "happens 3 a month, nothing else.",
])
def test_rate_or_age_is_not_a_long_onset(text: str) -> None:
    assert longest_told(text) < 7, text


def test_a_real_duration_still_counts() -> None:
    assert longest_told("itchy rash for a year, on and off") >= 365
