"""What the app does when a background task fails: say so on screen, keep everything else.

Textual exits the app when a worker raises (``exit_on_error``). Lifeboat's workers read the
record store, the disk, the model and the network, where a fault must cost the clinician one
notification, never the record they are typing. ``LifeboatApp`` routes every failed worker
here; a failure is logged with its traceback and shown as one line. An error that ends the app
is logged without values and said in one line on stderr (``report_crash``).
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

from textual.app import App

from appliance.errors import LifeboatError
from appliance.logs import log_file

log = logging.getLogger(__name__)


def report_worker_failure(app: App[Any], error: Exception) -> None:
    """Show ``error`` from a background task as a notification (the app keeps running)."""
    if isinstance(error, LifeboatError):
        log.warning("background task failed: %s", error.message)
        app.notify(str(error), severity="error", timeout=12)
        return
    log.error("background task failed unexpectedly", exc_info=error)
    where = log_file()
    details = f" Details are in {where}." if where is not None else ""
    app.notify(f"Something went wrong in the background ({type(error).__name__}: {error}). "
               f"What you typed is kept.{details}", severity="error", timeout=15)


def report_crash(error: BaseException | None) -> str:
    """Log where ``error`` ended the app, without values or its message (they may hold patient
    data), and return the line to print on stderr."""
    frames = traceback.extract_tb(error.__traceback__) if error is not None else []
    kind = type(error).__name__ if error is not None else "error"
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    logging.getLogger("lifeboat.crash").error(
        "unexpected %s at %s (values and message withheld: they may hold patient data)\n%s",
        kind, where, "".join(traceback.format_list(frames)))
    return (f"Lifeboat stopped after an unexpected {kind} ({where}). Saved records are safe; "
            "start Lifeboat again. Details for IT: logs/lifeboat.log in the data directory.")
