"""`lifeboat doctor` checks for sync: records that have waited too long, or have nowhere to go.

The doctor runs without a PIN, so it reads the backlog the signed-in app last wrote
(:mod:`appliance.backlog`), never the encrypted database.
"""

from __future__ import annotations

from datetime import UTC, datetime

from appliance import doctor
from appliance.checks import Check
from appliance.paths import Layout

# Changes unsynced for longer than this are at risk if the device is lost or broken.
STALE_HOURS = 12.0


def checks(lay: Layout, now: datetime | None = None) -> list[Check]:
    from appliance import backlog
    from sync.hublink import path_for

    data = backlog.load(lay)
    if data is None:
        return [Check("sync backlog", "ok", "no unsynced changes recorded yet")]
    unsynced = int(data.get("unsynced") or 0)
    as_of = f"(as of {data.get('checked_at', '?')})"
    enrolled = path_for(lay).is_file()
    found: list[Check] = []
    if unsynced and not enrolled:
        found.append(Check(
            "hub", "warn", f"{unsynced} change(s) unsynced and no hub enrolled {as_of}",
            "Enrol this device with a hub (IT admin: Sync screen, key h) so records reach the "
            "hospital; USB export also needs an enrolled device."))
    oldest = data.get("oldest_unsynced_at")
    if unsynced and oldest:
        now = now or datetime.now(UTC)
        age_h = (now - datetime.fromisoformat(oldest)).total_seconds() / 3600
        if age_h > STALE_HOURS:
            found.append(Check(
                "sync backlog", "warn",
                f"{unsynced} change(s) unsynced, the oldest for {age_h:.0f} h {as_of}",
                "Connect to the hub and sync (Sync screen, key s), or export to USB."))
    if not found:
        found.append(Check("sync backlog", "ok", f"{unsynced} change(s) unsynced {as_of}"
                           + ("" if enrolled else "; no hub enrolled")))
    return found


def run_all(lay: Layout | None = None) -> list[Check]:
    """The whole doctor: the device's own checks and the sync backlog's."""
    return doctor.run(lay, extra=[("sync", checks)])
