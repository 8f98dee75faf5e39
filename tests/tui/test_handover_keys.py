"""Assistant rewording of a handover (m) is off the default keys until it is fast enough."""

from __future__ import annotations

from appliance.device import Device
from tests.tui.conftest import make_app, settle
from tests.tui.test_handover_wording import _open_handover, _seed, _texts


async def test_by_default_m_is_not_a_handover_key_and_changes_nothing(device: Device) -> None:
    _seed(device)
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_handover(pilot)
        screen = app.screen
        assert screen.check_action("smooth", ()) is False
        assert "assistant" not in str(screen.query_one("#ho-help").render())
        before = _texts(screen)
        await pilot.press("m")
        await settle(pilot)
        assert _texts(screen) == before and screen.smoothing is None
