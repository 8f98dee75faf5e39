"""Fusing the lexical and the semantic document rankings by their scores (no pack needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appliance.protocols.fusion import LEXICAL_SHARE, hybrid
from appliance.protocols.lexical import relative_bm25


def test_bm25_is_scored_against_the_query_s_best_match() -> None:
    plain = [(1, -8.0), (2, -4.0)]
    expanded = [(2, -6.0), (3, -3.0)]
    assert relative_bm25([plain, expanded]) == {1: 1.0, 2: 1.0, 3: 0.5}


def test_no_match_scores_nothing() -> None:
    assert relative_bm25([[]]) == {}


def test_a_document_both_sides_put_first_is_first() -> None:
    scores = hybrid({1: 1.0, 2: 0.9}, [1, 3], [0.2, 0.4])
    assert max(scores, key=scores.__getitem__) == 1
    assert scores[1] == pytest.approx(1.0)


def test_the_semantic_side_is_scaled_from_its_nearest_to_its_farthest_candidate() -> None:
    scores = hybrid({}, [5, 6, 7], [0.3, 0.4, 0.5])
    share = 1.0 - LEXICAL_SHARE
    assert scores == pytest.approx({5: share, 6: share / 2, 7: 0.0})


def test_a_sure_lexical_lead_survives_a_semantic_runner_up() -> None:
    # Document 1 is far ahead lexically; document 2 is the embedder's nearest by a hair.
    scores = hybrid({1: 1.0, 2: 0.2}, [2, 1, 3], [0.30, 0.31, 0.60])
    assert scores[1] > scores[2]


@given(st.dictionaries(st.integers(0, 50), st.floats(0.0, 1.0), max_size=20),
       st.lists(st.floats(0.0, 2.0), max_size=20))
def test_fused_scores_stay_between_zero_and_one(lexical: dict[int, float],
                                                distances: list[float]) -> None:
    vector = list(range(100, 100 + len(distances)))
    scores = hybrid(lexical, vector, distances)
    assert set(scores) == set(lexical) | set(vector)
    assert all(-1e-9 <= s <= 1.0 + 1e-9 for s in scores.values())
