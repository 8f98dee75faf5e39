"""Ctrl+Q quits; on the record it saves what is typed first, asking only when that input is
refused; the session is closed."""

from __future__ import annotations

from textual.widgets import Input

from appliance.device import Device
from tests.tui.conftest import make_app, settle, sign_in
from tui.screens.confirm import ConfirmScreen


async def test_ctrl_q_quits_and_signs_out(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        session = app.session
        assert session is not None
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.session is None
    assert app.return_value == 0  # quit cleanly (the app's own _exit once shadowed Textual's)
    actions = [r["action"] for r in device.login("clinician", "222222").db.query(
        "SELECT action FROM audit_log ORDER BY rowid")]
    assert "logout" in actions


async def test_ctrl_q_with_refused_input_asks_first(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", *"Smith", "tab", "tab", *"31/12/2099")  # born in the future
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # stay
        await settle(pilot)
        assert app.screen.query_one("#family_name", Input).value == "Smith"
        assert app.session is not None
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.session is None
    assert app.return_value == 0
