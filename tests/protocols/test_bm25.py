"""The array bm25 index gives FTS5's own bm25 rankings, faster; packs without it use FTS5."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from appliance.protocols.bm25 import BM25_DIR, Bm25
from appliance.protocols.evaluation import load_queries
from appliance.protocols.index import SEARCH_DB
from appliance.protocols.lexical import Lexical
from appliance.protocols.search import Searcher

QUERIES = Path(__file__).resolve().parent.parent / "data" / "protocol_queries.jsonl"


@pytest.fixture(scope="module")
def lexical(installed_sample_pack: Any) -> Iterator[Lexical]:
    pool = ThreadPoolExecutor(2)
    found = Lexical(installed_sample_pack.directory / SEARCH_DB, lambda: pool)
    yield found
    found.close()
    pool.shutdown()


def _fts5(lexical: Lexical, expression: str, table: str,
          within: tuple[int, int] | None = None) -> list[tuple[int, float]]:
    arrays, lexical._arrays = lexical._arrays, None
    try:
        return lexical.match(expression, table, within=within)
    finally:
        lexical._arrays = arrays


def _same(a: list[tuple[int, float]], b: list[tuple[int, float]]) -> bool:
    """Same scores in the same order, and the same rows for each score (rows with equal
    scores come in either order, and a tie at the cut-off may keep either row)."""
    def groups(found: list[tuple[int, float]]) -> dict[float, set[int]]:
        out: dict[float, set[int]] = {}
        for row, score in found:
            out.setdefault(round(score, 9), set()).add(row)
        return out

    if [round(s, 9) for _, s in a] != [round(s, 9) for _, s in b]:
        return False
    last = round(a[-1][1], 9) if a else None
    return all(rows == groups(b)[s] for s, rows in groups(a).items() if s != last)


def test_installs_write_the_arrays(installed_sample_pack: Any) -> None:
    assert (installed_sample_pack.directory / BM25_DIR / "docs_fts.json").is_file()
    assert (installed_sample_pack.directory / BM25_DIR / "sections_fts.json").is_file()


def test_every_query_ranks_as_fts5_ranks_it(lexical: Lexical) -> None:
    """Words as typed and synonym-expanded (multi-word phrases), documents and sections."""
    arrays = lexical._arrays
    assert arrays is not None
    checked = 0
    for query in load_queries(QUERIES):
        plan = lexical.plan(query["query"])
        for expression in {plan.fts, plan.fts_plain} - {""}:
            for table in ("docs_fts", "sections_fts"):
                fast = arrays.match(expression, table)
                assert fast is not None, expression
                slow = _fts5(lexical, expression, table)
                assert _same(fast, slow), (expression, table, fast[:3], slow[:3])
                for first, _ in slow[:1]:  # the rowid range the section re-ranking uses
                    span = (max(1, first - 3), first + 3)
                    assert _same(arrays.match(expression, table, span) or [],
                                 _fts5(lexical, expression, table, span))
                checked += 1
    assert checked > 500


def test_back_to_back_phrases_are_each_counted(lexical: Lexical) -> None:
    # The sample pack's stroke keywords hold "mini stroke mini-stroke": FTS5 counts two.
    expression = '"mini stroke"'
    assert _same(lexical._arrays.match(expression, "docs_fts") or [],  # type: ignore[union-attr]
                 _fts5(lexical, expression, "docs_fts"))


def test_a_phrase_outside_the_synonym_list_is_left_to_fts5(lexical: Lexical) -> None:
    assert lexical._arrays is not None
    assert lexical._arrays.match('"minimal interruptions"', "docs_fts") is None
    assert lexical.match('"minimal interruptions"', "docs_fts")  # answered by FTS5


def test_a_word_being_typed_matches_as_a_prefix(lexical: Lexical) -> None:
    fast = lexical._arrays.match('"anaphyl"*', "docs_fts")  # type: ignore[union-attr]
    assert fast
    assert {r for r, _ in fast} == {r for r, _ in _fts5(lexical, '"anaphyl"*', "docs_fts")}


def test_unknown_words_match_nothing(lexical: Lexical) -> None:
    assert lexical._arrays.match('"zzqqxx"', "docs_fts") == []  # type: ignore[union-attr]


def test_a_pack_installed_without_the_arrays_searches_through_fts5(
        installed_sample_pack: Any, tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(installed_sample_pack.directory, copy)
    shutil.rmtree(copy / BM25_DIR)
    assert Bm25.open(copy / BM25_DIR, ("docs_fts", "sections_fts")) is None
    old, new = Searcher(copy, vectors_ready=False), Searcher(installed_sample_pack.directory,
                                                              vectors_ready=False)
    try:
        for query in ("anaphylaxis adrenaline dose", "chest pain", "sob"):
            assert [h.doc_id for h in old.search(query, mode="fts")] == \
                [h.doc_id for h in new.search(query, mode="fts")]
    finally:
        old.close()
        new.close()
