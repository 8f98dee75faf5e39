"""The board at 80 columns: priority, name, complaint, waited-vs-target and NEWS2 on screen,
without scrolling; and the engine's priority for a patient nobody has triaged."""

from __future__ import annotations

from appliance.device import Device
from tests.records.test_board_engine import NEWS2_8
from tests.tui.conftest import FixedClock, make_app, seed_encounter, settle, sign_in
from tui.widgets.row_table import RowTable


def _seed(device: Device) -> None:
    seeder = device.login("clinician", "222222")
    seed_encounter(seeder, opened_min_ago=11, family="Sickperson", complaint="unwell, breathless",
                   obs=NEWS2_8, obs_min_ago=4, area="Majors")
    seed_encounter(seeder, opened_min_ago=130, family="Longwaiter-Featherstonehaugh",
                   priority=4, complaint="laceration to left forearm needing sutures",
                   area="Minors")
    seed_encounter(seeder, opened_min_ago=3, family="Ankle", complaint="twisted ankle")
    seeder.close()


def _lines(table: RowTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.row_count + 1)]


async def test_at_80_columns_the_safety_columns_fit_without_scrolling(device: Device) -> None:
    _seed(device)
    app = make_app(device, FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "paramedic", "111111")
        await pilot.press("b")
        await settle(pilot)
        table = app.screen.query_one("#board-table", RowTable)
        assert table.line_width <= table.size.width  # nothing to scroll to
        header, *rows = _lines(table)
        sick = next(r for r in rows if "SICKPERSON" in r)
        ankle = next(r for r in rows if "ANKLE" in r)
        long_wait = next(r for r in rows if "laceration" in r)
        for label in ("Priority", "Patient", "Complaint", "Waited", "NEWS2"):
            assert label in header
        # The engine's Very urgent for the NEWS2 8 patient nobody has triaged (no sign of
        # shock), marked '*', with its 10-minute target already breached.
        assert "2 V.urg*" in sick and "⚠11/10m" in sick
        assert sick.split("⚠11/10m")[1].split()[0] == "8"
        assert "? Triage*" in ankle and "twisted ankle" in ankle
        assert "⚠130/120m" in long_wait and "laceration" in long_wait
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        header, *rows = _lines(table)
        sick = next(r for r in rows if "SICKPERSON" in r.upper())
        assert "Area" in header and "2 Very urgent*" in sick and "Majors" in sick
        assert table.line_width <= table.size.width
