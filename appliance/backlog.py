"""The sync backlog as a small plain file, for checks that run without a PIN.

``lifeboat doctor`` cannot open the encrypted database, yet must warn when records have sat
unsynced for long. ``backlog.json`` (counts and the oldest unsynced change's time: no patient
data) is written when the app's status counts change and at every sign-out; the doctor reads
it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from appliance.fsutil import atomic_write_json
from appliance.paths import Layout
from appliance.store.database import Database

FILE_NAME = "backlog.json"
_written: dict[Path, tuple[int, int, str | None]] = {}


@dataclass(frozen=True)
class Backlog:
    unsynced: int
    quarantined: int
    oldest_unsynced_at: str | None  # ISO time the oldest unsynced change was queued


def count(db: Database) -> Backlog:
    """The outbox as it stands: changes not yet acknowledged by a hub, and quarantined ones."""
    row = db.query(
        "SELECT sum(acked_at IS NULL AND quarantined_at IS NULL) AS pending, "
        "sum(quarantined_at IS NOT NULL) AS quarantined, "
        "min(CASE WHEN acked_at IS NULL AND quarantined_at IS NULL THEN queued_at END) "
        "AS oldest FROM outbox")[0]
    return Backlog(int(row["pending"] or 0), int(row["quarantined"] or 0), row["oldest"])


def path(lay: Layout) -> Path:
    return lay.root / FILE_NAME


def save(lay: Layout, backlog: Backlog) -> None:
    """Write ``backlog.json`` when the counts differ from what it holds (a command that changed
    nothing, such as a refused one, leaves the data directory as it was)."""
    key = (backlog.unsynced, backlog.quarantined, backlog.oldest_unsynced_at)
    target = path(lay)
    if _written.get(target) == key and target.exists():
        return
    held = load(lay)
    if held is not None and (held.get("unsynced"), held.get("quarantined"),
                             held.get("oldest_unsynced_at")) == key:
        _written[target] = key
        return
    atomic_write_json(target, {**asdict(backlog),
                               "checked_at": datetime.now(UTC).isoformat(timespec="seconds")})
    _written[target] = key


def load(lay: Layout) -> dict[str, Any] | None:
    """What the app last wrote (None when it never has, or the file is unreadable)."""
    try:
        data = json.loads(path(lay).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
