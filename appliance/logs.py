"""Operational logging into the data directory (never patient data: ids and counts only)."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from appliance.paths import Layout


def configure(lay: Layout, level: int = logging.INFO) -> None:
    """Log to ``logs/lifeboat.log`` (rotated, 4 x 2 MB). Safe to call more than once."""
    root = logging.getLogger()
    if any(getattr(h, "_lifeboat", False) for h in root.handlers):
        return
    lay.logs.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(lay.logs / "lifeboat.log", maxBytes=2_000_000, backupCount=4,
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
