"""Embedding a large pack's sections: both cores, and finished batches kept on disk.

A publisher's build of a 20,000-document pack embeds for minutes, so an interruption must not
lose the work: each finished batch is written atomically into a cache directory as the keys of
its texts and their vectors. A text's key is sha256(model sha256, text), so a changed section or
a different model misses the cache and is embedded again, and a rerun embeds only what is
missing. Texts are sorted by length before batching so that each batch pads little.

Large jobs run in worker processes, and small ones in this process. The embedder runs one
thread (models/embedder.py): on a shared machine a second thread waiting for a descheduled
partner made embedding several times slower, while separate processes keep both cores busy
without waiting for each other (figures in docs/performance.md).
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance.fsutil import atomic_write_bytes

if TYPE_CHECKING:
    import numpy as np

Progress = Callable[[str, int, int], None]
BATCH = 128
"""Texts per cached batch: a few seconds of work, so an interruption loses little."""
POOL_MIN_BATCHES = 4
"""Below this many batches to embed, the worker processes' start-up costs more than it saves."""


def text_key(text: str) -> bytes:
    """The cache key of one text: it changes with the text and with the model's weights."""
    from models.embedder import MODEL_SHA256

    return hashlib.sha256(f"{MODEL_SHA256}\0{text}".encode()).digest()


class BatchCache:
    """Finished batches as ``batch-*.npz`` files (keys and float32 vectors, no pickles)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def load(self) -> dict[bytes, Any]:
        """Every cached vector by key; an unreadable batch file is ignored (re-embedded)."""
        import numpy as np

        found: dict[bytes, Any] = {}
        if not self.directory.is_dir():
            return found
        for path in sorted(self.directory.glob("batch-*.npz")):
            try:
                with np.load(path, allow_pickle=False) as data:
                    keys, vectors = data["keys"], data["vectors"]
            except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                continue
            if keys.ndim != 2 or keys.shape[1] != 32 or len(keys) != len(vectors):
                continue
            for key, vector in zip(keys, vectors, strict=True):
                found[key.tobytes()] = vector
        return found

    def save(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        import numpy as np

        key_array = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 32)
        buf = io.BytesIO()
        np.savez(buf, keys=key_array, vectors=vectors.astype(np.float32))
        name = hashlib.sha256(b"".join(keys)).hexdigest()[:24]
        atomic_write_bytes(self.directory / f"batch-{name}.npz", buf.getvalue())


def embed_texts(texts: Sequence[str], *, cache: BatchCache | None = None,
                progress: Progress | None = None, workers: int | None = None,
                stage: str = "embedding") -> np.ndarray:
    """Embed ``texts`` -> float32 (len(texts), 384), reusing and filling ``cache``.

    ``workers`` defaults to the number of CPUs; 1 embeds in this process. Ctrl-C stops the
    workers at once; batches finished before it stay in the cache.
    """
    import numpy as np

    from models.embedder import DIM

    out = np.zeros((len(texts), DIM), dtype=np.float32)
    keys = [text_key(t) for t in texts]
    cached = cache.load() if cache is not None else {}
    todo: list[int] = []
    for i, key in enumerate(keys):
        hit = cached.get(key)
        if hit is None:
            todo.append(i)
        else:
            out[i] = hit
    done = len(texts) - len(todo)
    if progress:
        progress(stage, done, len(texts))
    todo.sort(key=lambda i: len(texts[i]))
    batches = [todo[s:s + BATCH] for s in range(0, len(todo), BATCH)]
    jobs = [[texts[i] for i in batch] for batch in batches]
    for n, vectors in _run(jobs, workers or os.cpu_count() or 1):
        rows = batches[n]
        out[rows] = vectors
        if cache is not None:
            cache.save([keys[i] for i in rows], vectors)
        done += len(rows)
        if progress:
            progress(stage, done, len(texts))
    return out


def _run(jobs: list[list[str]], workers: int) -> Iterator[tuple[int, np.ndarray]]:
    """(job number, vectors) for every job, in the order they finish."""
    if workers <= 1 or len(jobs) < POOL_MIN_BATCHES:
        from models.embedder import get_embedder

        embedder = get_embedder()
        for n, texts in enumerate(jobs):
            yield n, embedder.embed(texts)
        return
    import multiprocessing

    # spawn, not fork: the parent may hold onnxruntime and chromadb/sqlite handles.
    pool = multiprocessing.get_context("spawn").Pool(min(workers, len(jobs)),
                                                     initializer=_worker_init)
    try:
        yield from pool.imap_unordered(_worker_embed, enumerate(jobs))
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _worker_init() -> None:
    import signal

    # The parent handles Ctrl-C and stops the pool; workers printing tracebacks would only
    # bury its message.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # One thread per worker: numpy's OpenBLAS is told before it loads in this fresh process
    # (the embedder itself runs one onnxruntime thread).
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    from models.embedder import get_embedder

    get_embedder()


def _worker_embed(job: tuple[int, list[str]]) -> tuple[int, np.ndarray]:
    from models.embedder import get_embedder

    n, texts = job
    return n, get_embedder().embed(texts)


def estimate_seconds(texts: Sequence[str], sample: int = 48) -> float:
    """Seconds to embed ``texts`` in this process, from timing an even sample of them.

    The model load and a warm-up run are not counted; the caller pays the load once anyway.
    """
    import time

    from models.embedder import get_embedder

    if not texts:
        return 0.0
    embedder = get_embedder()
    step = max(1, len(texts) // sample)
    picked = list(texts[::step])[:sample]
    embedder.embed(picked[:4])
    started = time.perf_counter()
    embedder.embed(picked)
    return (time.perf_counter() - started) * len(texts) / len(picked)
