"""Plain-text exports (handover .txt/.html) expire: patient data outside the encrypted store,
written for one handover, is kept no longer than ``[security] export_retention_hours``."""

from __future__ import annotations

import time
from pathlib import Path

EXPORT_GLOBS = ("handover-*.txt", "handover-*.html")


def purge_expired(folder: Path, max_age_hours: float, *, now: float | None = None) -> list[str]:
    """Delete handover files in ``folder`` older than ``max_age_hours``; returns their names."""
    limit = (now if now is not None else time.time()) - max_age_hours * 3600
    removed = []
    for pattern in EXPORT_GLOBS:
        for path in folder.glob(pattern):
            try:
                if path.is_file() and not path.is_symlink() and path.stat().st_mtime < limit:
                    path.unlink()
                    removed.append(path.name)
            except OSError:
                continue  # gone already, or not ours to delete: the next sign-in tries again
    return sorted(removed)
