"""Protocol search at a Trust's scale, on real questions (issue 18).

``python -m bench search_scale --corpus PATH [--docs N]``: PATH is the MedQuAD test corpus
(``medquad_corpus.tar.gz``, or the ``medquad-pack`` folder inside it; the project keeps it in
``shared/data/``: 17,908 consumer-health documents, CC BY 4.0, MedQuAD by Ben Abacha and
Demner-Fushman 2019). Without it the benchmark says where to get it and is skipped.

The pack's search index is built with the install path's own code (``build_search_db`` and
``write_vectors``; signing and verification are left out, they do not change search) and cached
under the work directory (``LIFEBOAT_BENCH_WORK``, default: the system temp folder), keyed by
the documents and the model, so a rerun only searches. Section embeddings are cached there too,
in shards written as they are computed, so an interrupted first run resumes. ``--docs N`` uses
every judged document plus a fixed random sample of the rest, N in all (default: all).

Prints, per mode (fts, vector, hybrid): hit@5 and MRR@10 on the tuning questions
(``tests/data/medquad_questions.jsonl``, used to choose the fusion) and on the held-out ones
(``..._heldout.jsonl``, never used to choose anything), and search latency p50/p95 (all
questions; and questions of 20+ words). Beside it, the same for the search code of git ``main``
(``LIFEBOAT_BENCH_BASELINE_REF`` to change), imported from a copy of its modules in the same run.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import summarise_ms
from bench.search_baseline import baseline_searcher

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
TUNE = DATA / "medquad_questions.jsonl"
HELD_OUT = DATA / "medquad_questions_heldout.jsonl"
WHERE = ("the MedQuAD test corpus: shared/data/medquad_corpus.tar.gz beside the project's "
         "checkouts (17,908 documents as a pack source folder, one per answer; MedQuAD, Ben "
         "Abacha and Demner-Fushman, BMC Bioinformatics 2019, CC BY 4.0)")
MODES = ("fts", "vector", "hybrid")
LONG_WORDS = 20


def run(quick: bool, corpus: Path | None = None, docs: int | None = None) -> dict[str, Any]:
    """Build (or reuse) the corpus index and measure quality and latency per mode."""
    if corpus is None or not corpus.exists():
        return {"skipped": f"no corpus at {corpus}: pass --corpus PATH to {WHERE}"}
    work = Path(os.environ.get("LIFEBOAT_BENCH_WORK")
                or Path(tempfile.gettempdir()) / "lifeboat-bench-search-scale")
    os.environ.setdefault("LIFEBOAT_HOME", str(work / "home"))
    source = _source(corpus, work)
    if quick and docs is None:
        docs = 2000
    started = time.perf_counter()
    pack_dir, n_docs, n_sections = build_index(source, work, docs)
    build_s = time.perf_counter() - started
    tune, held = _questions(pack_dir)
    from appliance.protocols.search import Searcher

    result: dict[str, Any] = {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "corpus": {"docs": n_docs, "sections": n_sections, "index": str(pack_dir),
                   "build_or_reuse_s": round(build_s, 1)},
        "questions": {"tune": len(tune), "held_out": len(held)},
        "current": measure(Searcher(pack_dir), tune, held),
    }
    baseline = baseline_searcher(pack_dir)
    if baseline is not None:
        result["baseline_main"] = measure(baseline, tune, held)
    return result


def measure(searcher: Any, tune: list[dict[str, Any]], held: list[dict[str, Any]]
            ) -> dict[str, Any]:
    """hit@5 / MRR@10 per mode on both sets, and latency per mode (warm, in-process)."""
    from appliance.protocols.evaluation import ranking_quality

    searcher.warm()
    out: dict[str, Any] = {}
    for mode in MODES:
        timings: list[float] = []
        long_timings: list[float] = []
        quality = {}
        for name, queries in (("tune", tune), ("held_out", held)):
            ranked = []
            for q in queries:
                t = time.perf_counter()
                hits = searcher.search(q["query"], k=10, mode=mode)
                elapsed = time.perf_counter() - t
                timings.append(elapsed)
                if len(q["query"].split()) >= LONG_WORDS:
                    long_timings.append(elapsed)
                ranked.append([h.doc_id for h in hits])
            quality[name] = ranking_quality(ranked, queries)
        out[mode] = {**quality, "latency": summarise_ms(timings),
                     f"latency_{LONG_WORDS}plus_words": summarise_ms(long_timings)}
    return out


def _questions(pack_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The judged questions whose answers are all in the index (a subset may lack some)."""
    import sqlite3

    from appliance.protocols.evaluation import load_queries

    conn = sqlite3.connect(pack_dir / "search.db")
    present = {r[0] for r in conn.execute("SELECT id FROM docs")}
    conn.close()
    sets = []
    for path in (TUNE, HELD_OUT):
        rows = []
        for q in load_queries(path):
            relevant = [d for d in q["relevant"] if d in present]
            if relevant:
                rows.append({**q, "relevant": relevant})
        sets.append(rows)
    return sets[0], sets[1]


