"""Protocol search and install benchmarks (issue 3 targets).

- ``sample``: the bundled sample pack: install time, search latency per mode (query embedding
  included) and recall@1/@5 on ``tests/data/protocol_queries.jsonl``.
- ``large``: a generated pack of 20,000 documents (100,000 sections; ``quick``: 300): search
  latency p50/p95 for FTS, vector and hybrid (target p95 <= 30 ms for each), for the query sets'
  questions and separately for long ones (60+ words, as real questions run to), beside the
  search code of git ``main`` on the same index (``bench/search_baseline.py``). Its text is
  recombined from the sample pack; its vectors are random unit vectors (latency only, labelled
  as such), because embedding 100,000 sections on 2 cores would dominate the run and HNSW query
  cost does not depend on what the vectors mean.
- ``install``: a generated 1,000-document pack (``quick``: 30) built and signed with
  precomputed embeddings, then installed (verify + index + vectors; target <= 90 s). Quick mode
  embeds with the real model and reports its throughput; full mode ships random float16 vectors
  in the same files (labelled) because embedding 5,000 sections on a shared 2-core machine takes
  longer than the whole install; the install path reads, checks and indexes them identically.
  Also reports the projected install time for a pack that ships no embeddings.

``LIFEBOAT_BENCH_PROTOCOLS_PARTS`` (e.g. ``large``) runs only the named parts.

Baselines measured in the same run: a bare single-term FTS5 query over the section and the
document table (latency) and copying plus hashing the pack's files (install).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import summarise_ms

REPO = Path(__file__).resolve().parent.parent
QUERIES = REPO / "tests" / "data" / "protocol_queries.jsonl"
REAL_QUESTIONS = REPO / "tests" / "data" / "medquad_questions.jsonl"
LONG_WORDS = 60


def run(quick: bool) -> dict[str, Any]:
    """Run all protocol benchmarks; JSON-serialisable results."""
    with tempfile.TemporaryDirectory(prefix="bench-protocols-") as tmp:
        root = Path(tmp)
        os.environ["LIFEBOAT_HOME"] = str(root / "home")
        parts = os.environ.get("LIFEBOAT_BENCH_PROTOCOLS_PARTS", "sample,large,install")
        out: dict[str, Any] = {"load_average": [round(x, 2) for x in os.getloadavg()]}
        if "sample" in parts:
            out["sample"] = _sample(root)
        if "large" in parts:
            out["large"] = _large(root, docs=300 if quick else 20000)
        if "install" in parts:
            out["install"] = _install(root, docs=30 if quick else 1000)
        out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        return out


def _layout(root: Path) -> Any:
    from appliance.paths import Layout

    lay = Layout(root)
    lay.ensure()
    return lay


def _queries() -> list[str]:
    from appliance.protocols.evaluation import load_queries

    return [q["query"] for q in load_queries(QUERIES)] if QUERIES.exists() else ["chest pain"]


def _long_questions() -> list[str]:
    """20 questions of 60+ words: each of the real questions' 20 longest joined to the next
    ones until it is that long, as people ramble (20, so that a p95 is not one sample)."""
    from appliance.protocols.evaluation import load_queries

    if not REAL_QUESTIONS.exists():
        return []
    longest = sorted((q["query"] for q in load_queries(REAL_QUESTIONS)),
                     key=lambda q: -len(q.split()))[:20]
    joined = []
    for i, question in enumerate(longest):
        parts = [question]
        while len(" and also ".join(parts).split()) < LONG_WORDS:
            parts.append(longest[(i + len(parts)) % len(longest)])
        joined.append(" and also ".join(parts))
    return joined


def _latency(searcher: Any, queries: list[str], n: int) -> dict[str, Any]:
    searcher.warm()
    out: dict[str, Any] = {}
    long_questions = _long_questions()
    for mode in ("fts", "vector", "hybrid"):
        samples = []
        for q in (queries * (n // max(1, len(queries)) + 1))[:n]:
            t = time.perf_counter()
            searcher.search(q, k=10, mode=mode)
            samples.append(time.perf_counter() - t)
        out[mode] = summarise_ms(samples)
        samples = []
        for q in long_questions * 5:
            t = time.perf_counter()
            searcher.search(q, k=10, mode=mode)
            samples.append(time.perf_counter() - t)
        out[f"{mode}_{LONG_WORDS}plus_words"] = summarise_ms(samples)
    # Baselines: one bare FTS term, unranked, no expansion, no fusion; over the section table
    # (the name kept from before search ranked documents) and over the document table.
    conn = sqlite3.connect(searcher.directory / "search.db")
    for name, table in (("baseline_bare_fts", "sections_fts"),
                        ("baseline_bare_fts_docs", "docs_fts")):
        samples = []
        for q in queries[:n]:
            term = (q.split() or ["pain"])[0].replace('"', "")
            t = time.perf_counter()
            conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT 10",
                         (f'"{term}"',)).fetchall()
            samples.append(time.perf_counter() - t)
        out[name] = summarise_ms(samples)
    out["target_p95_ms"] = 30.0
    out["hybrid_p95_ratio_to_target"] = round(out["hybrid"]["p95_ms"] / 30.0, 3)
    return out


def _sample(root: Path) -> dict[str, Any]:
    from appliance.protocols.evaluation import MODES, load_queries, recall
    from appliance.protocols.lifecycle import install_sample_pack
    from appliance.protocols.search import Searcher

    lay = _layout(root / "sample-home")
    t = time.perf_counter()
    pack = install_sample_pack(lay)
    installed_s = time.perf_counter() - t
    searcher = Searcher(pack.directory, vectors_ready=pack.vectors == "ready")
    result: dict[str, Any] = {"install_s": round(installed_s, 2), "vectors": pack.vectors,
                              "sections": pack.record["sections"],
                              "latency": _latency(searcher, _queries(), 300)}
    if QUERIES.exists():
        queries = load_queries(QUERIES)
        result["recall"] = {m: {k: v for k, v in recall(searcher, queries, m).items()
                                if k != "misses"} for m in MODES}
    return result


def _generate_source(directory: Path, docs: int, seed: int = 7) -> Path:
    """A pack source of ``docs`` documents recombined from the sample pack's sections."""
    from appliance.protocols.documents import parse_document, split_sections
    from appliance.protocols.lifecycle import SAMPLE_PACK

    rng = random.Random(seed)
    samples = [parse_document(f"docs/{p.name}", p.read_bytes())
               for p in sorted((SAMPLE_PACK / "docs").glob("*.md"))]
    sections = [s for d in samples for s in split_sections(d) if s.text]
    (directory / "docs").mkdir(parents=True)
    shutil.copytree(SAMPLE_PACK / "search", directory / "search")
    (directory / "pack.toml").write_text(
        f'pack_id = "bench-{docs}"\nversion = "1.0"\npublisher = "Bench"\nlicence = "CC0"\n')
    for i in range(docs):
        base = rng.choice(samples)
        body = [f"# {base.title} ({i})"]
        for s in rng.sample(sections, 5):
            body.append(f"\n## {s.heading} {i}\n\n{s.text}\n")
        kw = ", ".join(f'"{k}"' for k in base.keywords[:6])
        (directory / "docs" / f"doc-{i:05d}.md").write_text(
            f'+++\nid = "doc-{i:05d}"\ntitle = "{base.title} ({i})"\n'
            f'category = "{base.category}"\naudience = ["any"]\nversion = "1.0"\n'
            f'review_date = "2030-01-01"\nsources = ["bench"]\nkeywords = [{kw}]\n'
            f'status = "generated for benchmarking"\n+++\n' + "\n".join(body))
    return directory


