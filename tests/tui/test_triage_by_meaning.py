"""A complaint the lexicon cannot read, typed on the triage tab: the panel first shows the
unrecognised priority at once, then the complaint nearest in meaning (the real embedder, in a
worker) may raise it, saying so. Typing on in the meantime is never overwritten."""

from __future__ import annotations

from typing import Any

from appliance.device import Device
from tests.tui.conftest import make_app, settle, sign_in


async def _wait_level(pilot: Any, panel: Any, level: int) -> None:
    for _ in range(400):  # the embedder loads once per process: seconds on a loaded machine
        await pilot.pause(0.05)
        if panel.result and panel.result["priority"]["level"] == level:
            return
    raise AssertionError((panel.case(), panel.result and panel.result["reasons"]))


async def test_an_unread_complaint_is_raised_by_its_nearest_meaning(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        # an age, so that the recognised complaint below may be self-care
        await pilot.press("n", "tab", "tab", "tab", *"30", "f5", *"swollen thigh on the left side")
        await settle(pilot)
        panel: Any = app.screen.query_one("#triage-panel")
        await _wait_level(pilot, panel, 3)
        assert any(r["source"] == "embedder" for r in panel.result["reasons"])
        banner = str(panel.query_one("#triage-priority").render())
        assert "3 URGENT" in banner and "nearest in meaning" in banner
        # a recognised complaint typed over it is the engine's own reading again
        await pilot.press(*["backspace"] * 40, *"sprained ankle")
        await _wait_level(pilot, panel, 5)
        assert not any(r["source"] == "embedder" for r in panel.result["reasons"])
