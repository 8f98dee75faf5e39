"""Operational logging into the data directory (never patient data: ids and counts only).

``logs/lifeboat.log`` records starts, sign-ins and sign-outs (never a PIN), syncs, installs and
errors, rotated by size so a device left on for months keeps a bounded history.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from appliance.paths import Layout

MAX_BYTES = 2_000_000
BACKUPS = 4
log = logging.getLogger("lifeboat")


def configure(lay: Layout, level: int = logging.INFO, *, max_bytes: int = MAX_BYTES,
              backups: int = BACKUPS) -> None:
    """Log to ``logs/lifeboat.log`` (rotated, ``backups`` × ``max_bytes``).

    Safe to call more than once; a handler left writing into another data directory (another
    ``LIFEBOAT_HOME`` in the same process) is replaced.
    """
    root = logging.getLogger()
    path = (lay.logs / "lifeboat.log").resolve()
    for old in [h for h in root.handlers if getattr(h, "_lifeboat", False)]:
        if getattr(old, "baseFilename", None) == str(path) and \
                getattr(old, "maxBytes", None) == max_bytes:
            return
        root.removeHandler(old)
        old.close()
    lay.logs.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups,
                                  encoding="utf-8")
    handler._lifeboat = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)


def log_file() -> Path | None:
    """The file operational logs go to, or None when logging to a file is not set up."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, "_lifeboat", False) and isinstance(handler, RotatingFileHandler):
            return Path(handler.baseFilename)
    return None
