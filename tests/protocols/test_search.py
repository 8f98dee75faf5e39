"""Search behaviour: synonyms, typos, prefixes, modes, highlighting, the section shown, the
lexical fallback and packs indexed before document-level ranking (schema 1)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appliance.errors import ModelError
from appliance.paths import Layout
from appliance.protocols import expansion as ex
from appliance.protocols.index import SEARCH_DB, VECTORS
from appliance.protocols.lifecycle import install
from appliance.protocols.query_plan import embed_text
from appliance.protocols.search import Searcher
from appliance.protocols.snippets import MARK_END, MARK_START, highlight_spans


def top(searcher: Searcher, query: str, mode: str = "hybrid") -> str:
    hits = searcher.search(query, k=3, mode=mode)  # type: ignore[arg-type]
    return hits[0].doc_id if hits else ""


FINDS = [
    ("wheeze", "asthma-adult"),
    ("SOB", "asthma-adult"),              # abbreviation -> breathlessness
    ("CP", "chest-pain-acs"),             # abbreviation -> chest pain
    ("heart attack", "chest-pain-acs"),   # lay words
    ("astma", "asthma-adult"),            # typo (deletion)
    ("salbutamlo", "asthma-adult"),       # typo (transposition)
    ("scald", "burns"),
    ("hypoglycaem", "hypoglycaemia"),     # search-as-you-type prefix
]


@pytest.mark.parametrize("query, expected", FINDS)
@pytest.mark.parametrize("mode", ["fts", "hybrid"])
def test_finds_the_right_protocol(searcher: Searcher, query: str, expected: str,
                                  mode: str) -> None:
    assert top(searcher, query, mode) == expected


def test_vector_search_understands_paraphrase(searcher: Searcher) -> None:
    assert top(searcher, "sugar level dropped and confused", "vector") == "hypoglycaemia"
    assert top(searcher, "kettle water spilled on skin", "vector") == "burns"


def test_plan_reports_corrections_and_expansions(searcher: Searcher) -> None:
    plan = searcher.plan("astma sob")
    assert plan.corrections == {"astma": "asthma"}
    assert '"shortness of breath"' in plan.fts and '"breathlessness"' in plan.fts
    assert embed_text(" astma sob ") == "astma sob"  # the semantic side sees it as typed


def test_hits_carry_heading_path_and_marked_snippet(searcher: Searcher) -> None:
    hit = searcher.search("salbutamol nebuliser")[0]
    assert hit.heading_path == ("Acute asthma in adults", "Treatment")
    assert hit.section_id.startswith("asthma-adult#")
    assert f"{MARK_START}Salbutamol{MARK_END}" in hit.snippet
    plain, spans = highlight_spans(hit.snippet)
    assert [plain[a:b] for a, b in spans][:2] == ["Salbutamol", "nebuliser"]
    assert hit.matched_by and 0 < hit.score <= 1


@pytest.mark.parametrize("query, heading", [
    ("rule of nines", "Assess the size"),
    ("cling film", "First aid"),
    ("SOB", "Recognise"),                 # only the expansion (breathlessness) is in the text
    ("aspirin", "Immediate actions"),
])
@pytest.mark.parametrize("mode", ["fts", "hybrid"])
def test_the_section_shown_is_the_one_that_matches(searcher: Searcher, query: str, heading: str,
                                                   mode: str) -> None:
    # Documents are ranked whole; the hit is then the document's best-matching section.
    hit = searcher.search(query, k=1, mode=mode)[0]  # type: ignore[arg-type]
    assert hit.heading_path[-1] == heading
    assert "fts" in hit.matched_by


@pytest.mark.parametrize("mode", ["fts", "hybrid"])
def test_the_section_shown_is_the_one_section_search_ranks_first(searcher: Searcher,
                                                                  mode: str) -> None:
    # On a pack this small every section is a candidate, so the two must agree exactly.
    for query in [q for q, _ in FINDS] + ["adrenaline dose", "aspirin ecg", "cool the burn"]:
        first: dict[str, str] = {}
        for h in searcher.search(query, 50, mode, one_per_doc=False):  # type: ignore[arg-type]
            first.setdefault(h.doc_id, h.section_id)
        for hit in searcher.search(query, k=4, mode=mode):  # type: ignore[arg-type]
            assert hit.section_id == first.get(hit.doc_id, hit.section_id), query


def test_each_document_is_one_row_over_its_contiguous_sections(searcher: Searcher) -> None:
    conn = sqlite3.connect(searcher.directory / SEARCH_DB)
    try:
        ranges = conn.execute("SELECT rowid, doc_id, first, last FROM doc_sections").fetchall()
        assert conn.execute("SELECT count(*) FROM docs_fts").fetchone()[0] == len(ranges) == 4
        for rowid, doc_id, first, last in ranges:
            docs = conn.execute("SELECT doc_id FROM sections WHERE rowid BETWEEN ? AND ?",
                                (first, last)).fetchall()
            assert docs == [(doc_id,)] * (last - first + 1)
            title = "SELECT title FROM {} WHERE {} = ?"
            assert (conn.execute(title.format("docs_fts", "rowid"), (rowid,)).fetchone()
                    == conn.execute(title.format("docs", "id"), (doc_id,)).fetchone())
        total = conn.execute("SELECT count(*) FROM sections").fetchone()[0]
        assert sum(last - first + 1 for *_, first, last in ranges) == total
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == ("2",)
    finally:
        conn.close()


@pytest.fixture
def schema_1(searcher: Searcher, tmp_path: Path) -> Iterator[Searcher]:
    """The same index as a pack installed before docs_fts existed holds it."""
    shutil.copy(searcher.directory / SEARCH_DB, tmp_path / SEARCH_DB)
    if (searcher.directory / VECTORS).is_dir():
        shutil.copytree(searcher.directory / VECTORS, tmp_path / VECTORS)
    conn = sqlite3.connect(tmp_path / SEARCH_DB)
    with conn:
        conn.execute("DROP TABLE docs_fts")
        conn.execute("DROP TABLE doc_sections")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    conn.close()
    old = Searcher(tmp_path)
    yield old
    old.close()


@pytest.mark.parametrize("mode", ["fts", "hybrid"])
def test_a_schema_1_index_still_searches(schema_1: Searcher, mode: str) -> None:
    for query, expected in FINDS:
        assert top(schema_1, query, mode) == expected, query
    hit = schema_1.search("rule of nines", k=1, mode=mode)[0]  # type: ignore[arg-type]
    assert hit.heading_path[-1] == "Assess the size"
    docs = [h.doc_id for h in schema_1.search("asthma", k=10)]
    assert len(docs) == len(set(docs))


def test_one_per_doc_or_all_sections(searcher: Searcher) -> None:
    docs = [h.doc_id for h in searcher.search("asthma", k=10)]
    assert len(docs) == len(set(docs))
    sections = searcher.search("asthma", k=10, one_per_doc=False)
    assert sum(h.doc_id == "asthma-adult" for h in sections) > 1


@pytest.mark.parametrize("one_per_doc", [False, True])
def test_section_search_shows_only_ranked_sections(searcher: Searcher, one_per_doc: bool) -> None:
    # bm25 scores every row matching either query; the fused lexical ranking keeps the best
    # CANDIDATES. A scored row past that cut (a 20,000-document pack: "what is the adult
    # adrenaline dose for anaphylaxis") had no document or ranking and raised KeyError.
    ranked, past_the_cut = searcher._lexical.rows("SELECT rowid FROM sections LIMIT 2")
    hits = searcher._fuse({"fts": [ranked[0]]}, {ranked[0]: 0.5, past_the_cut[0]: 1.0}, [],
                          searcher.plan("asthma"), 10, one_per_doc)
    assert [h.matched_by for h in hits] == [("fts",)]


def test_empty_and_nonsense_queries(searcher: Searcher) -> None:
    assert searcher.search("") == []
    assert isinstance(searcher.search('"*) OR ('), list)  # FTS syntax must not raise
    assert searcher.search("zzzzqqq", mode="fts") == []


def test_lexical_only_without_vectors(device: Layout, built_pack: Path) -> None:
    install(device, built_pack, defer_vectors=True)
    searcher = Searcher.for_active(device)
    assert not searcher.semantic_available
    assert top(searcher, "SOB") == "asthma-adult"
    with pytest.raises(ModelError, match="lexical only"):
        searcher.search("burn", mode="vector")


@given(st.lists(st.tuples(st.text(alphabet="ab «»", max_size=5),
                          st.text(alphabet="abc ", min_size=1, max_size=5)), max_size=5))
def test_highlight_spans_recover_marked_words(parts: list[tuple[str, str]]) -> None:
    plain_parts = [p.replace(MARK_START, "").replace(MARK_END, "") for p, _ in parts]
    pairs = list(zip(plain_parts, [w for _, w in parts], strict=True))
    marked = "".join(f"{p}{MARK_START}{w}{MARK_END}" for p, w in pairs)
    plain, spans = highlight_spans(marked)
    assert plain == "".join(p + w for p, w in pairs)
    assert [plain[a:b] for a, b in spans] == [w for _, w in parts]


@given(st.text(alphabet="abcdef", max_size=8), st.text(alphabet="abcdef", max_size=8))
def test_damerau_is_a_symmetric_distance(a: str, b: str) -> None:
    d = ex.damerau(a, b)
    assert d == ex.damerau(b, a)
    assert (d == 0) == (a == b)
    assert abs(len(a) - len(b)) <= d <= max(len(a), len(b))


@given(st.text(alphabet="abcdefgh", min_size=4, max_size=9), st.integers(0, 8))
def test_one_deletion_is_always_a_spelling_candidate(word: str, i: int) -> None:
    typo = word[:i % len(word)] + word[i % len(word) + 1:]
    keys = dict(ex.spell_keys([word]))
    assert any(k in keys for k in ex.deletes(typo, 1))


def test_synonym_file_shapes(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.toml"
    path.write_text('[abbrev]\nAF = ["atrial fibrillation"]\n[[group]]\nterms = ["fit", '
                    '"seizure"]\n')
    table = ex.load_synonyms(path)
    assert table["af"] == {"atrial fibrillation"} and "af" in table["atrial fibrillation"]
    assert table["fit"] == {"seizure"}
