"""A term dictation misheard as everyday words is read as the pack's term: by how the words
sound together, from the pack's own vocabulary, and only for words the pack does not use."""

from __future__ import annotations

from typing import Any

import pytest

from appliance.assistant.grounded import answer
from appliance.assistant.heard import Sounds, as_pack_writes, rewrite, sound

# a small pack's vocabulary: word -> documents holding it (20 documents)
VOCABULARY = {"salbutamol": 3, "naloxone": 2, "midazolam": 1, "troponin": 1, "atropine": 1,
              "dose": 15, "line": 9, "guideline": 4, "nebuliser": 3, "much": 12, "give": 14,
              "rising": 2, "cetirizine": 1, "british": 5, "prednisolone": 2,
              "glucagon": 2, "glucagen": 1}
SOUNDS = Sounds.of(VOCABULARY, 20)


def _heard(question: str) -> str:
    return rewrite(question, SOUNDS, lambda word: False)


def test_words_that_sound_like_a_term_together_are_written_as_the_term() -> None:
    assert sound("sal beauty mol") == sound("salbutamol")
    assert _heard("how much sal beauty mol in the nebuliser") == \
        "how much salbutamol in the nebuliser"
    assert _heard("what dose of nah locks own IM") == "what dose of naloxone IM"
    # an initial vowel heard as the article
    assert _heard("how much a tro pine") == "how much atropine"
    # one sound apart, from a long enough sound that begins as the term does
    assert _heard("how much sal beautiful") == "how much salbutamol"
    assert _heard("buccal mid as lam") == "buccal midazolam"


def test_the_closest_spelling_chooses_between_terms_that_sound_alike() -> None:
    # "glucagon" and the brand "glucagen" sound the same
    assert _heard("how much glue kagon IM") == "how much glucagon IM"


@pytest.mark.parametrize("question", [
    "she has got a line in",  # "line" is a word the pack uses often: meant as itself
    "what about her tummy",  # one word the pack does not use is left to spelling correction
    "how much would I give",  # every word the pack's own or a function word
    "said his pred dose",  # "pred" begins a pack word: a shortened term, not "british"
    "happy pen, dose",  # words apart (a comma) are not one term
])
def test_words_meant_as_themselves_are_left_as_they_are(question: str) -> None:
    assert _heard(question) == question


def test_a_run_does_not_begin_or_end_with_a_function_word() -> None:
    # "a picks" would sound like many words; a run may begin with the article only when it is
    # three words or more and sounds exactly like the term
    assert _heard("is it a tro") == "is it a tro"


def test_a_misheard_drug_name_is_answered_from_the_pack(searcher: Any) -> None:
    # read as it was heard, the question's only medicine is the anaphylaxis line's adrenaline
    result = answer("how much nah locks own IM for an adult", searcher, None)
    assert result.mode != "not-found"
    assert "naloxone" in result.quotes[0].text and "400 micrograms" in result.quotes[0].text, \
        [q.text for q in result.quotes]


def test_a_mistyped_word_is_not_read_as_part_of_a_heard_term(searcher: Any) -> None:
    # "chokng" is "choking" mistyped (spelling correction repairs it): joined with the words
    # after it, it would sound like "constant"
    question = "chokng pt in day room cant speek"
    assert as_pack_writes(question, searcher) == question
