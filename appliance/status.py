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


def snapshot(session: Session, hub_state: str | None = None) -> StatusSnapshot:
    """The status now; also leaves the backlog where ``lifeboat doctor`` can read it."""
    from appliance import backlog
    from appliance.health import policy, readings

    device = session.device
    counted = backlog.count(session.db)
    backlog.save(device.layout, counted)
    pending, quarantined = counted.unsynced, counted.quarantined
    state = policy.evaluate(readings.read(device.layout.root), device.config.power)
    enrolled = (device.layout.root / "hub.json").exists()
    hub = hub_state or ("hub set" if enrolled else "no hub")
    return StatusSnapshot(
        user=session.user.display_name, role=session.user.role.value,
        device_label=device.info.label or device.info.device_id[-6:], demo=device.info.demo,
        hub=hub, unsynced=pending, quarantined=quarantined, power_level=state.level,
        power_text=state.status_line(), power_messages=state.messages)
