"""Crash-safe file writes: write to a temp file beside the target, fsync, rename, fsync dir."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

from appliance.errors import DiskFullError, LifeboatError


def temp_beside(path: Path) -> Path:
    """An unpredictable temporary name next to ``path`` (same file system, for the rename)."""
    return path.with_name(f".{path.name}.tmp-{secrets.token_hex(8)}")


def open_new(path: Path, mode: int = 0o600) -> int:
    """Create ``path`` for writing, refusing one that exists or is a symlink: a link planted
    at a temporary name would otherwise redirect the write to a file of the attacker's choice."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                   mode)


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_beside(path)
    created = False
    try:
        fd = open_new(tmp, mode)
        created = True
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        if created:
            tmp.unlink(missing_ok=True)
        raise wrap_os_error(exc, path) from exc


def atomic_write_json(path: Path, obj: Any, mode: int = 0o600) -> None:
    atomic_write_bytes(path, (json.dumps(obj, indent=2, sort_keys=True) + "\n").encode(), mode)


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def wrap_os_error(exc: OSError, path: Path) -> LifeboatError:
    """Turn an OSError into a message an IT admin can act on."""
    if exc.errno == errno.ENOSPC:
        return DiskFullError(f"The disk is full: could not write {path}.",
                             hint="Free some space (old exports, logs) and try again.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return LifeboatError(f"Cannot write {path}: the directory is read-only or not ours.",
                             hint="Check LIFEBOAT_HOME points at a writable directory.")
    return LifeboatError(f"Could not write {path}: {exc.strerror or exc}.")


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks (packs, models and downloads can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
