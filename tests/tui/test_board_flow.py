"""The board as a nurse in charge sees it, with a clock the test controls."""

from __future__ import annotations

from datetime import timedelta

from appliance.device import Device
from tests.tui.conftest import FixedClock, make_app, seed_encounter, settle, sign_in
from tui.widgets.row_table import RowTable

OBS5 = {"respiratory_rate": 22, "spo2": 95, "on_oxygen": False, "systolic_bp": 120,
        "pulse": 95, "consciousness": "A", "temperature": 38.5}  # NEWS2 5


def _keys(table: RowTable) -> list[str]:
    """The encounters in the order the table shows them (rows are slots, checked by name)."""
    ids = table.screen.row_ids()  # type: ignore[attr-defined]
    assert table.row_count == len(ids)
    assert [str(table.get_row_at(i)[1]) for i in range(len(ids))] == \
        [e.patient for e in table.screen.entries]  # type: ignore[attr-defined]
    return list(ids)


COLUMNS = ("prio", "patient", "age", "area", "complaint", "wait", "news2", "due")


def _cell(table: RowTable, key: str, column: str) -> str:
    row = table.screen.row_ids().index(key)  # type: ignore[attr-defined]
    return str(table.get_row_at(row)[COLUMNS.index(column)])


async def test_board_order_breach_and_reassessment_follow_the_clock(device: Device) -> None:
    clock = FixedClock()
    seeder = device.login("clinician", "222222")
    standard_long = seed_encounter(seeder, opened_min_ago=100, family="Long", priority=4)
    standard_new = seed_encounter(seeder, opened_min_ago=5, family="New", priority=4)
    urgent = seed_encounter(seeder, opened_min_ago=30, family="Sepsis", priority=3, obs=OBS5,
                            obs_min_ago=50, area="Majors")
    immediate = seed_encounter(seeder, opened_min_ago=1, family="Arrest", priority=1)
    untriaged = seed_encounter(seeder, opened_min_ago=3, family="Waiting")
    seeder.close()
    app = make_app(device, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "paramedic", "111111")
        await pilot.press("b")
        await settle(pilot)
        table = app.screen.query_one("#board-table", RowTable)
        assert _keys(table) == [immediate, untriaged, urgent, standard_long, standard_new]
        assert "⚠" not in _cell(table, standard_long, "wait")
        assert "obs in 10m" == _cell(table, urgent, "due")
        clock.now += timedelta(minutes=25)  # standard_long waits 125 min > 120 target
        await pilot.press("r")
        await settle(pilot)
        assert _cell(table, standard_long, "wait").startswith("⚠ 125/120m")
        assert "⚠" not in _cell(table, standard_new, "wait")
        assert _cell(table, urgent, "due") == "obs DUE +15m"  # NEWS2 5: hourly
        await pilot.press("a")  # filter by area: Majors only
        await settle(pilot)
        assert _keys(table) == [urgent]
        await pilot.press("a", "slash", *"long", "enter")
        await settle(pilot)
        assert _keys(table) == [standard_long]
        await pilot.press("escape")
        await settle(pilot)
        assert len(_keys(table)) == 5
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "EncounterScreen"
        assert app.screen.ctx.encounter_id == standard_long  # the row found by search  # type: ignore[attr-defined]


async def test_switching_user_keeps_everyones_unsynced_work_on_the_board(
        device: Device) -> None:
    first = device.login("paramedic", "111111")
    mine = seed_encounter(first, opened_min_ago=10, family="Mine", priority=3)
    first.close()
    app = make_app(device, FixedClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "clinician", "222222")
        await pilot.press("b")
        await settle(pilot)
        assert _keys(app.screen.query_one("#board-table", RowTable)) == [mine]
        unsynced = app.session.db.query(  # type: ignore[union-attr]
            "SELECT COUNT(*) AS n FROM outbox WHERE acked_at IS NULL")[0]["n"]
        assert unsynced >= 3
