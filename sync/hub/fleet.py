"""Fleet data for IT: one row per device, as the hub last heard from it.

"Verified drained" is true only when the device's last report says nothing is pending or
quarantined and the hub holds exactly the events the device holds (same count, same digest over
event ids; each id was acknowledged only after its content hash matched).
"""

from __future__ import annotations

import json
from typing import Any

from sync.hub.storage import HubStore


def battery(health: Any) -> float | None:
    """Battery percent from the device's health reading, whatever its exact shape."""
    if not isinstance(health, dict):
        return None
    for key in ("battery_percent", "battery_pct"):
        if isinstance(health.get(key), int | float):
            return float(health[key])
    nested = health.get("battery")
    if isinstance(nested, dict):
        for key in ("percent", "level"):
            if isinstance(nested.get(key), int | float):
                return float(nested[key])
    if isinstance(nested, int | float) and not isinstance(nested, bool):
        return float(nested)
    return None


def fleet(store: HubStore) -> dict[str, Any]:
    """Devices with last contact, backlog, quarantine, conflicts, versions and battery."""
    quarantine: dict[str, int] = {}
    for q in store.quarantined():
        quarantine[q["device_id"]] = quarantine.get(q["device_id"], 0) + 1
    conflicts = store.conflicts("open")
    devices = []
    for d in store.list_devices():
        status = json.loads(d["status"]) if d.get("status") else {}
        held, digest = store.device_event_stats(d["device_id"])
        reported_total, reported_digest = status.get("total"), status.get("digest")
        drained = (status.get("pending") == 0 and status.get("quarantined") == 0
                   and reported_total == held
                   and reported_digest == digest)
        device_conflicts = sum(1 for c in conflicts
                               if d["device_id"] in (c["device_a"], c["device_b"]))
        devices.append({
            "device_id": d["device_id"], "label": d["label"],
            "state": "revoked" if d["revoked_at"] else
                     ("enrolled" if d["enrolled_at"] else "awaiting enrolment"),
            "last_seen": d["last_seen"], "last_sync": d["last_sync"],
            "events_at_hub": held, "events_on_device": reported_total,
            "pending": status.get("pending"), "pending_since": status.get("oldest_pending"),
            "quarantined": quarantine.get(d["device_id"], 0),
            "quarantined_on_device": status.get("quarantined"),
            "conflicts": device_conflicts, "verified_drained": drained,
            "packs": status.get("packs", []), "models": status.get("models", []),
            "app_version": status.get("app_version"),
            "battery_percent": battery(status.get("health")),
            "audit_alert": status.get("audit_alert"),
        })
    return {"devices": devices, "events": store.event_count(),
            "open_conflicts": len(conflicts), "quarantined": sum(quarantine.values()),
            "match_candidates": len(store.matches("candidate"))}
