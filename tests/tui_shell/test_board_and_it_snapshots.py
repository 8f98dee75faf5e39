"""SVG snapshots at 80×24 and 120×40: the board with an untriaged NEWS2 8 patient, sign-in with
five users, sync, updates, fleet and device health.

Regenerate after a deliberate UI change:
``pytest tests/tui_shell/test_board_and_it_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App

from appliance.device import Device, enrol_demo
from appliance.doctor import Check
from appliance.paths import layout
from appliance.session import Session
from tests.records.test_board_engine import NEWS2_8
from tests.tui.conftest import FixedClock, seed_encounter
from tui.app import LifeboatApp
from tui.theme import HIGH_CONTRAST

SIZES = [(80, 24), (120, 40)]


class ScreenHarness(App[None]):
    """One screen with a signed-in session; the status bar stays at 'starting…'."""

    def __init__(self, session: Session, screen: Any) -> None:
        super().__init__()
        self.session = session
        self.device = session.device
        self.clock = FixedClock()
        self.sync_agent = None
        self._make = screen
        self.animation_level = "none"

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name
        self.push_screen(self._make(self))

    def refresh_status(self) -> None:
        """The real app's status worker is not part of these pictures."""

    def prepare_protocols(self) -> None:
        """Nor is its protocol check."""


async def _settle(pilot: Any) -> None:
    from textual.widgets import Input

    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


@pytest.fixture
def five_users() -> Device:
    device = enrol_demo(layout())
    admin = device.login("admin", "999999")
    admin.add_user("zara", "Zara Adams", "paramedic", "135790")
    admin.add_user("bob", "Bob Li", "clinician", "246802")
    admin.close()
    return Device(device.layout)


@pytest.mark.parametrize("size", SIZES)
def test_board_with_engine_priority_snapshot(snap_compare: Any, device: Device,
                                             size: tuple[int, int]) -> None:
    from tui.screens.board import BoardScreen

    session = device.login("paramedic", "111111")
    seed_encounter(session, opened_min_ago=11, family="Sickperson",
                   complaint="unwell, breathless", obs=NEWS2_8, obs_min_ago=4, area="Majors")
    seed_encounter(session, opened_min_ago=130, family="Longwaiter-Featherstonehaugh",
                   priority=4, complaint="laceration to left forearm needing sutures",
                   area="Minors")
    seed_encounter(session, opened_min_ago=3, family="Ankle", complaint="twisted ankle")
    seed_encounter(session, opened_min_ago=2, family="Arrest", priority=1, area="Resus",
                   complaint="cardiac arrest", age=67, sex="M")
    app = ScreenHarness(session, lambda a: BoardScreen(session, a.clock))
    assert snap_compare(app, terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_sign_in_with_five_users_snapshot(snap_compare: Any, five_users: Device,
                                          size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await pilot.press("down", "down", "down")  # zara, named again at the PIN
        await _settle(pilot)

    assert snap_compare(LifeboatApp(five_users), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_sync_not_enrolled_snapshot(snap_compare: Any, device: Device,
                                    size: tuple[int, int]) -> None:
    from tui.screens.sync import SyncScreen

    session = device.login("admin", "999999")
    assert snap_compare(ScreenHarness(session, lambda a: SyncScreen()), terminal_size=size,
                        run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_updates_not_enrolled_snapshot(snap_compare: Any, device: Device, tmp_path: Path,
                                       size: tuple[int, int]) -> None:
    from models import registry
    from tests.models.conftest import gguf_bytes
    from tui.screens.updates import UpdatesScreen

    # Models named, so the picture does not depend on what the automatic choice fits in RAM.
    registry.use("smollm2-135m-instruct")
    model = tmp_path / "trust-model.gguf"
    model.write_bytes(gguf_bytes("llama"))
    registry.add(model, "trust-model", version="1.0")
    registry.use("trust-model")
    session = device.login("admin", "999999")
    assert snap_compare(ScreenHarness(session, lambda a: UpdatesScreen()), terminal_size=size,
                        run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_fleet_snapshot(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    from sync.hub.service import Hub
    from tui.screens.fleet import FleetApp

    hub = Hub.init(tmp_path / "hub")
    try:
        for label in ("RRV 12 Northgate", "Ambulance 7 (spare)"):
            device = enrol_demo(layout().__class__(tmp_path / label.replace(" ", "_")))
            hub.enrol_device(device.info.device_id, label=label,
                             public_key=device.info.public_key)
    finally:
        hub.close()
    assert snap_compare(FleetApp(tmp_path / "hub"), terminal_size=size, run_before=_settle)


CHECKS = [
    Check("data directory", "ok", "/var/lib/lifeboat"),
    Check("device", "warn", "01JDEMO (DEMO), 3 user(s) can sign in",
          "This is a DEMO device: enrol a real one with `lifeboat init` before clinical use."),
    Check("database", "ok", "encrypted (SQLCipher), 1.2 MB"),
    Check("hub", "warn", "35 change(s) unsynced and no hub enrolled (as of 2026-11-23T12:00)",
          "Enrol with a hub (Sync screen, key h) so records reach the hospital, or export "
          "them to USB for a hub to import."),
    Check("power", "fail", "battery 4 %, discharging",
          "Plug the device in now: it will shut down within minutes."),
]


@pytest.mark.parametrize("size", SIZES)
def test_health_first_open_snapshot(snap_compare: Any, device: Device,
                                    monkeypatch: pytest.MonkeyPatch,
                                    size: tuple[int, int]) -> None:
    from appliance import doctor
    from tui.screens.health import HealthScreen

    # Fixed checks: the real ones name this test's temporary directory and device id.
    monkeypatch.setattr(doctor, "run", lambda lay=None, extra=(): CHECKS)
    session = device.login("admin", "999999")
    assert snap_compare(ScreenHarness(session, lambda a: HealthScreen()), terminal_size=size,
                        run_before=_settle)
