"""A long question's story and its asking part (appliance.assistant.ask_part): the story's words
find documents of their own; the asking part, looked up by itself as well, brings back the one
asked about. The questions here were written for these tests, in an advice-line caller's way."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.assistant.ask_part import asked_part
from appliance.assistant.evaluation import holds
from appliance.assistant.grounded import answer
from appliance.assistant.question import read_question

STORY = ("I'm at a flat with a 38-year-old man who has epilepsy, his partner says he has been "
         "jerking on the floor for about six minutes and I have just got a cannula into his hand.")


def test_the_asking_part_follows_a_story() -> None:
    assert asked_part(f"{STORY} Going with IV lorazepam, how much for an adult?") == (
        "Going with IV lorazepam, how much for an adult?")
    assert asked_part("COPD man, 74 — how much oxygen?") is None  # no story before it
    assert asked_part(f"{STORY} Is that ok?") is None  # asks nothing to look up by itself
    assert asked_part("what is the adult adrenaline dose for anaphylaxis") is None


def test_the_story_asks_nothing_itself() -> None:
    q = read_question(f"{STORY} Going with IV lorazepam, what's the adult dose?")
    assert q.dose_asked and "time" not in q.kinds  # "six minutes" is the story's
    assert q.age_months == 38 * 12  # the patient is still the story's


@pytest.mark.parametrize(("question", "fact"), [
    ("I'm in a 45-year-old woman's kitchen, she's a known epileptic and has been fitting for "
     "about eight minutes, her husband says she normally comes round quickly, and I've now got "
     "IV access in her arm. If I go with lorazepam, what's the adult dose?", "adult 4 mg"),
    ("Bloke in his thirties found slumped in an alley, tiny pupils, breathing maybe five a "
     "minute, a syringe next to him. I am bagging him now. What's the first naloxone dose if I "
     "give it intramuscular?", "400 micrograms"),
])
def test_a_question_after_a_long_story_is_answered(sample_pack_dir: Path, question: str,
                                                   fact: str) -> None:
    from appliance.assistant.answers import prepare
    from appliance.protocols.search import Searcher

    searcher = Searcher(sample_pack_dir, vectors_ready=False)
    prepare(searcher)
    try:
        result = answer(question, searcher, None)
    finally:
        searcher.close()
    assert result.quotes and holds(result.quotes[0].text, fact), result.quotes[:1]