def build_generated(src: Path, target: Path) -> tuple[int, float, float]:
    """The search database and random unit vectors of a generated source folder, written into
    ``target``: (sections, seconds for the database, seconds for the vectors)."""
    import numpy as np

    from appliance.protocols import index
    from appliance.protocols.documents import parse_document
    from appliance.protocols.expansion import load_synonyms

    documents = [parse_document(f"docs/{p.name}", p.read_bytes())
                 for p in sorted((src / "docs").glob("*.md"))]
    t = time.perf_counter()
    n = index.build_search_db(target / index.SEARCH_DB, documents,
                              load_synonyms(src / "search" / "synonyms.toml"), {})
    fts_s = time.perf_counter() - t
    ids = [s.section_id for _, s in index.chunk_pack(documents)]
    vectors = np.random.default_rng(1).standard_normal((len(ids), 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    t = time.perf_counter()
    index.write_vectors(target / index.VECTORS, ids, vectors)
    return n, fts_s, time.perf_counter() - t


def _large(root: Path, docs: int) -> dict[str, Any]:
    from appliance.protocols.search import Searcher

    src = _generate_source(root / f"large-{docs}", docs)
    target = root / "large-install"
    target.mkdir()
    n, fts_s, chroma_s = build_generated(src, target)
    from bench.search_baseline import baseline_searcher

    searcher = Searcher(target)
    baseline = baseline_searcher(target)
    return {"documents": docs, "sections": n, "fts_index_s": round(fts_s, 2),
            "chroma_index_s": round(chroma_s, 2), "vectors": "synthetic (latency only)",
            "latency": _latency(searcher, _queries(), 300),
            "vector_parts": _vector_parts(searcher, _queries()),
            "baseline_main_latency": (_latency(baseline, _queries(), 300)
                                      if baseline is not None else None)}


def _vector_parts(searcher: Any, queries: list[str]) -> dict[str, Any]:
    """Where vector search's time goes: embedding the query, and the index query alone."""
    from appliance.protocols.fusion import CANDIDATES
    from models.embedder import get_embedder

    embedder = get_embedder()
    collection = searcher._vectors._get_collection()
    embed, lookup = [], []
    for q in queries:
        t = time.perf_counter()
        vector = [float(x) for x in embedder.embed_one(q)]
        embed.append(time.perf_counter() - t)
        t = time.perf_counter()
        collection.query(query_embeddings=[vector], n_results=CANDIDATES, include=["distances"])
        lookup.append(time.perf_counter() - t)
    return {"embed_query": summarise_ms(embed), "index_query": summarise_ms(lookup)}


def _install(root: Path, docs: int) -> dict[str, Any]:
    from appliance.protocols.build import build_pack
    from appliance.protocols.lifecycle import install
    from appliance.protocols.trust import generate_keypair, trust_key

    src = _generate_source(root / f"install-{docs}", docs, seed=11)
    key = root / "bench-publisher.pem"
    generate_keypair(key)
    embed_times: list[float] = []
    t = time.perf_counter()
    real = docs <= 200
    built = build_pack(src, key, embed=real, progress=lambda stage, done, total: embed_times.append(
        time.perf_counter()) if stage == "embedding" else None)
    build_s = time.perf_counter() - t
    embed_s = (embed_times[-1] - t) if embed_times else 0.0
    if not real:
        _ship_synthetic_embeddings(built, key)
    lay = _layout(root / "install-home")
    trust_key(lay, key.with_suffix(".pub"))
    t = time.perf_counter()
    copy = root / "baseline-copy"
    shutil.copytree(built, copy)
    for p in copy.rglob("*"):
        if p.is_file():
            hashlib.sha256(p.read_bytes()).hexdigest()
    baseline_s = time.perf_counter() - t
    t = time.perf_counter()
    pack = install(lay, built)
    install_s = time.perf_counter() - t
    sections = pack.record["sections"]
    rate = round(sections / embed_s, 1) if embed_s else None
    return {"documents": docs, "sections": sections, "build_s": round(build_s, 2),
            "shipped_embeddings": "model" if real else "synthetic (install timing only)",
            "embedding_chunks_per_s": rate,
            "install_s": round(install_s, 2), "target_install_s": 90.0,
            "install_ratio_to_target": round(install_s / 90.0, 3),
            "baseline_copy_and_hash_s": round(baseline_s, 2),
            "projected_install_if_pack_ships_no_embeddings_s":
                round(install_s + embed_s, 1) if real else None,
            "vectors": pack.vectors}


def _ship_synthetic_embeddings(root: Path, key: Path) -> None:
    """Write random float16 vectors where build writes real ones, then re-sign the pack."""
    import io
    import json

    import numpy as np

    from appliance.protocols import index
    from appliance.protocols.documents import parse_document
    from appliance.protocols.manifest import MANIFEST, SIGNATURE, Manifest, sign
    from appliance.protocols.source import list_files
    from appliance.protocols.trust import load_private_key
    from models.embedder import MODEL_SHA256

    docs = [parse_document(f"docs/{p.name}", p.read_bytes())
            for p in sorted((root / "docs").glob("*.md"))]
    chunks = index.chunk_pack(docs)
    vectors = np.random.default_rng(2).standard_normal((len(chunks), 384))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    (root / "index").mkdir(exist_ok=True)
    buf = io.BytesIO()
    np.save(buf, vectors.astype(np.float16), allow_pickle=False)
    (root / index.EMBEDDINGS).write_bytes(buf.getvalue())
    (root / index.CHUNKS).write_text(json.dumps(
        {"model_sha256": MODEL_SHA256, "sections": index.chunk_fingerprints(chunks)}))
    old = json.loads((root / MANIFEST).read_text())
    files = {rel: hashlib.sha256((root / rel).read_bytes()).hexdigest()
             for rel in list_files(root) if rel not in (MANIFEST, SIGNATURE)}
    data = Manifest(**{**old, "files": files}).to_bytes()
    (root / MANIFEST).write_bytes(data)
    (root / SIGNATURE).write_bytes(sign(data, load_private_key(key)))
