"""Open the SQLCipher database with the data key and the pragmas clinical writes need.

WAL with ``synchronous=FULL``: a commit that returned has reached the disk, so an acknowledged
write survives kill -9 and power loss. One connection per process, guarded by a lock, because
the TUI calls the store from worker threads.

Every open database also holds a shared ``flock`` on the file, so a data-key rotation (which
replaces the file) can tell that no other process has it open: a process still writing to the
old file after the swap would lose those writes (:meth:`Database.exclusive`).
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3

from appliance.errors import AuthError, StoreError
from appliance.fsutil import wrap_os_error


class Database:
    """A keyed SQLCipher connection with a transaction helper."""

    def __init__(self, path: Path, key: bytes, *, create: bool = False) -> None:
        self.path = path
        if not create and not path.exists():
            raise StoreError(f"The record database {path} is missing.",
                             hint="Restore it from backup, or run `lifeboat init` on a new device.")
        self._held = _hold_shared(path)
        try:
            self.conn = _connect(path, key)
        except BaseException:
            os.close(self._held)
            raise
        self.lock = threading.RLock()
        self._utils: Any = None

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the file alone (with :attr:`lock`): refused when another process has it open."""
        with self.lock:
            try:
                fcntl.flock(self._held, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise
                fcntl.flock(self._held, fcntl.LOCK_SH)  # a failed upgrade may drop the lock
                raise StoreError("Another Lifeboat program has the records open.",
                                 hint="Close it (sign out of the kiosk screen or stop the "
                                      "other command) and try again. Nothing was "
                                      "changed.") from None
            held = self._held
            try:
                yield
            finally:
                if held == self._held:
                    fcntl.flock(held, fcntl.LOCK_SH)

    def disconnect(self) -> None:
        """Close the connection but keep the file lock (the file is about to be replaced)."""
        with self.lock:
            self.conn.close()

    def reconnect(self, key: bytes) -> None:
        """Open the file now at :attr:`path` (e.g. re-keyed) with ``key``; the old file's lock
        is released only once the new one is held."""
        with self.lock:
            old = self._held
            self._held = _hold_shared(self.path)
            try:
                self.conn = _connect(self.path, key)
            except BaseException:
                os.close(self._held)
                self._held = old
                raise
            os.close(old)

    @property
    def utils(self) -> Any:
        """A ``sqlite_utils.Database`` on this connection (imported lazily: it is slow to import
        and the start-up path does not need it)."""
        if self._utils is None:
            import sqlite_utils

            self._utils = sqlite_utils.Database(self.conn)
        return self._utils

    @contextmanager
    def transaction(self) -> Iterator[sqlcipher3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; rolled back on any error so nothing is half-written."""
        with self.lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlcipher3.OperationalError as exc:
                raise _wrap(exc, self.path) from exc
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException as exc:
                if self.conn.in_transaction:  # SQLite may already have rolled back
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, Exception) and _is_fault(exc):
                    raise _wrap(exc, self.path) from exc
                raise

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        with self.lock:
            try:
                cur = self.conn.execute(sql, params)
                cols = [c[0] for c in cur.description or ()]
                return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
            except sqlcipher3.DatabaseError as exc:
                if _is_fault(exc):
                    raise _wrap(exc, self.path) from exc
                raise

    def scalar(self, sql: str, params: Any = ()) -> Any:
        with self.lock:
            try:
                row = self.conn.execute(sql, params).fetchone()
            except sqlcipher3.DatabaseError as exc:
                if _is_fault(exc):
                    raise _wrap(exc, self.path) from exc
                raise
        return row[0] if row else None

    def integrity_check(self) -> str:
        return str(self.scalar("PRAGMA integrity_check"))

    def close(self) -> None:
        with self.lock:
            self.conn.close()
            if self._held >= 0:
                os.close(self._held)
                self._held = -1


def _connect(path: Path, key: bytes) -> sqlcipher3.Connection:
    try:
        conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None,
                                  timeout=10.0)
    except sqlcipher3.OperationalError as exc:
        raise StoreError(f"Cannot open {path}: {exc}.",
                         hint="Check the data directory exists and is writable.") from exc
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise AuthError(f"The record database {path} could not be unlocked: wrong key or "
                        "not a Lifeboat database.",
                        hint="If every user fails, restore the database from backup.") from exc
    try:
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
    except sqlcipher3.OperationalError as exc:
        conn.close()
        raise _wrap(exc, path) from exc
    return conn


def _hold_shared(path: Path) -> int:
    """A descriptor holding a shared lock on the file now at ``path`` (created if missing).
    A rotation swaps the file while holding it alone, so the lock is retried on the new file."""
    while True:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise _wrap(exc, path) from exc
        fcntl.flock(fd, fcntl.LOCK_SH)
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


# Errors in our own SQL or data (a constraint, a bad statement) are bugs and propagate as they
# are; the rest are the disk or the file failing, which the user must be told about.
_OUR_MISTAKES = (sqlcipher3.IntegrityError, sqlcipher3.ProgrammingError,
                 sqlcipher3.NotSupportedError)


def _is_fault(exc: BaseException) -> bool:
    """Whether ``exc`` is the driver reporting a fault of the disk or the database file."""
    return isinstance(exc, sqlcipher3.DatabaseError) and not isinstance(exc, _OUR_MISTAKES)


def _wrap(exc: Exception, path: Path) -> StoreError:
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError(f"The disk is full: nothing was saved to {path}.",
                          hint="Free some space and try again: nothing was half-written.")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path} is read-only: nothing was saved.",
                          hint="Check LIFEBOAT_HOME is on a writable disk.")
    if isinstance(exc, OSError):
        return StoreError(str(wrap_os_error(exc, path)))
    if "malformed" in text or "not a database" in text:
        return StoreError(f"{path} is damaged ({exc}).",
                          hint="Stop and call IT: restore the records from the last backup.")
    return StoreError(f"The record database could not be read or written ({exc}).",
                      hint="Check the disk; if this keeps happening, call IT.")
