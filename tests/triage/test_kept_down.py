"""Food or drink kept down, told with a few words between "keeping" and "down"."""

from __future__ import annotations

import pytest

from appliance.triage.kept_down import CONCEPT, fluids_kept_down

KNOWN = {CONCEPT}


@pytest.mark.parametrize("text", [
    "keeping water and toast down", "kept her milk and a bit of toast down",
    "sick twice. Keeping squash and water down now",
])
def test_what_was_kept_down_is_read(text: str) -> None:
    assert fluids_kept_down(text, KNOWN) == {CONCEPT}


@pytest.mark.parametrize("text", [
    "can't keep water or toast down", "not keeping her milk and food down",
    "struggling to keep any water down", "keeping her temperature down with calpol",
    "keeping the swelling down",
])
def test_a_negation_or_no_food_or_drink_is_not_read(text: str) -> None:
    assert fluids_kept_down(text, KNOWN) == frozenset()


def test_a_pack_without_the_concept_reads_nothing() -> None:
    assert fluids_kept_down("keeping water and toast down", set()) == frozenset()
