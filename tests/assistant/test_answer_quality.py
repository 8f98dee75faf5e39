"""Answer quality on the question sets (tests/data/answer_questions*.jsonl).

``answer_questions.jsonl`` was used to choose the ranking weights; ``answer_questions_heldout
.jsonl`` was written before any tuning and gates them. The issue's targets on the held-out set
are top-1 >= 90 %, top-3 >= 98 % and no unsupported sentence shown. Unsupported shown is held
at 0. Top-1/top-3 do not reach the targets yet: ``test_held_out_meets_the_issue_targets`` is a
strict xfail that fails the run the day they are met (so the marker is removed), and the
measured level is held as a floor so ranking cannot silently get worse.

Off-topic questions (``answer_offtopic*.jsonl``) must be answered "not found": the threshold was
chosen on the tuning pair (on-topic and off-topic) and is held on the held-out pair.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from appliance.assistant.evaluation import (
    holds,
    load_off_topic,
    load_questions,
    normalise,
    not_found_report,
    score,
)
from appliance.assistant.grounded import answer

DATA = Path(__file__).resolve().parents[1] / "data"
TUNING = DATA / "answer_questions.jsonl"
HELD_OUT = DATA / "answer_questions_heldout.jsonl"
BLIND = DATA / "answer_questions_blind.jsonl"
BLIND2 = DATA / "answer_questions_blind2.jsonl"
BLIND3 = DATA / "answer_questions_blind3.jsonl"
BLIND4 = DATA / "answer_questions_blind4.jsonl"
OFF_TOPIC_BLIND4 = DATA / "answer_offtopic_blind4.jsonl"
BLIND5 = DATA / "answer_questions_blind5.jsonl"
OFF_TOPIC_BLIND5 = DATA / "answer_offtopic_blind5.jsonl"
BLIND6 = DATA / "answer_questions_blind6.jsonl"
OFF_TOPIC_BLIND6 = DATA / "answer_offtopic_blind6.jsonl"
BLIND7 = DATA / "answer_questions_blind7.jsonl"
OFF_TOPIC_BLIND7 = DATA / "answer_offtopic_blind7.jsonl"
BLIND8 = DATA / "answer_questions_blind8.jsonl"
OFF_TOPIC_BLIND8 = DATA / "answer_offtopic_blind8.jsonl"
BLIND9 = DATA / "answer_questions_blind9.jsonl"
OFF_TOPIC_BLIND9 = DATA / "answer_offtopic_blind9.jsonl"
BLIND10 = DATA / "answer_questions_blind10.jsonl"
OFF_TOPIC_BLIND10 = DATA / "answer_offtopic_blind10.jsonl"
BLIND11 = DATA / "answer_questions_blind11.jsonl"
OFF_TOPIC_BLIND11 = DATA / "answer_offtopic_blind11.jsonl"
BLIND12 = DATA / "answer_questions_blind12.jsonl"
OFF_TOPIC_BLIND12 = DATA / "answer_offtopic_blind12.jsonl"
BLIND13 = DATA / "answer_questions_blind13.jsonl"
OFF_TOPIC_BLIND13 = DATA / "answer_offtopic_blind13.jsonl"
BLIND14 = DATA / "answer_questions_blind14.jsonl"
OFF_TOPIC_BLIND14 = DATA / "answer_offtopic_blind14.jsonl"
BLIND15 = DATA / "answer_questions_blind15.jsonl"
OFF_TOPIC_BLIND15 = DATA / "answer_offtopic_blind15.jsonl"
BLIND16 = DATA / "answer_questions_blind16.jsonl"
OFF_TOPIC_BLIND16 = DATA / "answer_offtopic_blind16.jsonl"
BLIND17 = DATA / "answer_questions_blind17.jsonl"
OFF_TOPIC_BLIND17 = DATA / "answer_offtopic_blind17.jsonl"
BLIND18 = DATA / "answer_questions_blind18.jsonl"
OFF_TOPIC_BLIND18 = DATA / "answer_offtopic_blind18.jsonl"
OFF_TOPIC = DATA / "answer_offtopic.jsonl"
OFF_TOPIC_HELD_OUT = DATA / "answer_offtopic_heldout.jsonl"
DOCS = Path(__file__).resolve().parents[2] / "appliance" / "protocols" / "sample_pack" / "docs"


def _shown(searcher: Any, not_found: list[bool]) -> Any:
    def lines(question: str) -> tuple[list[str], int]:
        result = answer(question, searcher, None)
        not_found.append(result.mode == "not-found")
        unsupported = sum(not s.supported for s in result.sentences)
        return [q.text for q in result.quotes], unsupported
    return lines


def test_the_sets_cover_every_document_with_facts_the_documents_hold() -> None:
    tuning, held_out = load_questions(TUNING), load_questions(HELD_OUT)
    assert len(tuning) + len(held_out) >= 200 and len(held_out) >= 100
    assert not {q["q"] for q in tuning} & {q["q"] for q in held_out}
    docs = {p.stem: normalise(p.read_text(encoding="utf-8")) for p in DOCS.glob("*.md")}
    assert {q["doc"] for q in held_out} == set(docs)
    assert {q["doc"] for q in tuning} == set(docs)
    for row in tuning + held_out:
        assert normalise(row["fact"]) in docs[row["doc"]], row


def test_a_fact_is_held_whatever_the_dashes_case_and_emphasis() -> None:
    assert holds('"**Repeat IM adrenaline after 5 minutes** if no improvement" [1]',
                 "repeat im adrenaline after 5 minutes")
    assert holds("child 6–12 years: 300 micrograms", "6-12 years")
    assert not holds("child 6–12 years: 300 micrograms", "500 micrograms")


@pytest.fixture(scope="module")
def held_out_report(sample_pack_dir: Path) -> dict[str, Any]:
    from appliance.assistant.answers import prepare
    from appliance.protocols.search import Searcher

    searcher = Searcher(sample_pack_dir, vectors_ready=False)
    prepare(searcher)  # every line embedded first: the score must not depend on timing
    try:
        on_topic: list[bool] = []
        report = score(load_questions(HELD_OUT), _shown(searcher, on_topic))
        off_topic = [answer(row["q"], searcher, None).mode == "not-found"
                     for row in load_off_topic(OFF_TOPIC_HELD_OUT)]
        return {**report, **not_found_report(on_topic, off_topic)}
    finally:
        searcher.close()


def test_the_blind_set_is_apart_and_its_facts_are_in_the_documents() -> None:
    blind = load_questions(BLIND)
    assert len(blind) >= 150
    others = {q["q"] for q in load_questions(TUNING) + load_questions(HELD_OUT)}
    # two terse questions ("adenosine first dose svt") came out word for word as earlier
    # sets have them: written apart, typed the same way
    assert len({q["q"] for q in blind} & others) <= 2
    docs = {p.stem: normalise(p.read_text(encoding="utf-8")) for p in DOCS.glob("*.md")}
    assert {q["doc"] for q in blind} == set(docs)
    for row in blind:
        assert normalise(row["fact"]) in docs[row["doc"]], row


def test_the_blind_set_shows_no_unsupported_sentence_and_keeps_its_measured_level(
        sample_pack_dir: Path) -> None:
    """Written without running the engine (tests/data/README.md); scored, never tuned on."""
    from appliance.assistant.answers import prepare
    from appliance.protocols.search import Searcher

    searcher = Searcher(sample_pack_dir, vectors_ready=False)
    prepare(searcher)  # as for the held-out set: the score must not depend on timing
    try:
        report = score(load_questions(BLIND), _shown(searcher, []))
    finally:
        searcher.close()
    assert report["unsupported_shown"] == 0
    assert report["top1"] >= 0.84, report["misses"]  # session 9: 0.820 / 0.907; 10: 0.833;
    assert report["top3"] >= 0.91, report["misses"]  # / 0.913; 12: 0.847 / 0.913


def test_the_second_blind_set_is_apart_and_keeps_its_measured_level(
        sample_pack_dir: Path) -> None:
    """Written in session 8 from the documents alone (tests/data/README.md); first run with
    the semantic index top-1 0.76, top-3 0.90."""
    from appliance.assistant.answers import prepare
    from appliance.protocols.search import Searcher

    blind2 = load_questions(BLIND2)
    assert len(blind2) >= 100
    others = {q["q"] for q in load_questions(TUNING) + load_questions(HELD_OUT)
              + load_questions(BLIND)}
    # four terse questions ("adenosine first dose svt") came out as earlier sets typed them
    assert len({q["q"] for q in blind2} & others) <= 4
    docs = {p.stem: normalise(p.read_text(encoding="utf-8")) for p in DOCS.glob("*.md")}
    assert len({q["doc"] for q in blind2}) >= 45
    blind3 = load_questions(BLIND3)  # session 9, scored first on the code before its answers work
    assert len(blind3) >= 100 and len({q["doc"] for q in blind3}) >= 45
    # five terse ones ("txa time limit after injury") came out as earlier sets typed them
    assert len({q["q"] for q in blind3} & (others | {q["q"] for q in blind2})) <= 5
    for row in blind2 + blind3:
        assert normalise(row["fact"]) in docs[row["doc"]], row
    searcher = Searcher(sample_pack_dir, vectors_ready=False)
    prepare(searcher)
    try:
        report = score(blind2, _shown(searcher, []))
        third = score(blind3, _shown(searcher, []))
    finally:
        searcher.close()
    assert report["unsupported_shown"] == 0 and third["unsupported_shown"] == 0
    assert report["top1"] >= 0.88, report["misses"]  # this lexical path: 0.73 / 0.87, then
    assert report["top3"] >= 0.93, report["misses"]  # 0.83 / 0.92 after session 9, 0.84 in 10,
    #                                                   0.85 in 11, 0.87 / 0.93 in 12, 0.88 in 15
    assert third["top1"] >= 0.88, third["misses"]  # first run 0.81 / 0.94, 0.84 / 0.95 after
    assert third["top3"] >= 0.97, third["misses"]  # session 9's answers work, 0.86 / 0.95 after
    #                                                 session 12's, 0.87 / 0.97 in 13, 0.88 in 14


@pytest.mark.parametrize(("questions", "off_topic_file", "floors"), [
    # session 10, scored first on the answers code the session started with: 0.783 / 0.924,
    # 7 of 8 medicines the pack never mentions "not found"; 0.772 / 0.924 after its work,
    # 0.793 / 0.935 after session 11's, 0.804 / 0.935 after session 12's, 0.815 / 0.946 after
    # session 14's
    (BLIND4, OFF_TOPIC_BLIND4, (0.81, 0.94, 8)),
    # session 10, scored first on the code at the end of its answers work: 0.84 / 0.93, 5 of
    # 10 questions the pack cannot answer "not found"; 0.85 / 0.93 after session 11's, 0.86 /
    # 0.93 after session 12's, 0.89 / 0.95 and 6 of 10 after session 13's
    (BLIND5, OFF_TOPIC_BLIND5, (0.89, 0.95, 8)),
    # session 11, scored first on the answers code the session started with: 0.71 / 0.88, 7 of
    # 10 the pack cannot answer "not found"; 0.71 / 0.87 after session 11's answers work,
    # 0.72 / 0.88 after session 13's, 0.74 / 0.89 after session 14's
    # session 17's query cleaning (chatter words, real words no longer "corrected"): 0.78 /
    # 0.90, 9 of 10
    (BLIND6, OFF_TOPIC_BLIND6, (0.78, 0.90, 9)),
    # session 12, written while its answers work went on and scored first on the merged code:
    # 0.636 / 0.818 (0.636 / 0.809 on the code the session started with), 7 of 10 "not found";
    # 0.664 / 0.836 after session 13's, 0.673 / 0.836 after session 14's
    # session 17: 0.709 / 0.891, 9 of 10
    (BLIND7, OFF_TOPIC_BLIND7, (0.70, 0.89, 9)),
    # session 13, written at its start from the documents alone and scored first on its
    # starting code: 0.809 / 0.909, 8 of 10 "not found"; 0.818 / 0.909 after session 14's
    (BLIND8, OFF_TOPIC_BLIND8, (0.83, 0.91, 10)),
    # session 14, written at its start from the documents alone, scored on its starting code
    # and again on its final answers code: 0.764 / 0.891 both, 5 of 10 "not found"
    (BLIND9, OFF_TOPIC_BLIND9, (0.77, 0.90, 8)),
    # session 15, written at its start from the documents alone (ward staff in an outage; North
    # American and Australian clinicians' terms), scored on its starting code and again on its
    # final answers code: 0.700 / 0.845 then 0.709 / 0.845, 8 of 10 "not found"; and 0.718 /
    # 0.882 both times, 5 of 10
    # session 17: 0.764 / 0.873 (8 of 10) and 0.764 / 0.927 (7 of 10)
    (BLIND10, OFF_TOPIC_BLIND10, (0.76, 0.87, 8)),
    (BLIND11, OFF_TOPIC_BLIND11, (0.76, 0.92, 7)),
    # session 15, written late (voice dictation at a patient's home, with mis-hearings), scored
    # on the start and the final code alike: 0.618 / 0.764, 19 answerable "not found", 5 of 10;
    # 0.682 / 0.809 once spoken numbers were read as digits (the cause it showed); 0.691 /
    # 0.827 once terms heard as everyday words were read by sound (appliance.assistant.heard)
    # session 17: 0.755 / 0.845, 7 of 10
    (BLIND12, OFF_TOPIC_BLIND12, (0.75, 0.84, 7)),
    # session 15, written last (dictation in a moving ambulance), held out for that change:
    # 0.345 / 0.482 with 46 answerable "not found" (10 of 10) before it, 0.464 / 0.600, 25 (9 of
    # 10) after; 0.473 / 0.627, 22, once terms heard as everyday words were read by sound
    # session 17: 0.518 / 0.700, 12 answerable "not found", 9 of 10
    (BLIND13, OFF_TOPIC_BLIND13, (0.51, 0.70, 9)),
    # session 16, written at its start: typed on a phone in a moving ambulance, scored 0.827 /
    # 0.955 (7 of 10) on the start and the final code alike; an advice-line caller's story told
    # before the question, 0.464 / 0.609 (5 of 10) at the start, 0.600 / 0.791 (6 of 10) once a
    # long question's asking part was looked up by itself (appliance.assistant.ask_part)
    # session 17: 0.845 / 0.973 (8 of 10) and 0.691 / 0.836 (6 of 10)
    (BLIND14, OFF_TOPIC_BLIND14, (0.84, 0.97, 8)),
    (BLIND15, OFF_TOPIC_BLIND15, (0.69, 0.83, 6)),
    # session 16, written in the same style as set 15 (junior staff's chat box in an outage)
    # and held out for that change: 0.609 / 0.800 (8 of 10) before it, 0.664 / 0.864 (7 of 10)
    # held out again in session 17: 0.700 / 0.864, 8 of 10
    (BLIND16, OFF_TOPIC_BLIND16, (0.70, 0.86, 8)),
    # session 17, written at its start from the documents alone: internationally trained
    # clinicians' questions (other countries' drug names and units), 0.791 / 0.918 (6 of 10) on
    # the start code, 0.845 / 0.964 (9 of 10) after its causes; student paramedics and nurses
    # revising, some questions stating a wrong figure, held out: 0.764 / 0.918 (5 of 10), then
    # 0.809 / 0.955 (7 of 10)
    (BLIND17, OFF_TOPIC_BLIND17, (0.84, 0.96, 9)),
    (BLIND18, OFF_TOPIC_BLIND18, (0.80, 0.95, 7)),
])
def test_the_later_blind_sets_keep_their_measured_level(
        sample_pack_dir: Path, questions: Path, off_topic_file: Path,
        floors: tuple[float, float, int]) -> None:
    """Written from the documents alone (tests/data/README.md); never tuned on."""
    from appliance.assistant.answers import prepare
    from appliance.protocols.search import Searcher

    rows = load_questions(questions)
    assert len(rows) >= 90 and len({q["doc"] for q in rows}) >= 50
    docs = {p.stem: normalise(p.read_text(encoding="utf-8")) for p in DOCS.glob("*.md")}
    for row in rows:
        assert normalise(row["fact"]) in docs[row["doc"]], row
    searcher = Searcher(sample_pack_dir, vectors_ready=False)
    prepare(searcher)
    try:
        report = score(rows, _shown(searcher, []))
        off_topic = [answer(row["q"], searcher, None).mode == "not-found"
                     for row in load_off_topic(off_topic_file)]
    finally:
        searcher.close()
    top1, top3, not_found = floors
    assert report["unsupported_shown"] == 0
    assert report["top1"] >= top1, report["misses"]
    assert report["top3"] >= top3, report["misses"]
    assert sum(off_topic) >= not_found


def test_the_off_topic_sets_are_apart_from_each_other_and_from_the_answerable_ones() -> None:
    tuning, held_out = load_off_topic(OFF_TOPIC), load_off_topic(OFF_TOPIC_HELD_OUT)
    assert len(tuning) >= 30 and len(held_out) >= 30
    answerable = {q["q"] for q in load_questions(TUNING) + load_questions(HELD_OUT)}
    assert not {q["q"] for q in tuning} & {q["q"] for q in held_out}
    assert not ({q["q"] for q in tuning + held_out} & answerable)


def test_held_out_shows_no_unsupported_sentence_and_keeps_its_measured_level(
        held_out_report: dict[str, Any]) -> None:
    assert held_out_report["unsupported_shown"] == 0
    assert held_out_report["top1"] >= 0.84, held_out_report["misses"]  # session 9: 0.845
    assert held_out_report["top3"] >= 0.94, held_out_report["misses"]  # 0.942


def test_held_out_off_topic_questions_are_not_found_and_answerable_ones_mostly_are(
        held_out_report: dict[str, Any]) -> None:
    assert held_out_report["not_found_recall"] >= 0.75, held_out_report
    assert held_out_report["not_found_precision"] >= 0.85, held_out_report
    assert held_out_report["on_topic_not_found"] <= 3, held_out_report


@pytest.mark.xfail(strict=True, reason="issue 14 targets not met yet: held-out top-1 0.845, "
                                       "top-3 0.942 on this lexical path (bench: 0.845 / "
                                       "0.942; docs/performance.md, session 12)")
def test_held_out_meets_the_issue_targets(held_out_report: dict[str, Any]) -> None:
    assert held_out_report["top1"] >= 0.90 and held_out_report["top3"] >= 0.98
