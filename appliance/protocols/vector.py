"""Semantic search: the query embedded and looked up in the pack's chromadb section vectors.

The query is embedded as typed: embedding the synonym-expanded query makes the lexical and the
semantic rankings share their mistakes, and independent signals fuse best. The collection and
the embedder load on first use and stay resident for the searcher's life, so only the first
query pays their load time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from appliance.protocols.fusion import CANDIDATES
from appliance.protocols.index import COLLECTION

# The most word pieces of a query the embedder is given: past a few dozen pieces its forward
# pass is compute-bound and costs in proportion to them. A longer query keeps its start and its
# last QUERY_TAIL_TOKENS pieces (the closing [SEP] among them): a long question often names the
# patient and the problem first and ends with what is asked; the middle is left to bm25. Both
# chosen on long questions joined from the tuning half (docs/performance.md): cut from the
# start only, hybrid search lost hit@5 below 96 pieces; with the end kept, 64 held it; since
# long questions are embedded with 8-bit weights (models/embedder.py), 48 did as well as 64.
QUERY_TOKENS = 48
QUERY_TAIL_TOKENS = 16

# Section ids -> their rowids in search.db (a lookup the lexical side owns).
RowidsOf = Callable[[list[str]], dict[str, int]]


class Vectors:
    """Nearest sections of a query in one pack's vector index."""

    def __init__(self, directory: Path, rowids_of: RowidsOf) -> None:
        self.directory = directory
        self._rowids_of = rowids_of
        self._collection: Any = None
        self._lock = threading.Lock()

    def _get_collection(self) -> Any:
        with self._lock:
            if self._collection is None:
                from appliance.protocols.index import chroma_client

                self._collection = chroma_client(self.directory).get_collection(
                    COLLECTION, embedding_function=None)
            return self._collection

    def nearest(self, text: str, n: int = CANDIDATES) -> list[tuple[int, float]]:
        """Nearest sections as (rowid, cosine distance), nearest first."""
        from models.embedder import get_embedder

        query = get_embedder().embed_one(text, max_tokens=QUERY_TOKENS,
                                         keep_last=QUERY_TAIL_TOKENS).tolist()
        result = self._get_collection().query(query_embeddings=[query], n_results=n,
                                              include=["distances"])
        ids = result["ids"][0]
        if not ids:
            return []
        distances = dict(zip(ids, result["distances"][0], strict=True))
        rows = self._rowids_of(ids)
        return [(rows[i], distances[i]) for i in ids if i in rows]
