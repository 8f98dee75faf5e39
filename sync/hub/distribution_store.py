"""Published packs and models kept in the hub database, so every hub process serves the same bytes.

A file is stored as fixed-size chunks (``dist_chunks``) and becomes visible only when its signed
manifest row (``dist_items``) is written, after the last chunk: a publish cut short leaves nothing
a device can see, and publishing again replaces the orphaned chunks. A version, once published,
never changes content (a device resuming a download on another process must get the same bytes).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appliance.errors import StoreError, ValidationError
from sync.hub.storage import HubStore

CHUNK_BYTES = 1 << 20
CHUNKS_PER_TX = 8
"""Chunks written per transaction while publishing (bounded memory and transaction size)."""


@dataclass(frozen=True)
class Item:
    kind: str
    name: str
    version: str
    signed: dict[str, Any]
    size: int
    chunk_size: int

    @property
    def key(self) -> tuple[str, str, str]:
        return self.kind, self.name, self.version


def find(store: HubStore, kind: str, name: str, version: str) -> Item | None:
    rows = store.query("SELECT signed, size, chunk_size FROM dist_items WHERE kind = ? AND "
                       "name = ? AND version = ?", (kind, name, version))
    if not rows:
        return None
    r = rows[0]
    return Item(kind, name, version, json.loads(r["signed"]), int(r["size"]),
                int(r["chunk_size"]))


def catalog(store: HubStore) -> list[dict[str, Any]]:
    """Every published signed manifest, oldest first."""
    rows = store.query("SELECT signed FROM dist_items ORDER BY published_at, kind, name, "
                       "version")
    return [json.loads(r["signed"]) for r in rows]


def put(store: HubStore, signed: dict[str, Any], source: Path) -> dict[str, Any]:
    """Store ``source`` under its manifest; returns the signed manifest devices will see.

    Publishing the same content again returns the manifest already published; other content
    under a published version is refused.
    """
    m = signed["manifest"]
    key = (m["kind"], m["name"], m["version"])
    existing = find(store, *key)
    if existing is not None:
        if existing.signed["manifest"]["sha256"] == m["sha256"]:
            return existing.signed
        raise ValidationError(
            f"{m['kind']} {m['name']} {m['version']} is already published with other "
            "content; devices may be half-way through downloading it.",
            hint="Publish the new file under a new version.")
    store.atomic(lambda tx: tx.execute("DELETE FROM dist_chunks WHERE kind = ? AND name = ? "
                                       "AND version = ?", key))
    seq, digest, size = 0, hashlib.sha256(), 0
    with source.open("rb") as fh:
        while True:
            batch = [block for block in (fh.read(CHUNK_BYTES) for _ in range(CHUNKS_PER_TX))
                     if block]
            if not batch:
                break
            for block in batch:
                digest.update(block)
                size += len(block)
            rows = [(*key, seq + i, block) for i, block in enumerate(batch)]

            def insert(tx: Any, rows: list[tuple[Any, ...]] = rows) -> None:
                tx.executemany("INSERT INTO dist_chunks (kind, name, version, seq, data) "
                               "VALUES (?,?,?,?,?)", rows)

            store.atomic(insert)
            seq += len(batch)
    if (digest.hexdigest(), size) != (m["sha256"], m["size"]):
        raise ValidationError(f"{source} changed while it was being published; nothing was "
                              "offered to devices.", hint="Publish it again.")

    def publish_row(tx: Any) -> None:
        tx.execute("INSERT INTO dist_items (kind, name, version, signed, size, sha256, "
                   "chunk_size, published_at) VALUES (?,?,?,?,?,?,?,?)",
                   (*key, json.dumps(signed, sort_keys=True), m["size"], m["sha256"],
                    CHUNK_BYTES, m["published_at"]))

    store.atomic(publish_row)
    return signed


def read_range(store: HubStore, item: Item, start: int, end: int) -> bytes:
    """Bytes ``start``..``end`` (inclusive) of a published file."""
    first, last = start // item.chunk_size, end // item.chunk_size
    rows = store.atomic(lambda tx: tx.execute(
        "SELECT seq, data FROM dist_chunks WHERE kind = ? AND name = ? AND version = ? AND "
        "seq BETWEEN ? AND ? ORDER BY seq", (*item.key, first, last)))
    if [r[0] for r in rows] != list(range(first, last + 1)):
        raise StoreError(f"Chunks of {item.kind} {item.name} {item.version} are missing from "
                         "the hub database.", hint="Publish it again under a new version.")
    data = b"".join(bytes(r[1]) for r in rows)
    offset = start - first * item.chunk_size
    return data[offset:offset + end - start + 1]


def chunks(store: HubStore, item: Item) -> Iterator[tuple[int, int]]:
    """(start, end) of each stored chunk, for streaming a whole file."""
    for start in range(0, item.size, item.chunk_size):
        yield start, min(item.size, start + item.chunk_size) - 1
