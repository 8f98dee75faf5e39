"""Lines, question features and line ranking: the parts answers are built from."""

from __future__ import annotations

import math
from typing import Any

import pytest

from appliance.assistant.answers import best_lines, prepare, rank
from appliance.assistant.landing import land
from appliance.assistant.question import age_bands, line_features, read_question
from appliance.protocols.lines import parse_section

SECTION = """> Sample content — review locally before clinical use.

Values vary between tables.

| Age | Heart rate /min |
|---|---|
| Under 1 year | 110–160 |
| 2–5 years | 95–140 |

2. Give **IM adrenaline** early. Adrenaline 1 mg/ml (1:1000):
   - adult and child over 12 years: 500 micrograms (0.5 ml)
   - child 6–12 years: 300 micrograms (0.3 ml)
"""


def _lines() -> list[Any]:
    return parse_section("doc", "Doc", "doc#1-x", ("Doc", "Immediate actions"), SECTION,
                         status="sample content — review locally before clinical use")


def test_a_table_row_keeps_its_header_and_a_list_item_its_lead_in() -> None:
    by_text = {line.plain: line for line in _lines()}
    row = by_text["2–5 years | 95–140"]
    assert row.kind == "row" and row.context == "Age | Heart rate /min"
    item = by_text["child 6–12 years: 300 micrograms (0.3 ml)"]
    assert item.kind == "item" and item.context == "Adrenaline 1 mg/ml (1:1000):"
    assert "Adrenaline 1 mg/ml (1:1000): child 6–12 years" in item.shown


def test_the_status_boilerplate_is_never_a_line_and_lines_keep_document_order() -> None:
    lines = _lines()
    assert not any("Sample content" in line.text for line in lines)
    assert [line.number for line in lines] == list(range(len(lines)))
    assert lines[0].plain == "Values vary between tables."


@pytest.mark.parametrize(("text", "months", "inside"), [
    ("child 6–12 years: 300 micrograms", 96, True),
    ("child 6–12 years: 300 micrograms", 60, False),
    ("child 6 months–6 years: 150 micrograms", 48, True),
    ("under 6 months: 100–150 micrograms", 3, True),
    ("under 6 months: 100–150 micrograms", 6, False),
    ("adult and child over 12 years: 500 micrograms", 30 * 12, True),
    ("adult and child 8 years or over (or 25 kg or more) 1 mg", 96, True),
    ("adult and child 8 years or over (or 25 kg or more) 1 mg", 95, False),
    ("IV glucose 10%: adult 150–200 ml; children 2 ml/kg of 10% glucose", 60, True),
    ("IV glucose 10%: adult 150–200 ml; children 2 ml/kg of 10% glucose", 30 * 12, True),
    ("Adults: keep warm", 60, False),
])
def test_age_bands_hold_the_ages_they_state_at_their_edges(text: str, months: float,
                                                           inside: bool) -> None:
    assert any(b.holds(months) for b in age_bands(text)) is inside


def test_a_line_without_a_band_takes_its_headings_band() -> None:
    bands = line_features("Give up to 5 back blows.", ("Choking", "Infants under 1 year")).ages
    assert bands and bands[0].high < 12 and not bands[0].holds(30 * 12)


def test_what_a_question_asks_for() -> None:
    q = read_question("epipen dose for an 8 yr old?")
    assert "dose" in q.kinds and q.age_months == 96
    assert read_question("news score for a pulse of 120").numbers == [120.0]
    assert read_question("news2 5 what to do").numbers == [5.0]  # "news2" names a score
    assert read_question("how long to cool a burn").kinds >= {"time"}
    assert read_question("fluid for a 20kg child").weight_kg == 20
    assert read_question("dose", patient_age_years=4).age_months == 48
    # a child's age without its unit is in years; a count or amount beside "child" is not one
    assert read_question("anaphylaxis child 3").age_months == 36
    assert read_question("child 3 kg").weight_kg == 3 and read_question("child 3 kg").age_group
    assert math.isinf(age_bands("Over 12 years | 60–100")[0].high)