def _source(corpus: Path, work: Path) -> Path:
    """The pack source folder: ``corpus`` itself, or the archive unpacked once into ``work``."""
    if corpus.is_dir():
        return corpus
    target = work / "corpus"
    done = target / ".unpacked"
    if not done.exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        with tarfile.open(corpus) as tar:
            tar.extractall(target, filter="data")
        done.touch()
    folders = [p.parent for p in target.glob("*/pack.toml")]
    if not folders:
        raise SystemExit(f"{corpus} holds no pack source folder (pack.toml); expected {WHERE}")
    return folders[0]


def _judged() -> set[str]:
    from appliance.protocols.evaluation import load_queries

    return {d for path in (TUNE, HELD_OUT) for q in load_queries(path) for d in q["relevant"]}


def select_docs(paths: list[Path], docs: int | None, seed: int = 18) -> list[Path]:
    """Every judged document, plus a fixed random sample of the others, ``docs`` in all."""
    if docs is None or docs >= len(paths):
        return paths
    judged = _judged()
    keep = [p for p in paths if p.stem in judged]
    rest = [p for p in paths if p.stem not in judged]
    random.Random(seed).shuffle(rest)
    return sorted(keep + rest[:max(0, docs - len(keep))])


def build_index(source: Path, work: Path, docs: int | None) -> tuple[Path, int, int]:
    """The cached index folder for these documents (built when absent), docs, sections."""
    from appliance.protocols.documents import parse_document
    from appliance.protocols.index import chunk_pack
    from models.embedder import MODEL_SHA256

    paths = select_docs(sorted((source / "docs").glob("*.md")), docs)
    key = hashlib.sha256("\n".join([MODEL_SHA256, *(p.name for p in paths)]).encode())
    pack_dir = work / "packs" / key.hexdigest()[:16]
    info = pack_dir / "built.json"
    if info.exists():
        counts = json.loads(info.read_text())
        return pack_dir, counts["docs"], counts["sections"]
    documents = [parse_document(f"docs/{p.name}", p.read_bytes()) for p in paths]
    chunks = chunk_pack(documents)
    matrix = cached_embeddings(chunks, work / "embeddings" / MODEL_SHA256[:16])
    staging = pack_dir.with_name(pack_dir.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    from appliance.protocols.index import VECTORS, build_search_db, write_vectors

    sections = build_search_db(staging / "search.db", documents, {}, {"pack_id": "medquad"})
    write_vectors(staging / VECTORS, [s.section_id for _, s in chunks], matrix)
    (staging / "built.json").write_text(json.dumps({"docs": len(documents),
                                                    "sections": sections}))
    shutil.rmtree(pack_dir, ignore_errors=True)
    staging.replace(pack_dir)
    return pack_dir, len(documents), sections


def cached_embeddings(chunks: list[Any], cache: Path, shard: int = 512) -> Any:
    """Embeddings of ``chunks`` from ``cache`` (by text hash), computing and saving the missing
    ones a shard at a time, so an interrupted run loses at most one shard."""
    import sys

    import numpy as np

    from appliance.protocols.index import embed_text
    from models.embedder import get_embedder

    cache.mkdir(parents=True, exist_ok=True)
    texts = [embed_text(d, s) for d, s in chunks]
    keys = [hashlib.sha256(t.encode()).hexdigest()[:24] for t in texts]
    known: dict[str, Any] = {}
    for path in sorted(cache.glob("shard-*.npz")):
        with np.load(path) as z:
            known.update(zip(z["keys"].tolist(), z["vectors"], strict=True))
    todo = sorted({k: i for i, k in enumerate(keys) if k not in known}.values())
    started, n = time.perf_counter(), len(list(cache.glob("shard-*.npz")))
    for start in range(0, len(todo), shard):
        rows = todo[start:start + shard]
        vectors = get_embedder().embed([texts[i] for i in rows]).astype(np.float16)
        tmp = cache / f".shard-{n:05d}.npz"
        with open(tmp, "wb") as f:
            np.savez(f, keys=np.array([keys[i] for i in rows]), vectors=vectors)
        tmp.replace(cache / f"shard-{n:05d}.npz")
        n += 1
        known.update(zip((keys[i] for i in rows), vectors, strict=True))
        done = start + len(rows)
        rate = done / max(1e-9, time.perf_counter() - started)
        print(f"embedding {done}/{len(todo)} ({rate:.0f}/s, {(len(todo) - done) / rate:.0f} s "
              "left)", file=sys.stderr)
    return np.stack([known[k] for k in keys]).astype(np.float32)
