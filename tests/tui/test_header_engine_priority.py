"""The record's header shows the engine's priority, unconfirmed, as the board does (issue 15):
a shocked patient is "1 Immediate*" the moment the observations are saved, not "not triaged"."""

from __future__ import annotations

from appliance.device import Device
from tests.tui.conftest import make_app, settle, sign_in

SHOCKED = [*"26", "tab", *"91", "tab", "a", "tab", *"88", "tab", *"50", "tab", *"125", "tab",
           "a", "tab", *"38.9", "enter"]


async def test_the_header_shows_the_engine_priority_until_confirmed(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f4", *SHOCKED)
        await settle(pilot)
        header = str(app.screen.query_one("#enc-header").render())
        assert "1 Immediate*" in header and "not triaged" not in header
        await pilot.press("f5", *"chest infection")
        await settle(pilot)
        await pilot.press("ctrl+y")  # confirmed: the star goes
        await settle(pilot)
        header = str(app.screen.query_one("#enc-header").render())
        assert "1 Immediate " in header and "*" not in header