def test_a_word_for_a_group_matches_every_band_within_it_and_prefers_none() -> None:
    from appliance.assistant.answers import features

    lines = {line.plain: line for line in _lines()}
    older = lines["adult and child over 12 years: 500 micrograms (0.5 ml)"]
    middle = lines["child 6–12 years: 300 micrograms (0.3 ml)"]
    child, adult, nine = (read_question(q) for q in ("adrenaline dose for a child",
                                                     "adrenaline dose for an adult",
                                                     "adrenaline dose for a 9 year old"))
    assert child.age_group is not None and nine.age_group is None
    f = {(q.text, line.plain): features(q, line, [], [], 1.0) for q in (child, adult, nine)
         for line in (older, middle)}
    # "child" is no particular age: both children's bands apply and neither is stated for it
    assert all(f[child.text, line.plain]["age_match"] == 1.0 for line in (older, middle))
    assert all(f[child.text, line.plain]["age_stated"] == 0.0 for line in (older, middle))
    assert f[adult.text, middle.plain]["age_mismatch"] == 1.0
    assert f[nine.text, middle.plain]["age_stated"] == 1.0
    assert f[nine.text, older.plain]["age_mismatch"] == 1.0
    baby = read_question("normal heart rate for a baby")
    assert baby.age_group is not None and not baby.age_group.overlaps(age_bands("1–2 years")[0])


def test_the_record_age_picks_the_age_band_row(searcher: Any) -> None:
    prepare(searcher)  # line embeddings ready, as after an install
    for age, dose in ((4, "150 micrograms"), (9, "300 micrograms"), (40, "500 micrograms"),
                      (0.25, "100–150 micrograms")):
        scored, _ = rank("anaphylaxis adrenaline dose", searcher, patient_age_years=age)
        assert dose in best_lines(scored)[0].line.plain, age
    scored, _ = rank("anaphylaxis adrenaline dose", searcher)  # no age: the adult line
    assert "500 micrograms" in best_lines(scored)[0].line.plain


def test_a_search_hit_lands_on_its_best_line_not_on_boilerplate(searcher: Any) -> None:
    hits = land("anaphylaxis adrenaline dose", searcher.search("anaphylaxis adrenaline dose",
                                                              k=3), searcher)
    assert hits[0].doc_id == "anaphylaxis" and "500 micrograms" in hits[0].line
    assert hits[0].heading_path[-1] == "Immediate actions"
    assert all("Sample content" not in h.snippet for h in hits)


def test_a_shortened_drug_name_stands_for_the_pack_words_it_begins(searcher: Any) -> None:
    # "amio" is not a pack word; its spelling correction would be another word entirely.
    prepare(searcher)
    scored, _ = rank("amio dose in cardiac arrest", searcher)
    assert "amiodarone" in best_lines(scored)[0].line.plain.lower()


def test_a_phrase_of_the_question_counts_through_its_synonyms(searcher: Any) -> None:
    from appliance.assistant.answer_terms import holds, stems, term_groups

    # "blood sugar" is a synonym key as a phrase, not word by word
    groups, _ = term_groups("hypo blood sugar threshold", searcher)
    line = stems("Blood glucose below 4.0 mmol/L")
    assert sum(holds(g, line) for g in groups) == 2  # "blood" and "sugar" both held


def test_a_word_is_as_common_as_the_forms_of_it_the_pack_writes(searcher: Any) -> None:
    from appliance.assistant.answer_terms import idf_weights, line_index

    # the pack writes "months" far more often than "month": both are matched by one stem
    month, months = idf_weights(line_index(searcher), [{"month"}, {"months"}])
    assert month == months


def test_the_embedder_sees_an_abbreviation_spelled_out(searcher: Any) -> None:
    from appliance.assistant.answer_terms import spelled_out

    assert spelled_out("aaa pain where", searcher) == "aaa pain where (abdominal aortic aneurysm)"
    assert spelled_out("who won the world cup", searcher) == "who won the world cup"


def test_an_off_topic_question_is_not_found_and_an_answerable_one_is(searcher: Any) -> None:
    from appliance.assistant.answers import answers_question

    prepare(searcher)
    assert not answers_question(rank("who won the world cup in 2018", searcher)[0])
    assert answers_question(rank("how long should I cool a burn", searcher)[0])


