"""Self-care on the triage tab: the safety-netting advice sits under the reasons, in the list
that scrolls, so at 80x24 the reasons stay on screen; ↓ past the last reason scrolls to it and
Ctrl+O still opens the highlighted reason's protocol."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from appliance.device import Device
from tests.tui.conftest import make_app, settle, sign_in


async def test_advice_is_listed_under_the_reasons(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "tab", "tab", "tab", *"22", "f5")
        await pilot.press(*"rolled her ankle, can walk on it with a limp, bones arent tender")
        await settle(pilot)
        panel = app.screen.query_one("#triage-panel")
        banner = str(panel.query_one("#triage-priority", Static).render())
        assert "NON-URGENT" in banner and "under the reasons" in banner
        reasons = panel.query_one("#triage-reasons", OptionList)
        shown = [str(reasons.get_option_at_index(i).prompt) for i in range(reasons.option_count)]
        advice = [t for t in shown if t.startswith("Safety-netting:")]
        assert advice and len(advice) < len(shown)
        assert reasons.size.height >= 3  # the reasons are not pushed off the screen
        for _ in range(len(shown) + 2):
            await pilot.press("down")
        await settle(pilot)
        assert panel.selected_protocol() is not None  # type: ignore[attr-defined]
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert app.screen.__class__.__name__ != "EncounterScreen"
