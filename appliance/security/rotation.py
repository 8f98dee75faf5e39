"""Data-key rotation on disk: the records, the sealed device key and the key slots switch to a
new data key together, so an interrupted rotation leaves the old set or the new set, never a mix.

The new set is staged beside the old (``*.rotating``) while the old stays in use and valid;
writing ``keys/rotation.json`` is the commit; then each staged file is renamed over its original.
After a crash, :func:`recover` finishes a committed rotation (the renames are idempotent) or
deletes the staging of one that was not committed. Whoever stages, commits or recovers holds the
record database's file lock alone, so no other process is using the files being swapped.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

import sqlcipher3

from appliance.errors import StoreError
from appliance.fsutil import atomic_write_json, fsync_dir, wrap_os_error
from appliance.paths import Layout
from appliance.store.database import Database

STAGED = ".rotating"
"""Suffix of a staged file (a new database, slot file or device key not yet in use)."""


def marker(lay: Layout) -> Path:
    """Present exactly while a committed rotation is being moved into place."""
    return lay.root / "keys" / "rotation.json"


def _pairs(lay: Layout) -> list[tuple[Path, Path]]:
    """(staged, live) for every file sealed under the data key."""
    return [(staged(p), p) for p in (lay.database, lay.keyslots, lay.device_key)]


def staged(path: Path) -> Path:
    return path.with_name(path.name + STAGED)


def _leftovers(lay: Layout) -> list[Path]:
    """Staged files, and what a write of one (or of the marker) cut short leaves behind."""
    files = [*(new for new, _ in _pairs(lay)), Path(f"{staged(lay.database)}-journal")]
    partial = [p for f in (*files, marker(lay)) for p in f.parent.glob(f".{f.name}.tmp-*")]
    return files + partial


def stage_database(db: Database, key: bytes, audit_entry: Callable[[sqlcipher3.Connection],
                                                                     int]) -> Path:
    """Copy every table of ``db`` into a staged database encrypted under ``key``, add the
    rotation's audit entries there (and only there; ``audit_entry`` says how many), check it
    and make it durable."""
    target = staged(db.path)
    conn = db.conn
    with db.lock:
        conn.execute(f"ATTACH DATABASE ? AS rotating KEY \"x'{key.hex()}'\"", (str(target),))
        try:
            conn.execute("PRAGMA rotating.synchronous = FULL")
            conn.execute("SELECT sqlcipher_export('rotating')").fetchall()
        finally:
            conn.execute("DETACH DATABASE rotating")
        entries = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    new = sqlcipher3.connect(str(target), isolation_level=None)
    try:
        new.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        new.execute("PRAGMA synchronous = FULL")
        new.execute("BEGIN IMMEDIATE")
        added = audit_entry(new)
        new.execute("COMMIT")
        check = new.execute("PRAGMA quick_check").fetchone()[0]
        copied = new.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        new.close()
    if check != "ok" or copied != entries + added:
        raise StoreError(f"The re-keyed copy of the records did not check out ({check}, "
                         f"{copied} of {entries + added} audit entries). Nothing was changed.",
                         hint="Check the disk has room for a second copy of records.db.")
    _fsync(target)
    return target


def commit(lay: Layout) -> None:
    """The point of no return: from here :func:`recover` moves the staged set into place."""
    for path, _ in _pairs(lay):
        if not path.is_file():
            raise StoreError(f"{path} was not staged; the rotation was not committed.")
    fsync_dir(lay.root)
    fsync_dir(lay.keyslots.parent)
    atomic_write_json(marker(lay), {"format": 1,
                                    "files": [live.name for _, live in _pairs(lay)]})


def roll_forward(lay: Layout) -> None:
    """Rename each staged file over its original, then remove the marker (safe to repeat)."""
    try:
        for new, live in _pairs(lay):
            if not new.exists():
                continue  # moved before an interruption
            if live == lay.database:
                # The old database's log belongs to the old key: applied to the new file it
                # would write pages it cannot read.
                for side in ("-wal", "-shm"):
                    Path(f"{live}{side}").unlink(missing_ok=True)
            os.replace(new, live)
        fsync_dir(lay.root)
        fsync_dir(lay.keyslots.parent)
        marker(lay).unlink(missing_ok=True)
        discard(lay)  # what a killed earlier attempt left half-written
        fsync_dir(lay.keyslots.parent)
    except OSError as exc:
        raise StoreError(f"The new data key is committed but could not be moved into place "
                         f"({wrap_os_error(exc, lay.root)}).",
                         hint="Start Lifeboat again: it finishes the rotation before anyone "
                              "signs in.") from exc


def discard(lay: Layout) -> None:
    """Delete a staging that was never committed (the old set is still the one in use)."""
    for path in _leftovers(lay):
        path.unlink(missing_ok=True)


def recover(lay: Layout) -> bool:
    """Finish or undo an interrupted rotation; False when there was none or another process
    has the records open (it will be done by the next start when nobody has)."""
    if not marker(lay).exists() and not any(p.exists() for p in _leftovers(lay)):
        return False
    try:
        fd = os.open(lay.database, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        fd = -1
    try:
        if fd >= 0:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
        if marker(lay).exists():
            roll_forward(lay)
        else:
            discard(lay)
        return True
    finally:
        if fd >= 0:
            os.close(fd)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_dir(path.parent)
