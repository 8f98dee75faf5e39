"""The unsynced count in the status bar moves with a save, not at the next timed refresh."""

from __future__ import annotations

import pytest

import tui.app
from appliance.device import Device
from tests.tui.conftest import FixedClock, make_app, settle, sign_in
from tui.widgets.status_bar import StatusBar


async def test_saving_a_patient_updates_the_unsynced_count_at_once(
        device: Device, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tui.app, "STATUS_REFRESH_S", 3600.0)  # only a save can refresh it
    app = make_app(device, FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "paramedic", "111111")
        await settle(pilot)
        before = app.last_status.unsynced  # type: ignore[attr-defined]
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Smith", "enter")
        for _ in range(100):
            await settle(pilot)
            bar = app.screen.query_one(StatusBar)
            if bar.snapshot is not None and bar.snapshot.unsynced > before:
                break
        assert app.screen.query_one(StatusBar).snapshot.unsynced > before  # type: ignore[union-attr]
