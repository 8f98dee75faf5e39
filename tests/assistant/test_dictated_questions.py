"""A dictated question spells its numbers out: the answer still picks the line for that age,
weight or reading, through the same path a typed question takes."""

from __future__ import annotations

from typing import Any

import pytest

from appliance.assistant.grounded import answer


@pytest.mark.parametrize(("question", "fact"), [
    ("um three year old anaphylaxis after egg how much IM adrenaline",
     "150 micrograms"),
    ("eight year old nut allergy lips swelling how much IM adrenaline",
     "300 micrograms"),
])
def test_an_age_said_in_words_picks_its_band(searcher: Any, question: str, fact: str) -> None:
    result = answer(question, searcher, None)
    assert result.mode != "not-found"
    assert result.quotes and fact in result.quotes[0].text, [q.text for q in result.quotes]
