"""An unknown patient linked to a known one is named by the link on the board and the record."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from appliance.device import Device
from appliance.records import matching, patients
from tests.tui.conftest import make_app, seed_encounter, settle, sign_in


def _header(pilot: Any) -> str:
    return str(pilot.app.screen.query_one("#enc-header", Static).render())


async def test_the_board_and_the_record_header_show_the_linked_name_until_the_link_goes(
        device: Device) -> None:
    seeder = device.login("paramedic", "111111")
    known = patients.register(seeder, family_name="Patel", given_name="Ravi",
                              nhs_number="9434765919")
    eid = seed_encounter(seeder, opened_min_ago=20, family=None, complaint="collapse")
    unknown = seeder.db.scalar("SELECT patient_id FROM encounters WHERE id = ?", (eid,))
    matching.link(seeder, unknown, known)
    seeder.close()
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert [e.patient for e in app.screen.entries] == [  # type: ignore[attr-defined]
            "PATEL, Ravi (linked)"]
        await pilot.press("enter")
        await settle(pilot)
        assert "PATEL, Ravi (linked) · 50 y · collapse" in _header(pilot)
        await pilot.press("f2", "ctrl+g")
        await settle(pilot)
        await pilot.press(*"not the same man", "ctrl+n")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "EncounterScreen"
        assert "Unknown patient · 50 y · collapse" in _header(pilot)
