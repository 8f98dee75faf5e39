"""What the status bar shows: who is signed in, sync backlog, power and disk, model state.

Computed off the UI thread (psutil and a COUNT query), returned as plain data.
"""

from __future__ import annotations

from dataclasses import dataclass

from appliance.session import Session


@dataclass(frozen=True)
class StatusSnapshot:
    user: str
    role: str
    device_label: str
    demo: bool
    hub: str  # "no hub" | "hub set" | hub state reported by the sync agent
    unsynced: int
    quarantined: int
    power_level: str  # ok | low | critical
    power_text: str
    power_messages: tuple[str, ...]


def unsynced_counts(session: Session) -> tuple[int, int]:
    row = session.db.query(
        "SELECT sum(acked_at IS NULL AND quarantined_at IS NULL) AS pending, "
        "sum(quarantined_at IS NOT NULL) AS quarantined FROM outbox")[0]
    return int(row["pending"] or 0), int(row["quarantined"] or 0)


def snapshot(session: Session, hub_state: str | None = None) -> StatusSnapshot:
    from appliance.health import policy, readings

    device = session.device
    pending, quarantined = unsynced_counts(session)
    state = policy.evaluate(readings.read(device.layout.root), device.config.power)
    enrolled = (device.layout.root / "hub.json").exists()
    hub = hub_state or ("hub set" if enrolled else "no hub")
    return StatusSnapshot(
        user=session.user.display_name, role=session.user.role.value,
        device_label=device.info.label or device.info.device_id[-6:], demo=device.info.demo,
        hub=hub, unsynced=pending, quarantined=quarantined, power_level=state.level,
        power_text=state.status_line(), power_messages=state.messages)