def test_without_line_embeddings_not_found_falls_back_to_the_share_of_words() -> None:
    from appliance.assistant.answers import MIN_LEXICAL, ScoredLine, answers_question

    lines = _lines()
    assert answers_question([ScoredLine(lines[0], 0.1, MIN_LEXICAL)])
    assert not answers_question([ScoredLine(lines[0], 9.9, MIN_LEXICAL - 0.01)])
    assert not answers_question([])


def test_text_after_a_nested_list_continues_the_parent_item_not_the_last_child() -> None:
    section = ("2. Give adrenaline. Adrenaline 1 mg/ml (1:1000):\n"
               "   - adult: 500 micrograms (0.5 ml)\n"
               "   - under 6 months: 100–150 micrograms\n"
               "   Use the patient's own auto-injector if that is quickest.\n")
    lines = {line.plain: line for line in parse_section("d", "D", "d#1", ("D",), section)}
    assert "under 6 months: 100–150 micrograms" in lines
    assert lines["under 6 months: 100–150 micrograms"].context == "Adrenaline 1 mg/ml (1:1000):"
    assert any(text.endswith("auto-injector if that is quickest.") and "under 6" not in text
               for text in lines)


def test_irregular_and_ies_plurals_meet_their_singular() -> None:
    from appliance.assistant.answer_terms import stems

    assert stems("Acute asthma in children") >= stems("child asthma")
    assert stems("babies and injuries") == stems("baby injury")


def test_an_abbreviation_the_document_spells_out_is_defined_by_the_words_it_follows() -> None:
    from appliance.protocols.abbreviations import defined, used

    text = "Compare peak expiratory flow (PEF) with the best. Give glucose (see hypo page)."
    assert defined(text) == {"PEF": "peak expiratory flow"}
    assert defined("oxygen via a mask (NRB)") == {}  # the initials do not spell it
    assert used("PEF over 75% of best", defined(text)) == "peak expiratory flow"
    assert used("PEFR is different", defined(text)) == ""


def test_a_line_using_a_defined_abbreviation_holds_the_words_it_stands_for(
        searcher: Any) -> None:
    from appliance.assistant.answer_terms import lexical_parts, line_index, term_groups

    line = next(x for x in line_index(searcher).lines("asthma-adult")
                if "PEF over 75%" in x.text)
    assert line.expansion == "peak expiratory flow" and "expiratory" not in line.shown
    groups, _ = term_groups("peak flow", searcher)
    in_text, _, _ = lexical_parts(line, groups, [1.0] * len(groups))
    assert in_text == len(groups)


def test_ranges_written_in_words_hold_their_values_and_bands_of_age_do_not() -> None:
    from appliance.assistant.question import number_ranges

    def held(text: str, value: float) -> bool:
        return any(b.holds(value) for b in number_ranges(text))

    assert held("7 or more | High", 8) and not held("7 or more | High", 6)
    assert held("PEF under 33%", 30) and not held("PEF under 33%", 33)
    assert held("respiratory rate under 10 or over 29", 30)
    assert not held("respiratory rate under 10 or over 29", 20)
    assert not number_ranges("over 5 years") and not number_ranges("under 25 kg")
    assert not held("over 50–75% best", 6)  # "over 5" is not read out of "over 50–75"


def test_ordinals_and_short_time_units_are_words_not_numbers_asked() -> None:
    from appliance.assistant.answer_terms import stems

    q = read_question("when can i give the 2nd dose, how many hrs")
    assert q.numbers == [] and "time" in q.kinds
    assert stems("2nd dose after two doses") == stems("second dose after 2 doses")


def test_a_group_age_and_a_time_in_words_are_read() -> None:
    assert age_bands("not validated in under-16s")[0].holds(14 * 12)
    assert not age_bands("not validated in under-16s")[0].holds(16 * 12)
    assert line_features("Keep it under a minute.").duration
    assert not line_features("A second dose may be needed.").duration
    assert "age" in read_question("what age do febrile fits happen").kinds


def test_a_childrens_heading_makes_its_lines_children_only() -> None:
    offer = line_features("Amiodarone 5 mg/kg.", ("Cardiac arrest in children", "Drugs"))
    assert offer.ages and all(b.high < 16 * 12 for b in offer.ages)


def test_a_shortened_plural_stands_for_the_pack_words_its_singular_begins(
        searcher: Any) -> None:
    from appliance.assistant.answer_terms import term_groups

    groups, _ = term_groups("copd nebs", searcher)
    assert any(any(e.startswith("nebuli") for e in g) for g in groups)


