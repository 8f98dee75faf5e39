"""Questions worded as clinicians trained elsewhere, or typing in a hurry, word them: the words
that carry no answer are left out, other countries' and ward names are read as the pack writes
them, and a "can I" question is answered by the line that rules on it. Phrasings written for
these tests."""

from __future__ import annotations

import math
from typing import Any

import pytest

from appliance.assistant.answer_terms import term_groups, unknown_shares
from appliance.assistant.answers import best_lines, prepare, rank
from appliance.assistant.grounded import answer
from appliance.assistant.named import story_medicines, unknown_asked
from appliance.assistant.question import line_features, read_question
from appliance.text.medicine_names import other_names
from appliance.text.texting import as_written
from appliance.text.word_forms import related_forms


def _first(question: str, searcher: Any) -> str:
    prepare(searcher)
    result = answer(question, searcher, None)
    assert result.mode != "not-found", question
    return result.quotes[0].text


def _shown(question: str, searcher: Any) -> list[str]:
    prepare(searcher)
    return [q.text for q in answer(question, searcher, None).quotes]


def test_hurried_typing_is_written_out() -> None:
    assert as_written("shud i give it, hes chokin") == "should i give it, he's chokin"
    assert as_written("open # tib, abx?") == "open  fracture  tib, abx?"
    assert as_written("bed #4 dont know") == "bed #4 don't know"
    assert as_written("im adrenaline") == "im adrenaline"  # a route, not "I'm"


@pytest.mark.parametrize(("question", "asks"), [
    ("category 3 call, what is the response time target?", False),
    ("sats 95 in a stroke, give oxygen or not?", True),
    ("can I give him aspirin?", True),
    ("what dose of aspirin?", False),
])
def test_a_question_mark_asks_whether_only_on_a_yes_or_no_question(question: str,
                                                                    asks: bool) -> None:
    assert ("contra" in read_question(question).kinds) is asks


def test_the_same_time_is_two_things_at_once_not_a_time() -> None:
    assert "time" not in read_question("calpol and nurofen at the same time?").kinds


def test_a_dose_with_its_most_a_day_is_a_dose_but_a_second_dose_when_is_a_time() -> None:
    assert read_question("ibuprofen dose and max per day for an adult").dose_asked
    assert not read_question("when can the second dose of diazepam go in").dose_asked


def test_a_childrens_heading_ends_a_band_the_line_states() -> None:
    ages = line_features("Nebulised salbutamol 5 mg over 5 years.",
                         ("Acute asthma in children", "Treatment")).ages
    assert ages and all(b.high < 16 * 12 for b in ages)
    adult = line_features("Nebulised salbutamol 5 mg over 5 years.", ("Asthma", "Treatment"))
    assert any(b.high == math.inf for b in adult.ages)


def test_age_weight_people_and_chat_are_no_words_of_the_answer(searcher: Any) -> None:
    groups, _ = term_groups("Hi, I've got a 62 yr old man, his wife says he's 80kg, "
                            "how much aspirin", searcher)
    words = {e for g in groups for e in g}
    for chat in ("hi", "ive", "old", "yr", "man", "his", "wife", "say", "hes", "80kg"):
        assert chat not in words
    assert any("aspiri" in g for g in groups)


def test_units_and_other_countries_names_are_read_as_the_pack_writes_them(
        searcher: Any) -> None:
    groups, _ = term_groups("how many cc of D10 and how many mcg of epinephrine", searcher)
    words = {e for g in groups for e in g}
    assert {"ml", "microg", "glucos", "adrena"} <= words
    assert other_names("acetaminophen") == ["paracetamol"]
    assert other_names("ns")[:1] == ["sodium chloride"]


def test_the_noun_and_adjective_of_a_body_part_meet() -> None:
    assert "abdominal" in related_forms("abdomen")
    assert "testicular" in related_forms("testis")
    assert "renal" in related_forms("kidney")


def test_the_storys_medicine_is_not_the_one_asked() -> None:
    story = story_medicines("itchy rash since starting flucloxacillin, what antihistamine dose")
    assert "flucloxacillin" in story
    assert "warfarin" in story_medicines("on warfarin and fell, needs a scan?")


def test_a_medicine_the_pack_never_names_is_not_found(searcher: Any) -> None:
    assert unknown_asked("what is the ondansetron dose for vomiting", searcher) == [
        "ondansetron"]
    assert unknown_asked("adder bite, is anti venom needed", searcher) == ["antivenom"]
    assert unknown_asked("took sildenafil last night, chest pain, GTN ok?", searcher) == []
    prepare(searcher)
    assert answer("how much ondansetron for an adult being sick", searcher,
                  None).mode == "not-found"


def test_words_of_a_subject_the_pack_lacks_weigh_against_answering(searcher: Any) -> None:
    question = "colchicine or naproxen first for a gout flare in the big toe"
    _, surface = term_groups(question, searcher)
    terms, _ = unknown_shares(surface, [1.0] * len(surface), searcher)
    assert terms > 0


def test_an_anaphoric_ruling_answers_two_things_at_once(searcher: Any) -> None:
    # "Do not give both at once" names neither medicine: the sentence before it does
    assert any("both at once" in s for s in _shown(
        "my toddler's feverish, can she have calpol and nurofen at the same time", searcher))


def test_held_face_down_is_prone_restraint(searcher: Any) -> None:
    assert "prone restraint" in _first(
        "very agitated after cocaine, the police are holding him face down, safe?", searcher)


def test_a_hospital_arrest_call_finds_the_arrest_protocol(searcher: Any) -> None:
    prepare(searcher)
    scored, _ = rank("code blue, adult, which drug after the third shock", searcher)
    assert best_lines(scored)[0].line.doc_id == "cardiac-arrest-adult"


def test_a_glucose_strength_by_its_dextrose_name(searcher: Any) -> None:
    assert any("150–200 ml" in s for s in _shown(
        "adult hypo not rousable, line in, how many ml of D10 do I run", searcher))


def test_pain_relief_in_an_acute_abdomen(searcher: Any) -> None:
    assert any("does not mask" in s for s in _shown(
        "acute abdomen waiting for the surgeons, will morphine hide the signs?", searcher))


def test_a_symptom_that_has_eased_still_needs_the_same_care(searcher: Any) -> None:
    assert any("settling does not exclude torsion" in s for s in _shown(
        "teen with testicle pain that has eased off now, does he still need to go in",
        searcher))
