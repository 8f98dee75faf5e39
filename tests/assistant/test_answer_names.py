"""A medicine named the way a patient or a label names it, and a table cell the question
addresses by its row and column."""

from __future__ import annotations

from typing import Any

import pytest

from appliance.assistant.answers import features, prepare, rank
from appliance.assistant.question import read_question
from appliance.protocols.lines import parse_section
from appliance.text.medicine_names import other_names

TABLE = """| Age | Respiratory rate /min | Heart rate /min |
|---|---|---|
| Under 1 year | 30–40 | 110–160 |
| 2–5 years | 25–30 | 95–140 |

Heart rate rises with fever and crying.
"""


@pytest.mark.parametrize(("word", "names"), [
    ("nurofen", ["ibuprofen", "nsaid"]),
    ("eliquis", ["apixaban", "anticoagulant"]),
    ("apixaban", ["anticoagulant"]),
    ("bisoprolol", ["beta-blocker"]),
    ("calpol", ["paracetamol"]),
    ("chair", []),
    ("round", []),
])
def test_a_brand_stands_for_its_generic_name_and_a_generic_name_for_its_class(
        word: str, names: list[str]) -> None:
    assert other_names(word) == names


def _cell(question: str) -> dict[str, float]:
    lines = parse_section("doc", "Doc", "doc#1", ("Doc", "Normal values"), TABLE)
    q = read_question(question)
    groups = [{"heart"}, {"rate"}]
    return {line.plain: features(q, line, groups, [1.0, 1.0], 2.0)["cell"] for line in lines}


def test_a_row_chosen_by_the_age_asked_and_a_column_named_is_the_cell_asked() -> None:
    cells = _cell("heart rate for a 3 year old")
    assert cells["2–5 years | 25–30 | 95–140"] == 1.0
    assert cells["Under 1 year | 30–40 | 110–160"] == 0.0  # another band
    assert cells["Heart rate rises with fever and crying."] == 0.0  # not a row


def test_a_group_word_chooses_no_row() -> None:
    # "child" covers every band: it says which rows apply, not which one is asked
    assert set(_cell("heart rate in a child").values()) == {0.0}


def test_a_medicine_the_pack_never_names_meets_its_class(searcher: Any) -> None:
    prepare(searcher)
    scored, _ = rank("on eliquis and hit head", searcher)
    assert scored[0].line.doc_id == "head-injury"
    assert "anticoagulant" in scored[0].line.plain.lower()


def test_a_class_never_gives_the_dose_of_a_medicine_in_it(searcher: Any) -> None:
    from appliance.assistant.grounded import answer

    # the pack names anticoagulants but doses none of them
    assert answer("eliquis dose", searcher, None).mode == "not-found"
