"""SVG snapshots of the main screens at 80×24 and 120×40, with a fixed clock and fixed data.

Regenerate after a deliberate UI change: ``pytest tests/tui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from textual.app import App

from appliance.device import Device
from appliance.session import Session
from tests.tui.conftest import OBS_SETS, T0, FixedClock, seed_encounter
from tui.theme import HIGH_CONTRAST

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def utc_display(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times on screen are local: pin the zone so the pictures do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


class ScreenHarness(App[None]):
    """Shows one screen with a signed-in session (the status bar stays at 'starting…')."""

    def __init__(self, session: Session, screen: Any) -> None:
        super().__init__()
        self.session = session
        self.clock = FixedClock()
        self._make = screen
        self.animation_level = "none"  # the tab underline must not be caught mid-slide

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name
        self.push_screen(self._make(self))


def _seeded(device: Device) -> tuple[Session, str]:
    session = device.login("paramedic", "111111")
    seed_encounter(session, opened_min_ago=130, family="Long", priority=4, area="Minors",
                   complaint="ankle injury")
    seed_encounter(session, opened_min_ago=3, family="Waiting", complaint="abdo pain")
    seed_encounter(session, opened_min_ago=2, family="Arrest", priority=1, area="Resus",
                   complaint="cardiac arrest", age=67, sex="M")
    eid = seed_encounter(session, opened_min_ago=75, family="Sepsis", priority=2,
                         area="Majors", complaint="fever and confusion", kind="medical",
                         obs=OBS_SETS[0], obs_min_ago=70)
    from datetime import timedelta

    from appliance.records import encounters

    encounters.record_observation(session, eid, OBS_SETS[1],
                                  (T0 - timedelta(minutes=40)).isoformat())
    encounters.record_observation(session, eid, OBS_SETS[2],
                                  (T0 - timedelta(minutes=10)).isoformat())
    return session, eid


async def _settle(pilot: Any) -> None:
    from textual.widgets import Input

    await pilot.app.workers.wait_for_complete()
    # A blinking cursor is caught on or off depending on machine load: keep it steady.
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_board_snapshot(snap_compare: Any, device: Device, size: tuple[int, int]) -> None:
    from tui.screens.board import BoardScreen

    session, _ = _seeded(device)
    app = ScreenHarness(session, lambda a: BoardScreen(session, a.clock))
    assert snap_compare(app, terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_encounter_observations_snapshot(snap_compare: Any, device: Device,
                                         size: tuple[int, int]) -> None:
    from tui.screens.encounter import EncounterScreen

    session, eid = _seeded(device)
    app = ScreenHarness(session, lambda a: EncounterScreen(session, eid, a.clock))
    assert snap_compare(app, terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_triage_panel_snapshot(snap_compare: Any, device: Device,
                               size: tuple[int, int]) -> None:
    from tui.screens.encounter import EncounterScreen

    session, eid = _seeded(device)
    app = ScreenHarness(session, lambda a: EncounterScreen(session, eid, a.clock))

    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("f5")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_major_incident_snapshot(snap_compare: Any, device: Device,
                                 size: tuple[int, int]) -> None:
    from tui.screens.major_incident import MajorIncidentScreen

    session = device.login("paramedic", "111111")
    app = ScreenHarness(session, lambda a: MajorIncidentScreen())

    async def run_before(pilot: Any) -> None:
        await pilot.press("n", "n", "y", "n")  # not walking, no bleed, talking, no wound: P2
        await pilot.press("space", "y", "space", "n", "n")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
