"""SVG snapshots of every record tab and the handover at 80×24 and 120×40.

What they guard: every pick list shows all its choices (wrapped, never cut), the key line shows
the keys for the field in focus, allergies and medications are on the patient tab and in the
handover, and values read from a note are offered under it.
Regenerate after a deliberate UI change:
``pytest tests/tui/test_record_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest

from appliance.device import Device
from appliance.session import Session
from tests.tui.conftest import T0
from tests.tui.test_snapshots import SIZES, ScreenHarness, _seeded, _settle, utc_display  # noqa: F401


@pytest.fixture(autouse=True)
def fixed_note_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Notes are stamped with the wall clock: pin it, as the pictures show the time."""
    from appliance.records import encounters

    monkeypatch.setattr(encounters, "now_iso", lambda: T0.isoformat(timespec="milliseconds"))


def _with_history(device: Device) -> tuple[Session, str]:
    from appliance.records import encounters, patients

    session, eid = _seeded(device)
    pid = session.db.query("SELECT patient_id FROM encounters WHERE id = ?",
                           (eid,))[0]["patient_id"]
    patients.update(session, pid, allergies="penicillin - rash",
                    medications="ramipril 5mg od; atorvastatin 20mg")
    encounters.add_note(session, eid, "confused since this morning, wife at bedside")
    return session, eid


def _record(device: Device, *keys: str) -> tuple[ScreenHarness, Any]:
    from tui.screens.encounter import EncounterScreen

    session, eid = _with_history(device)
    app = ScreenHarness(session, lambda a: EncounterScreen(session, eid, a.clock))

    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press(*keys)
        await _settle(pilot)

    return app, run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("tab", ["f2", "f3", "f6", "f7"])
def test_record_tab_snapshot(snap_compare: Any, device: Device, size: tuple[int, int],
                             tab: str) -> None:
    app, run_before = _record(device, tab)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_record_pick_list_focused_snapshot(snap_compare: Any, device: Device,
                                           size: tuple[int, int]) -> None:
    """Disposition in focus: all eight choices shown, the key line says how to pick."""
    app, run_before = _record(device, "f7", "tab")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_note_values_offered_snapshot(snap_compare: Any, device: Device,
                                      size: tuple[int, int]) -> None:
    from tui.widgets.extraction_review import ExtractionReview

    app, _ = _record(device)

    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("f7", *"HR 118 BP 100/60 RR 24 sats 93% RA", "enter")
        for _ in range(100):
            await _settle(pilot)
            if any(r.extraction is not None for r in pilot.app.screen.query(ExtractionReview)):
                break
        pilot.app.clear_notifications()
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("switch", [False, True], ids=["sbar", "atmist"])
def test_handover_snapshot(snap_compare: Any, device: Device, size: tuple[int, int],
                           switch: bool) -> None:
    """A medical patient in Majors: SBAR, and ATMIST with f (medical M and I lines)."""
    from tui.screens.handover import HandoverScreen

    session, eid = _with_history(device)
    app = ScreenHarness(session, lambda a: HandoverScreen(session, eid, a.clock))

    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        if switch:
            await pilot.press("f")
            await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
