"""SQLite hub storage: one file, no set-up, one hub process (see :mod:`sync.hub.storage`)."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from appliance.errors import StoreError
from sync.hub.storage import HubStore


class _SqliteTx:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def executemany(self, sql: str, rows: list[Any]) -> None:
        self.conn.executemany(sql, rows)

    def query_dicts(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        cols = [c[0] for c in cur.description or ()]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def lock_keys(self, keys: list[str]) -> None:
        """BEGIN IMMEDIATE already serialises writers."""


class SqliteHubStore(HubStore):
    """One file; one connection guarded by a lock (the hub process serialises writes)."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(path), isolation_level=None,
                                        check_same_thread=False, timeout=30.0)
            os.chmod(path, 0o600)  # patient records: owner only
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = FULL")  # a receipt means it is on disk
            self.conn.execute("PRAGMA busy_timeout = 30000")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"Cannot open the hub database {path}: {exc}.",
                             hint="Check the hub directory exists and is writable.") from exc
        self.lock = threading.RLock()

    @contextmanager
    def transaction(self) -> Iterator[_SqliteTx]:
        with self.lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"The hub database is busy or broken: {exc}.") from exc
            try:
                yield _SqliteTx(self.conn)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self.conn.execute("ROLLBACK")
                raise StoreError(f"The hub database could not commit: {exc}.") from exc

    def close(self) -> None:
        with self.lock:
            self.conn.close()
