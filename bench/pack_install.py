"""Device install of a large signed pack with precomputed vectors, beside the floor it stands on.

Target: a 20,000-document pack installs in <= 60 s. A pack whose shipped vectors would take
longer to index than the install's budget is active (lexical search) before its vector index
is filled by ``build_vectors``: both times are reported, and their sum. The pack is generated
(five sections per document, so 100,000 sections) and ships vectors; their values do not change
install time, so they are random unit vectors rather than 25 minutes of embedding. Baseline,
measured in the same run: unpacking the same archive and hashing every file, which any verified
install pays. Also reported: process CPU seconds (what the install costs on a quiet machine),
the load average, the disk the install used beside the archive (by part), and the space check's
estimate of it.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import tarfile
import time
from pathlib import Path
from typing import Any

TARGET_S = 60.0
DOCS = 20_000
QUICK_DOCS = 2_000
SECTIONS_PER_DOC = 5


def _words(rng: random.Random, vocabulary: list[str], n: int) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(n))


def generate_source(root: Path, docs: int, seed: int = 7) -> Path:
    """A pack source folder of ``docs`` documents of generated text (about 2.5 KB each)."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ne", "ro", "sa", "ti", "vu", "pre", "dia", "card", "pulm",
                 "gastr", "neur", "hep", "ren", "oste", "derm", "itis", "osis", "emia", "algia"]
    vocabulary = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
                         for _ in range(6000)})
    (root / "docs").mkdir(parents=True)
    (root / "pack.toml").write_text(
        'pack_id = "bench-large"\nversion = "1.0"\npublisher = "Bench"\nlicence = "CC0"\n'
        'title = "Generated pack for install timing"\n')
    for n in range(docs):
        doc_id = f"doc-{n:06d}"
        sections = "".join(f"\n## {_words(rng, vocabulary, 3).title()}\n"
                           f"{_words(rng, vocabulary, 55)}.\n" for _ in range(SECTIONS_PER_DOC))
        (root / "docs" / f"{doc_id}.md").write_text(
            f'+++\nid = "{doc_id}"\ntitle = "{_words(rng, vocabulary, 4).title()}"\n'
            f'category = "reference"\naudience = ["any"]\nversion = "1"\n'
            f'review_date = 2030-01-01\nsources = ["generated"]\n'
            f'keywords = ["{_words(rng, vocabulary, 1)}"]\nstatus = "bench"\n+++\n{sections}')
    return root


def _build(src: Path, key: Path, out: Path) -> Path:
    """Sign ``src`` into ``out`` with random unit vectors standing in for the model's."""
    import numpy as np

    from appliance.protocols import build, index

    real = index.compute_embeddings

    def random_vectors(chunks: list[Any], *args: Any, **kwargs: Any) -> Any:
        matrix = np.random.default_rng(1).standard_normal((len(chunks), 384)).astype(np.float32)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)

    index.compute_embeddings = random_vectors  # type: ignore[assignment]
    try:
        return build.build_pack(src, key, out)
    finally:
        index.compute_embeddings = real


def _du(path: Path) -> int:
    return sum(p.lstat().st_blocks * 512 for p in [path, *path.rglob("*")])


def _baseline(archive: Path, work: Path) -> float:
    started = time.perf_counter()
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    for p in work.rglob("*"):
        if p.is_file():
            hashlib.sha256(p.read_bytes()).hexdigest()
    return time.perf_counter() - started


def run(quick: bool) -> dict[str, Any]:
    from appliance.paths import layout
    from appliance.protocols.bm25 import BM25_DIR
    from appliance.protocols.index import SEARCH_DB
    from appliance.protocols.index import VECTORS as VECTORS_DIR
    from appliance.protocols.lifecycle import build_vectors, install, install_bytes
    from appliance.protocols.trust import generate_keypair, trust_key

    docs = QUICK_DOCS if quick else DOCS
    root = Path(os.environ.get("LIFEBOAT_BENCH_DIR", Path.cwd() / "out" / "bench-pack-install"))
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    try:
        key = root / "publisher.pem"
        generate_keypair(key)
        started = time.perf_counter()
        archive = _build(generate_source(root / "src", docs), key, root / "pack.tar.gz")
        build_s = time.perf_counter() - started
        baseline_s = _baseline(archive, root / "baseline")
        estimate = install_bytes(next((root / "baseline").iterdir()), copy=False)
        lay = layout(root / "home")
        lay.ensure()
        trust_key(lay, key.with_suffix(".pub"))
        stages: dict[str, float] = {}
        mark = [time.perf_counter(), "unpacking"]

        def progress(stage: str, done: int, total: int) -> None:
            now = time.perf_counter()
            stages[str(mark[1])] = stages.get(str(mark[1]), 0.0) + now - float(mark[0])
            mark[:] = [now, stage]

        cpu, started = time.process_time(), time.perf_counter()
        pack = install(lay, archive, progress=progress)
        install_s = time.perf_counter() - started
        cpu_s = time.process_time() - cpu
        progress("", 0, 0)
        deferred = pack.vectors
        started = time.perf_counter()
        vectors = build_vectors(lay) if deferred == "pending" else deferred
        index_s = time.perf_counter() - started if deferred == "pending" else 0.0
        used = _du(pack.directory)
        indexes = used - _du(pack.directory / "content")  # the content was moved, not copied
        parts = {name: round(_du(pack.directory / name) / 2**20, 1)
                 for name in (SEARCH_DB, BM25_DIR, VECTORS_DIR)}
        return {
            "documents": docs, "sections": pack.record["sections"],
            "install_s": round(install_s, 1), "install_cpu_s": round(cpu_s, 1),
            "vectors_at_activation": deferred,
            "vector_index_after_activation_s": round(index_s, 1),
            "install_and_vector_index_s": round(install_s + index_s, 1),
            "indexes_mb_by_part": parts,
            "baseline_unpack_and_hash_s": round(baseline_s, 1),
            "ratio_to_baseline": round(install_s / baseline_s, 1),
            "target_s": TARGET_S, "meets_target": install_s <= TARGET_S,
            "stages_s": {k: round(v, 1) for k, v in stages.items()},
            "vectors": vectors, "build_s_random_vectors": round(build_s, 1),
            "archive_mb": round(archive.stat().st_size / 2**20, 1),
            "installed_mb": round(used / 2**20, 1),
            "installed_to_archive": round(used / archive.stat().st_size, 1),
            "space_check_mb_beyond_unpacked": round(estimate / 2**20, 1),
            "indexes_mb": round(indexes / 2**20, 1),
            "space_check_covers_install": estimate >= indexes,
            "load_average_1m": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)
