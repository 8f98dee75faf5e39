"""The answer-line vectors a pack keeps on disk: one file per document, named by a digest of
the texts embedded, so a document whose lines change is embedded again, never read stale."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

DIM = 384


def path_for(cache: Path, doc_id: str, texts: list[str]) -> Path:
    """Where the vectors of a document whose lines embed as ``texts`` are kept."""
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    return cache / f"{doc_id}-{digest}.npy"


def load(path: Path, rows: int) -> Any:
    """The matrix kept at ``path`` when it is readable and has ``rows`` rows, else None."""
    import numpy as np

    if not path.is_file():
        return None
    try:
        matrix = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None
    return matrix if matrix.shape[0] == rows else None


def embed_and_save(cache: Path, todo: list[tuple[Path, list[str]]]) -> list[Any]:
    """Embed the texts of several documents in one embedder call and save each document's
    matrix at its path; returns the matrices in ``todo``'s order. The embedder sorts a call's
    texts by length, so a batch drawn from several documents pads far less than one document's
    lines alone, each padded to its longest."""
    import numpy as np

    flat = [text for _, texts in todo for text in texts]
    if flat:
        from models.embedder import get_embedder

        matrix = get_embedder().embed(flat)
    else:
        matrix = np.zeros((0, DIM), dtype=np.float32)
    out: list[Any] = []
    start = 0
    for path, texts in todo:
        part = matrix[start:start + len(texts)].copy()
        start += len(texts)
        try:
            cache.mkdir(exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, part, allow_pickle=False)
            tmp.replace(path)
        except OSError:
            pass  # a read-only pack still answers; it embeds again next time
        out.append(part)
    return out
