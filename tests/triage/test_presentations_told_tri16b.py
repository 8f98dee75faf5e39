"""Presentations of the kinds issue #13's session 16b fixed (blind sets 1-47, 59-65 and 69-72
read, 48-58 and 66-68 held out), each a kind of text rather than a case: a grinder's speck in an
eye that still sees normally, breathlessness on exertion that came on over weeks or months, a
turned ankle walked on with a limp, and the bone that hurts when pressed that keeps it from
self-care. Each has its counterpart that must stay as urgent as before. The phrasings were
written for these tests.
"""

from __future__ import annotations

import pytest

from appliance.triage import assess
from appliance.triage.onset import longest_told
from appliance.triage.rules import RuleSet


def _level(ruleset: RuleSet, complaint: str, age: float = 40) -> int:
    return assess({"complaint": complaint, "age": age}, ruleset).level


# --- a speck from a grinder -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "was using the angle grinder in the shed, now a gritty feeling in my left eye, vision is fine",
    "grinding metal with no eye protection, speck in eye, watering, vision 6/6, pain 3/10",
])
def test_a_grinders_speck_with_normal_sight_is_standard(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text) == 4, text


@pytest.mark.parametrize("text", [
    # sight not told normal, sight blurred, a strike felt, hammering metal: possible penetration
    "angle grinder, something flew into my eye, watering",
    "grinding metal, something in my eye, vision blurred since",
    "using an angle grinder and felt something hit my eye, I can see ok",
    "hammering metal on metal, something in my eye, vision normal",
])
def test_a_fragment_that_may_have_entered_the_eye_is_urgent(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text) <= 3, text


# --- breathlessness on exertion over weeks or months ------------------------------------------

@pytest.mark.parametrize(("text", "age"), [
    ("out of breath going up the stairs for the last 2 months, feet swell by teatime", 71),
    ("heavy periods over the last year, tired all the time, breathless on the stairs", 38),
    ("gradually more breathless on exertion over 3 months, no chest pain, sats 97%", 66),
])
def test_breathlessness_of_months_on_exertion_is_for_a_gp(
        ruleset: RuleSet, text: str, age: float) -> None:
    assert _level(ruleset, text, age) == 4, text


@pytest.mark.parametrize(("text", "age"), [
    # new, sudden, at rest, or with chest pain: not a GP's
    ("cough for 2 months, breathless on the stairs since 3 days", 60),
    ("breathless on the stairs for 2 months, suddenly much worse tonight", 70),
    ("breathless going up hills for 6 weeks, now breathless at rest", 70),
    ("breathless on exertion for 2 months with chest pain when I walk", 65),
])
def test_breathlessness_that_is_new_or_at_rest_stays_urgent(
        ruleset: RuleSet, text: str, age: float) -> None:
    assert _level(ruleset, text, age) <= 3, text


def test_a_year_ago_is_when_not_how_long(ruleset: RuleSet) -> None:
    assert longest_told("same itch as I had last year") == 0
    assert longest_told("periods heavier over the last year") >= 365
    assert longest_told("SOB on exertion over 2 months") >= 60


# --- a turned ankle walked on with a limp -----------------------------------------------------

@pytest.mark.parametrize(("text", "age"), [
    ("twisted my ankle at hockey yesterday, can walk on it with a limp", 24),
    ("went over on his right ankle at football, limping but walking on it, pressing the bony "
     "bits doesnt hurt", 14),
])
def test_a_turned_ankle_walked_on_with_a_limp_is_self_care(
        ruleset: RuleSet, text: str, age: float) -> None:
    assert _level(ruleset, text, age) == 5, text


@pytest.mark.parametrize(("text", "age"), [
    # a bone that hurts when pressed is the Ottawa rule's X-ray
    ("rolled my ankle, can walk on it with a limp, it hurts when I press the bony lump", 30),
    ("went over on my ankle, walking on it but limping, sore to touch on the ankle bone", 30),
    # a child's limp without the bones told untender, a small child, a fever
    ("twisted his ankle on the trampoline, walking on it with a limp", 12),
    ("twisted her ankle, limping but walking on it, bones dont hurt when pressed", 2),
    ("twisted ankle last week, limping, now a temperature of 38.5", 30),
])
def test_a_limp_with_a_warning_sign_is_not_self_care(
        ruleset: RuleSet, text: str, age: float) -> None:
    assert _level(ruleset, text, age) <= 4, text


# --- period pain told in other words ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "cramps low in her tummy on the first day of her period, same as most months, paracetamol "
    "helps",
    "tummy cramps for the first day or two of each period since they started two years ago",
])
def test_period_cramps_in_their_monthly_pattern_are_self_care(
        ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 17) == 5, text


@pytest.mark.parametrize("text", [
    "tummy cramps with each period, and I think I might be pregnant",
    "cramps on the first day of her period, same as most months, temperature 38.6",
])
def test_period_cramps_with_a_warning_sign_are_not_self_care(
        ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 17) <= 4, text


def test_nv_intact_is_a_limbs_nerves_and_vessels_not_vomiting(ruleset: RuleSet) -> None:
    sprain = "went over on her ankle, walking on it, bones not tender, NV intact"
    assert _level(ruleset, sprain, 35) == 5
    assert _level(ruleset, "headache with NV since this morning", 35) <= 3
