"""Answer benchmarks (issue 14): time to the answer lines on screen, and their quality.

- ``sample``: the bundled sample pack installed as shipped (vectors from its embeddings): every
  question of both sets (``tests/data/answer_questions*.jsonl``) answered without a model, p50
  and p95 of the time until the lines are ready to show (target p95 <= 300 ms), with top-1 and
  top-3 on the tuning, held-out and blind sets (the blind one written without running the
  engine), and how well off-topic questions
  (``tests/data/answer_offtopic*.jsonl``) get "not found" (precision and recall per split);
- ``large``: a generated 5,000-document pack (``quick``: 300, lexical index, no section
  vectors) answering the same questions (target p95 <= 600 ms), once cold (a document whose
  lines are not embedded yet is ranked by words while a background thread embeds it) and once
  more after the background embedding finished.

Baseline in the same run, interleaved question by question: today's answer path before this
change (section search, then the section sentence sharing most words with the question,
verbatim), timed and scored the same way.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import summarise_ms

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
LATEST_BLIND = 18  # the blind sets run from answer_questions_blind.jsonl to ..._blind18.jsonl
SETS = {"tuning": DATA / "answer_questions.jsonl",
        "held_out": DATA / "answer_questions_heldout.jsonl",
        "blind": DATA / "answer_questions_blind.jsonl",
        **{f"blind{n}": DATA / f"answer_questions_blind{n}.jsonl"
           for n in range(2, LATEST_BLIND + 1)}}
# the off-topic sets began with blind set 4
OFF_TOPIC = {"tuning": DATA / "answer_offtopic.jsonl",
             "held_out": DATA / "answer_offtopic_heldout.jsonl",
             **{f"blind{n}": DATA / f"answer_offtopic_blind{n}.jsonl"
                for n in range(4, LATEST_BLIND + 1)}}


def run(quick: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-answers-") as tmp:
        root = Path(tmp)
        os.environ["LIFEBOAT_HOME"] = str(root / "home")
        return {"load_average": [round(x, 2) for x in os.getloadavg()],
                "sample": _sample(root),
                "large": _large(root, docs=300 if quick else 5000)}


def _questions() -> dict[str, list[dict[str, str]]]:
    from appliance.assistant.evaluation import load_questions

    return {name: load_questions(path) for name, path in SETS.items()}


def _lines_now(question: str, searcher: Any) -> list[str]:
    from appliance.assistant.grounded import answer

    return [q.text for q in answer(question, searcher, None).quotes]


def _not_found(searcher: Any, sets: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    """Per split: "not found" on the off-topic questions against the answerable ones."""
    from appliance.assistant.evaluation import load_off_topic, not_found_report
    from appliance.assistant.grounded import answer

    out = {}
    for name, path in OFF_TOPIC.items():
        on = [answer(row["q"], searcher, None).mode == "not-found" for row in sets[name]]
        off = [answer(row["q"], searcher, None).mode == "not-found"
               for row in load_off_topic(path)]
        out[name] = not_found_report(on, off)
    return out


def _lines_before(question: str, searcher: Any) -> list[str]:
    """Today's path before issue 14: section search, best-overlap sentence per section."""
    words = _content_words(question)
    out = []
    for hit in searcher.search(question, k=5, one_per_doc=False):
        ranked = sorted(_sentences(hit.text), key=lambda s: -len(words & _content_words(s)))
        out += [s for s in ranked if words & _content_words(s)][:1]
    return out


def _content_words(text: str) -> set[str]:
    return {w[:6] for w in re.findall(r"[a-z][a-z0-9]{2,}|\d+", text.lower())}


def _sentences(markdown: str) -> list[str]:
    blocks: list[str] = []
    for line in markdown.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ">", "|")):
            blocks.append("")
        elif re.match(r"^([-*+]|\d+[.)])\s+", stripped):
            blocks.append(re.sub(r"^([-*+]|\d+[.)])\s+", "", stripped))
        elif blocks and blocks[-1]:
            blocks[-1] += " " + stripped
        else:
            blocks.append(stripped)
    return [s.strip() for b in blocks for s in re.split(r"(?<=[.!?])\s+", b)
            if len(s.strip()) > 20]


def _measure(searcher: Any, sets: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    from appliance.assistant.evaluation import score

    times: dict[str, list[float]] = {"now": [], "before": []}
    shown: dict[str, dict[str, list[str]]] = {"now": {}, "before": {}}
    for rows in sets.values():
        for row in rows:  # interleaved, so machine noise hits both alike
            for name, fn in (("now", _lines_now), ("before", _lines_before)):
                t = time.perf_counter()
                shown[name][row["q"]] = fn(row["q"], searcher)
                times[name].append(time.perf_counter() - t)
    out: dict[str, Any] = {}
    for name in ("now", "before"):
        quality = {}
        for set_name, rows in sets.items():
            report = score(rows, lambda q, n=name: (shown[n][q], 0))
            quality[set_name] = {k: report[k] for k in ("questions", "top1", "top3",
                                                        "unsupported_shown")}
        out[name] = {"answer_lines": summarise_ms(times[name]), "quality": quality}
    return out


def _sample(root: Path) -> dict[str, Any]:
    from appliance.paths import Layout
    from appliance.protocols.lifecycle import install_sample_pack
    from appliance.protocols.search import Searcher

    lay = Layout(root / "sample-home")
    lay.ensure()
    t = time.perf_counter()
    pack = install_sample_pack(lay)
    install_s = time.perf_counter() - t
    searcher = Searcher(pack.directory, vectors_ready=pack.vectors == "ready")
    sets = _questions()
    _lines_now("warm up", searcher)  # loads the embedder (the TUI does this at sign-in)
    result = {"vectors": pack.vectors, "install_s_with_line_vectors": round(install_s, 1),
              **_measure(searcher, sets), "target_p95_ms": 300,
              "not_found": _not_found(searcher, sets)}
    searcher.close()
    return result


def _large(root: Path, docs: int) -> dict[str, Any]:
    from appliance.protocols import index
    from appliance.protocols.documents import parse_document
    from appliance.protocols.expansion import load_synonyms
    from appliance.protocols.search import Searcher
    from bench.protocols import _generate_source

    src = _generate_source(root / f"large-{docs}", docs)
    documents = [parse_document(f"docs/{p.name}", p.read_bytes())
                 for p in sorted((src / "docs").glob("*.md"))]
    target = root / "large-install"
    target.mkdir()
    index.build_search_db(target / index.SEARCH_DB, documents,
                          load_synonyms(src / "search" / "synonyms.toml"), {})
    shutil.rmtree(src, ignore_errors=True)
    searcher = Searcher(target, vectors_ready=False)
    sets = _questions()
    cold = _measure(searcher, sets)
    from appliance.assistant.answer_terms import line_index

    t = time.perf_counter()
    index = line_index(searcher)
    if index is not None:
        index.settle()  # the documents the cold pass queued, embedded in the background
    settle_s = time.perf_counter() - t
    warm = _measure(searcher, sets)
    searcher.close()
    return {"documents": docs, "section_vectors": "none (lexical document search)",
            "cold": {k: v["answer_lines"] for k, v in cold.items()},
            "background_embedding_left_after_cold_pass_s": round(settle_s, 1),
            "warm": warm, "target_p95_ms": 600,
            "note": "questions are labelled for the sample pack; quality here is indicative"}