def test_a_chart_row_is_found_by_its_first_cell(searcher: Any) -> None:
    best = best_lines(rank("what does a systolic of 95 score on news2", searcher,
                           semantic=False)[0], 1)
    assert best and best[0].line.plain.startswith("Systolic")


@pytest.mark.parametrize("question", ["paracetamol dose for a 4 year old 16kg",
                                      "how much tramadol for an adult", "calpol dose 2 year old",
                                      "ferrous sulphate dose for an adult"])
def test_a_dose_of_a_medicine_the_pack_gives_no_dose_for_is_not_found(
        searcher: Any, question: str) -> None:
    # the sample pack names paracetamol (fever advice, overdose) but gives no dose of it: the
    # dose of another drug must never stand in for it; a name of two words needs both ("magnesium
    # sulphate 1.2–2 g" is no dose of ferrous sulphate)
    from appliance.assistant.grounded import answer

    result = answer(question, searcher, None)
    assert result.mode == "not-found", [q.text for q in result.quotes]


def test_a_dose_asked_of_a_named_medicine_shows_its_own_lines(searcher: Any) -> None:
    prepare(searcher)
    scored, _ = rank("adrenaline dose anaphylaxis child 3", searcher)
    shown = [s.line.text for s in best_lines(scored)]
    assert shown and all("drenaline" in s.line.shown for s in best_lines(scored))
    assert "150 micrograms" in shown[0]
    # doses counted, not asked: the line that answers need not name the drug
    scored, _ = rank("still fitting after 2 doses of midazolam", searcher)
    assert any("two doses" in s.line.text for s in best_lines(scored))


@pytest.mark.parametrize(("question", "dose"), [
    ("4 year old with puffy eyes and a barking cough after eating sesame, how much adrenaline",
     "150 micrograms"),
    ("30 year old itchy rash and swollen tongue after eating cashews, how much adrenaline im",
     "500 micrograms")])
def test_a_dose_asked_after_the_patients_story_looks_in_the_medicines_own_documents(
        searcher: Any, question: str, dose: str) -> None:
    # the story's words find other documents (child asthma, choking, mild allergy), none giving
    # an adrenaline dose; the medicine's own documents do
    from appliance.assistant.grounded import answer

    prepare(searcher)
    result = answer(question, searcher, None)
    assert result.mode != "not-found" and dose in result.quotes[0].text


def test_a_count_meets_the_ordinal_of_the_same_number(searcher: Any) -> None:
    from appliance.assistant.answer_terms import stems

    assert {"3", "5"} <= stems("after the 3rd shock; the fifth dose")
    assert {"first", "second"} <= stems("first-line, 10 seconds")  # not counts
    prepare(searcher)
    scored, _ = rank("patient in vf after 3 shocks, what drug and dose now", searcher)
    assert "amiodarone 300 mg" in best_lines(scored)[0].line.plain


def test_nothing_by_mouth_is_a_negated_instruction() -> None:
    assert line_features("Nothing in the mouth.").negation
    assert line_features("Nil by mouth until swallowing is screened.").negation


def test_a_short_sentence_is_about_what_the_sentence_before_it_names() -> None:
    from appliance.assistant.answer_terms import lexical_parts, stems

    lines = parse_section("doc", "Doc", "doc#1", ("Doc", "Bleeding"),
                          "1. Apply a **tourniquet** high and tight on the limb and note the "
                          "time of application. Do not loosen it once applied.\n")
    first, second = lines
    assert second.before == first.text and not first.before
    groups = [{s} for s in sorted(stems("tourniquet loosen"))]
    _, _, before = lexical_parts(second, groups, [1.0, 1.0])
    assert before > 0  # "tourniquet" found in the sentence before, weighed as a heading


def test_a_decimal_asked_is_a_value_not_two_counts(searcher: Any) -> None:
    from appliance.assistant.answer_terms import term_groups

    groups, _ = term_groups("diabetic, bm 2.5, can swallow", searcher)
    assert not any({"2", "5"} & g for g in groups)
    assert any("2" in g for g in term_groups("ph 7.2 after 2 doses", searcher)[0])
    assert read_question("diabetic, bm 2.5, can swallow").numbers == [2.5]
