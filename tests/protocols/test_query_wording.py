"""Planning a query typed as people type: contractions, the talk around a long question, real
words that are not misspellings. Phrasings written for these tests."""

from __future__ import annotations

from appliance.protocols import expansion as ex
from appliance.protocols.search import Searcher


def test_a_clitic_is_dropped_not_joined() -> None:
    assert ex.query_words("She's wheezy, the BP's low and I've no inhaler") == [
        "she", "wheezy", "the", "bp", "low", "and", "i", "no", "inhaler"]
    assert ex.query_words("can't breathe") == ["cant", "breathe"]  # "n't" is part of a word
    assert ex.query_words("he’s sweating") == ["he", "sweating"]  # a typographic apostrophe


def test_a_correction_keeps_the_first_letter() -> None:
    assert ex.best_correction("astma", {"asthma": 3}) == "asthma"
    assert ex.best_correction("bays", {"days": 30}) is None  # "days" does not begin with "b"


def test_another_number_of_a_word_is_its_inflection() -> None:
    assert ex.inflection("woman", "women") and ex.inflection("burn", "burns")
    assert not ex.inflection("wife", "life")


def test_a_long_questions_few_searched_words_are_not_its_talk(searcher: Searcher) -> None:
    plan = searcher.plan("Hi, I've got a lady here, her husband found her, she's been "
                         "wheezing since this morning and he's given her the blue inhaler")
    for talk in ("hi", "got", "her", "he", "been", "ive", "hes"):
        assert f'"{talk}"' not in plan.fts_plain
    assert '"wheezing"' in plan.fts_plain


def test_an_english_word_the_pack_lacks_is_meant_as_itself(searcher: Searcher) -> None:
    # "curry" is one letter from "carry"; it is a word, so it is not "corrected"
    assert "curry" not in searcher.plan("chest pain after a curry").corrections
    assert searcher.plan("chest pian").corrections == {"pian": "pain"}
