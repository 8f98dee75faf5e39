"""From the triage tab, F10 opens the assistant with this patient's triage result, so the
fixed escalation banners match the engine's priority."""

from __future__ import annotations

from appliance.device import Device
from tests.tui.conftest import OBS_SETS, make_app, seed_encounter, settle, sign_in


async def test_f10_opens_the_assistant_with_the_triage_result(device: Device) -> None:
    seeder = device.login("paramedic", "111111")
    seed_encounter(seeder, opened_min_ago=20, family="Banner", obs=OBS_SETS[2], obs_min_ago=5)
    seeder.close()
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        screen = app.screen
        assert screen.__class__.__name__ == "AssistantScreen"
        assert screen.triage is not None and screen.triage["priority"]["level"] <= 2
        assert screen.encounter_id is not None
