"""Extraction evaluated on 122 notes written for this project (tests/data/extraction_notes.jsonl).

Reports field-level precision/recall and hallucinated values, without and with the bundled
model. The model reads ``LIFEBOAT_EVAL_LIMIT`` notes of each of the five styles, spread evenly
through each (default 4: every style, typos and units included, so ``make test`` keeps within
its time budget); ``LIFEBOAT_EVAL_LIMIT=0`` runs it on all of them (docs/performance.md). The
pattern pass always runs on every note.
"""

from __future__ import annotations

import json
import os

import pytest

from appliance.assistant import lexicon
from appliance.assistant.extraction import extract
from tests.assistant.scoring import Score, load_notes


def test_the_note_set_is_large_and_varied() -> None:
    notes = load_notes()
    assert len(notes) >= 120
    assert {n["style"] for n in notes} == {"paramedic", "hospital", "lay", "typo", "units"}
    assert len({n["text"] for n in notes}) == len(notes)


def test_pattern_and_lexicon_pass_without_a_model() -> None:
    score = Score()
    lx = lexicon()
    for note in load_notes():
        score.add(note, extract(note["text"], None, lexicon=lx))
    print("\nno model:", json.dumps(score.report()))
    assert score.hallucinated == 0
    vitals = {k: v for k, v in score.by_field.items() if k.startswith("vitals.")}
    assert all(fp == 0 for _, fp, _ in vitals.values())  # no wrong vital sign, ever
    assert score.recall >= 0.9


def _subset(limit: int) -> list[dict]:
    """``limit`` notes of each style, spread evenly through that style's notes (all: 0)."""
    notes = load_notes()
    if limit <= 0:
        return notes
    by_style: dict[str, list[dict]] = {}
    for n in notes:
        by_style.setdefault(n["style"], []).append(n)
    return [n for group in by_style.values()
            for n in group[::max(1, len(group) // limit)][:limit]]


@pytest.mark.slow
def test_with_the_bundled_model_no_value_is_hallucinated(real_runtime, concepts) -> None:
    notes = _subset(int(os.environ.get("LIFEBOAT_EVAL_LIMIT", "4")))
    lx = lexicon()
    base, with_model = Score(), Score()
    used = 0
    for note in notes:
        base.add(note, extract(note["text"], None, lexicon=lx))
        result = extract(note["text"], real_runtime, concepts, lexicon=lx)
        used += result.model_used
        with_model.add(note, result)
    report = {"notes": len(notes), "model_used": used, "without_model": base.report(),
              "with_model": with_model.report()}
    print("\nextraction evaluation:", json.dumps(report, indent=1))
    assert with_model.hallucinated == 0
    assert with_model.recall >= base.recall  # the model can only add, never remove
    vitals = {k: v for k, v in with_model.by_field.items() if k.startswith("vitals.")}
    assert all(fp == 0 for _, fp, _ in vitals.values())


@pytest.mark.slow
def test_grounded_answers_on_the_protocol_query_set(real_runtime, searcher) -> None:
    """Citation precision and the share of supported sentences (reported; checks enforced)."""
    from pathlib import Path

    from appliance.assistant.grounded import answer
    from appliance.text.spans import is_verbatim

    path = Path(__file__).resolve().parent.parent / "data" / "protocol_queries.jsonl"
    queries = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    # Each grounded answer costs seconds of generation on 2 cores: CI takes an even sample of
    # the query set (every tenth query); LIFEBOAT_EVAL_QUERIES=0 runs all of them.
    wanted = int(os.environ.get("LIFEBOAT_EVAL_QUERIES", "26"))
    if wanted:
        queries = queries[:: max(1, len(queries) // wanted)]
    cited = valid = sentences = supported = not_found = 0
    for q in queries:
        result = answer(q["query"], searcher, real_runtime)
        if result.mode == "not-found":
            not_found += 1
            continue
        texts = {c.number: c.line_text for c in result.citations}  # the cited protocol lines
        for quote in result.quotes:  # the deterministic quotes are verbatim by construction
            body = quote.text.rsplit(" [", 1)[0][1:-1]
            # the cited line stands verbatim in the quote (after any table header or lead-in)
            assert is_verbatim(body, texts[quote.citations[0]])
        for s in result.sentences:
            sentences += 1
            supported += s.supported
            cited += len(s.citations)
            valid += len(s.valid_citations)
    report = {"queries": len(queries), "not_found": not_found, "sentences": sentences,
              "supported_share": round(supported / sentences, 3) if sentences else None,
              "citation_precision": round(valid / cited, 3) if cited else None}
    print("\ngrounded answers:", json.dumps(report))
    assert not_found < len(queries)
