"""Correcting an entry (F9) and matching an unknown patient (Ctrl+G), driven as a person would."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import OptionList, Static

from appliance.device import Device
from appliance.records import patients
from tests.tui.conftest import OBS_SETS, T0, make_app, seed_encounter, settle, sign_in
from tests.tui.test_snapshots import ScreenHarness, _seeded, _settle, utc_display  # noqa: F401


async def _open_record_from_board(pilot: Any) -> None:
    await sign_in(pilot)
    await pilot.press("b")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert pilot.app.screen.__class__.__name__ == "EncounterScreen"


async def _pick(pilot: Any, entity: str, field: str) -> None:
    """Move down the entry list to ``entity``'s ``field`` and press Enter, as a person would."""
    screen = pilot.app.screen
    index = next(i for i, e in enumerate(screen._entries) if (e[0], e[2]) == (entity, field))
    assert screen.query_one("#amend-entries", OptionList).highlighted == 0
    await pilot.press(*["down"] * index, "enter")
    await settle(pilot)


def _error(screen: Any, which: str) -> str:
    return str(screen.query_one(f"#row-amend-{which} .field-error", Static).render())


async def test_a_paramedic_corrects_an_observation_and_the_original_is_kept(
        device: Device) -> None:
    seeder = device.login("paramedic", "111111")
    eid = seed_encounter(seeder, opened_min_ago=20, family="Sepsis", obs=OBS_SETS[0],
                         obs_min_ago=10)
    seeder.close()
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_record_from_board(pilot)
        record = app.screen
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "AmendScreen"
        await _pick(pilot, "observation", "respiratory_rate")
        await pilot.press("backspace", "backspace", "backspace", *"26", "enter")
        await pilot.press("enter")  # no reason typed: refused at the field
        await settle(pilot)
        assert "Say why" in _error(app.screen, "reason")
        session = app.session
        assert session is not None
        assert session.db.scalar("SELECT COUNT(*) FROM amendments") == 0
        await pilot.press(*"miscounted", "enter")
        await settle(pilot)
        [obs] = session.db.query("SELECT * FROM observations WHERE encounter_id = ?", (eid,))
        assert obs["respiratory_rate"] == 26
        rows = session.db.query("SELECT * FROM amendments WHERE field = 'respiratory_rate'")
        assert [(r["old_value"], r["new_value"], r["reason"]) for r in rows] == [
            ("20", "26", "miscounted")]
        history = str(app.screen.query_one("#amend-history", Static).render())
        assert "20 → 26" in history and "miscounted" in history
        assert session.user.display_name in history
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is record
        assert record.query_one("#obs-panel").sets[0]["respiratory_rate"] == 26  # type: ignore[attr-defined]


async def test_a_paramedic_cannot_correct_a_clinicians_entry(device: Device) -> None:
    seeder = device.login("clinician", "222222")
    seed_encounter(seeder, opened_min_ago=20, family="Other", obs=OBS_SETS[0], obs_min_ago=10)
    seeder.close()
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_record_from_board(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await _pick(pilot, "observation", "pulse")
        await pilot.press("backspace", "backspace", "backspace", *"99", "enter",
                          *"typo", "enter")
        await settle(pilot)
        assert "Only a clinician" in _error(app.screen, "value")
        assert app.session.db.scalar("SELECT COUNT(*) FROM amendments") == 0  # type: ignore[union-attr]


async def test_an_unknown_patient_is_linked_to_a_suggested_match(device: Device) -> None:
    seeder = device.login("paramedic", "111111")
    known = patients.register(seeder, family_name="Smith", given_name="Ann",
                              date_of_birth="1954-03-02", nhs_number="9434765919", sex="F")
    seed_encounter(seeder, opened_min_ago=20, family=None, complaint="collapse")
    seeder.close()
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_record_from_board(pilot)
        await pilot.press("f2", "ctrl+g")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "MatchPatientScreen"
        await pilot.press(*"9434765918", "enter")  # wrong check digit: refused at the field
        await settle(pilot)
        assert "check" in str(app.screen.query_one(
            "#row-m-nhs_number .field-error", Static).render()).lower()
        await pilot.press("backspace", "9", "enter")
        await settle(pilot)
        results = app.screen.query_one("#match-results", OptionList)
        assert results.option_count == 1 and "SMITH" in str(results.get_option_at_index(0)
                                                           .prompt)
        await pilot.press("enter", "y")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "EncounterScreen"
        session = app.session
        assert session is not None
        rows = session.db.query("SELECT id, unknown, linked_to FROM patients ORDER BY unknown")
        assert len(rows) == 2  # both records stay: linked, not merged
        assert rows[1]["unknown"] == 1 and rows[1]["linked_to"] == known


async def test_an_unknown_patient_is_identified_by_registering_details(device: Device) -> None:
    seeder = device.login("paramedic", "111111")
    seed_encounter(seeder, opened_min_ago=20, family=None)
    seeder.close()
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_record_from_board(pilot)
        await pilot.press("f2", "ctrl+g", "tab", *"Jones", "tab", *"01/02/1960", "enter")
        await settle(pilot)
        assert app.screen.query_one("#match-results", OptionList).option_count == 1  # "none"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "EncounterScreen"
        [row] = app.session.db.query("SELECT * FROM patients")  # type: ignore[union-attr]
        assert (row["family_name"], row["date_of_birth"], row["unknown"]) == (
            "Jones", "1960-02-01", 0)


@pytest.mark.parametrize("size", [(80, 24)])
def test_amend_screen_snapshot(snap_compare: Any, device: Device,
                               size: tuple[int, int]) -> None:
    from appliance.records import amendments
    from tui.screens.encounter import EncounterScreen

    session, eid = _seeded(device)
    [first, *_] = session.db.query("SELECT id FROM observations WHERE encounter_id = ? "
                                   "ORDER BY taken_at", (eid,))
    amendments.amend(session, "observation", first["id"], "pulse", "98", "misread monitor")
    with session.db.transaction() as conn:  # a fixed time for the picture
        conn.execute("UPDATE amendments SET amended_at = ?", (T0.isoformat(),))
    app = ScreenHarness(session, lambda a: EncounterScreen(session, eid, a.clock))

    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("f9")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
