"""Emergencies that sets 69–72 (a site first-aider's log, teenagers texting a school nurse,
older people's online forms, street-outreach notes) missed on their first runs, each as a kind
of text: a temperature told as "its 38.3", a rash of "purpley dots" under "the glass thing",
"been sick loads" and the same questions asked again after a head injury, a whole pack or all
of someone's tablets taken, a rope and "tonight's the night", a shock told by its voltage or a
live cable, the airway signs of a flash fire, and an older person found cold after a night on
the floor. The phrasings were written for these tests.
"""

from __future__ import annotations

import pytest

from appliance.triage import assess
from appliance.triage.fire_airway import airway_burn
from appliance.triage.rules import RuleSet
from appliance.triage.voltage import electric_contact

_KNOWN = {"electrical-injury", "high-voltage-injury", "severe-burn"}


def _level(ruleset: RuleSet, complaint: str, age: float, sex: str | None = None) -> int:
    return assess({"complaint": complaint, "age": age, "sex": sex}, ruleset).level


def test_a_temperature_told_as_its_value(ruleset: RuleSet) -> None:
    text = "nan checked her temp and its 38.4, she is 5 weeks old and a bit floppy"
    assert _level(ruleset, text, 0) <= 2


def test_purple_dots_that_stay_under_the_glass(ruleset: RuleSet) -> None:
    text = "my brother is boiling, got purply spots on his legs, did the glass thing, still there"
    assert _level(ruleset, text, 8) <= 2
    faded = "little red spots on his chest, did the glass thing and they all faded"
    assert _level(ruleset, faded, 8) >= 3


def test_head_injury_with_vomits_told_as_loads_and_repeated_questions(ruleset: RuleSet) -> None:
    # an adult's vomiting more than once asks for CT within the hour (NICE NG232)
    assert _level(ruleset, "fell off his bike and hit his head, been sick loads since", 30) <= 2
    assert _level(ruleset, "banged her head on the goalpost and keeps asking the same questions",
                  15) <= 2
    # the same questions asked for months are not a head injury's
    assert _level(ruleset, "dad keeps asking the same questions, getting worse over a year",
                  78) >= 3


@pytest.mark.parametrize("text", [
    "my friend took like a whole packet of her mums tablets an hour ago",
    "found 3 empty packets of paracetamol in his room, he says he took them all at lunch",
    "she told me she took 'all my ibuprofen' this morning",
    "he necked two boxes of sleeping tablets",
])
def test_a_whole_pack_or_everything_taken(ruleset: RuleSet, text: str) -> None:
    assert _level(ruleset, text, 17) <= 2, text


@pytest.mark.parametrize("text", [
    "baby had a full bottle and 4 wet nappies, felt hot this morning",
    "she took them all to school for the trip",
    "didnt take the whole packet, only 2 tablets for a headache",
])
def test_a_full_bottle_or_a_school_trip_is_no_overdose(ruleset: RuleSet, text: str) -> None:
    found = {c["id"] for c in assess({"complaint": text, "age": 20}, ruleset).complaints}
    assert "overdose" not in found, text


def test_a_rope_and_a_night_chosen(ruleset: RuleSet) -> None:
    assert _level(ruleset, "says he has a rope in the car and tonight's the night", 33) <= 2


@pytest.mark.parametrize(("text", "expected"), [
    ("drilled into a live cable behind the plasterboard", {"electrical-injury"}),
    ("thrown off the ladder touching the 11kV line", {"high-voltage-injury"}),
    ("got a jolt from the 240 volt socket", {"electrical-injury"}),
    ("thrown back by 2,000 volts from the cable", {"high-voltage-injury"}),
    ("arced across at 3.3 kV", {"high-voltage-injury"}),
    ("swapped the 12V battery on the van", set()),
    ("the 415V supply was isolated before he started, no shock", set()),
])
def test_an_electric_contact_by_its_voltage_or_a_live_cable(text: str,
                                                            expected: set[str]) -> None:
    assert electric_contact(text, _KNOWN) == expected, text


def test_a_shock_with_a_knock_out_and_palpitations_is_very_urgent(ruleset: RuleSet) -> None:
    text = "grabbed a live wire on the job, out for a few seconds, now heart fluttering, P 118"
    assert _level(ruleset, text, 35) <= 2


@pytest.mark.parametrize(("text", "expected"), [
    ("flash fire at the barbecue, nose hairs singed and voice gone croaky", {"severe-burn"}),
    ("chip pan fire, soot around his nostrils, coughing up black phlegm", {"severe-burn"}),
    ("hoarse voice for a week with a cold", set()),
    ("kitchen fire, eyebrows not singed, no soot round the mouth, voice normal", set()),
])
def test_the_airway_signs_of_a_fire(text: str, expected: set[str]) -> None:
    assert airway_burn(text, _KNOWN) == expected, text


def test_a_night_on_the_floor_that_left_him_cold(ruleset: RuleSet) -> None:
    text = "carer found him by the bed, he fell in the night, hes really cold and his hip hurts"
    assert _level(ruleset, text, 84) <= 2
    # the chill of a fever told in the first person is not a body found cold
    assert _level(ruleset, "fell in the night, bruised knee, otherwise fine", 84) >= 3


def test_a_small_closed_cut_is_self_care(ruleset: RuleSet) -> None:
    small = "caught my finger on a tin lid, small cut, edges sit together, stopped with pressure"
    assert _level(ruleset, small, 40) == 5
    # a cut that gapes, or that keeps bleeding, is not
    assert _level(ruleset, "deep cut on my hand, gaping, edges apart, bleeding through", 40) <= 4
    assert _level(ruleset, "small cut, edges together, stopped with pressure, on warfarin",
                  70) <= 4


def test_loose_stools_while_passing_water_normally_is_self_care(ruleset: RuleSet) -> None:
    text = "runny tummy since yesterday, no blood, not being sick, passing water normally"
    assert _level(ruleset, text, 35) == 5
