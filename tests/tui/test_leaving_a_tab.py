"""Leaving a tab, or the record, saves what is typed there as Ctrl+S would; refused input keeps
you on its tab with the reason, and is never dropped silently (tui/README.md, "Record screens").
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from appliance.device import Device
from tests.tui.conftest import burst, make_app, settle, sign_in
from tests.tui.test_record_keys import stored_obs, stored_patients

OBS = [*"20", "tab", *"96", "tab", "a", *"120", "tab", *"70", "tab", *"90", "tab", "a"]


def _notes(app: Any) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def _reopen_from_board(pilot: Any) -> None:
    await pilot.press("b")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert pilot.app.screen.__class__.__name__ == "EncounterScreen"


@pytest.mark.parametrize("typing", ["one key at a time", "burst"])
async def test_switching_tab_saves_the_observations_typed(device: Device, typing: str) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f4")
        keys = [*OBS, "f5"]  # no Enter, no Ctrl+S: F5 leaves the tab
        if typing == "burst":
            await burst(pilot, keys)
        else:
            await pilot.press(*keys)
        await settle(pilot)
        assert app.screen.query_one("#enc-tabs").active == "triage"  # type: ignore[attr-defined]
        assert stored_obs(app) == [(20, 96, 0, 120, 70, 90, "A", None)]
        await pilot.press("escape")  # nothing left unsaved: leaves without asking
        await settle(pilot)
        assert app.screen.__class__.__name__ == "HomeScreen"
        await _reopen_from_board(pilot)
        table = app.screen.query_one("#obs-table")
        assert table.row_count == 1  # type: ignore[attr-defined]
        assert stored_obs(app) == [(20, 96, 0, 120, 70, 90, "A", None)]


async def test_keys_typed_after_the_f_key_land_on_the_new_tab(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await burst(pilot, [*"Jones", "f4", *"24", "enter"])
        assert [p["family_name"] for p in stored_patients(app)] == ["Jones"]
        assert stored_obs(app) == [(24, None, None, None, None, None, None, None)]


async def test_leaving_the_record_saves_every_tab_and_it_reopens_as_typed(
        device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", *"Jones", "tab", "tab", "tab", "tab", "m", *"9434765919")
        await pilot.press("f3", "m", *"chest pain")  # the patient is saved as F3 leaves it
        await pilot.press("f7", *"pale and sweaty")  # the incident as F7 leaves it
        await pilot.press("escape")  # the note as Escape leaves the record
        await settle(pilot)
        assert app.screen.__class__.__name__ == "HomeScreen"
        assert stored_patients(app) == [{"family_name": "Jones", "sex": "M",
                                         "nhs_number": "9434765919", "allergies": None,
                                         "medications": None}]
        enc = app.session.db.query("SELECT kind, presenting_complaint FROM encounters")  # type: ignore[union-attr]
        assert [(e["kind"], e["presenting_complaint"]) for e in enc] == [("medical",
                                                                         "chest pain")]
        notes = app.session.db.query("SELECT text FROM notes")  # type: ignore[union-attr]
        assert [n["text"] for n in notes] == ["pale and sweaty"]
        await _reopen_from_board(pilot)
        await pilot.press("f2")
        assert app.screen.query_one("#nhs_number", Input).value == "9434765919"


async def test_treatment_typed_is_saved_when_the_tab_is_left(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f6", "d", *"aspirin", "tab", *"300", "f4")
        await settle(pilot)
        rows = app.session.db.query("SELECT name, dose, dose_unit FROM interventions")  # type: ignore[union-attr]
        assert [(r["name"], r["dose"], r["dose_unit"]) for r in rows] == [("aspirin", "300",
                                                                          "mg")]
        assert app.screen.query_one("#enc-tabs").active == "obs"  # type: ignore[attr-defined]


async def test_refused_input_keeps_you_on_its_tab_and_says_why(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        # a wrong NHS check digit
        await pilot.press("n", *"Jones", "tab", "tab", "tab", "tab", "tab", *"9434765918")
        await pilot.press("f4")
        await settle(pilot)
        assert app.screen.query_one("#enc-tabs").active == "patient"  # type: ignore[attr-defined]
        assert app.focused is app.screen.query_one("#nhs_number")
        assert "Still on Patient" in _notes(app) and "check digit" in _notes(app).lower()
        assert stored_patients(app) == []
        await pilot.press("escape")  # leaving the record asks: nothing is dropped silently
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        assert "Patient is not saved" in str(app.screen.query_one("Static").render())
        await pilot.press("n")  # stay and fix it
        await settle(pilot)
        assert app.screen.__class__.__name__ == "EncounterScreen"
        assert app.screen.query_one("#nhs_number", Input).value == "9434765918"
        await pilot.press("backspace", "9", "f4")
        await settle(pilot)
        assert app.screen.query_one("#enc-tabs").active == "obs"  # type: ignore[attr-defined]
        assert [p["nhs_number"] for p in stored_patients(app)] == ["9434765919"]


async def test_an_impossible_observation_keeps_you_on_obs(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f4", "tab", *"140", "f7")
        await settle(pilot)
        assert app.screen.query_one("#enc-tabs").active == "obs"  # type: ignore[attr-defined]
        assert "Still on Obs" in _notes(app) and "impossible" in _notes(app)
        assert app.screen.query_one("#spo2", Input).value == "140"
        assert stored_obs(app) == []


async def test_ctrl_q_on_the_record_saves_before_quitting(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        session = app.session
        await pilot.press("n", "f4", *"24", "ctrl+q")
        await settle(pilot)
        assert not app.is_running
    assert session is not None
    again = device.login("paramedic", "111111")
    try:
        rows = again.db.query("SELECT respiratory_rate FROM observations")
        assert [r["respiratory_rate"] for r in rows] == [24]
    finally:
        again.close()


async def test_a_complaint_typed_on_triage_is_saved_when_the_tab_is_left(
        device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f5", *"chest pain", "f4")
        await settle(pilot)
        enc = app.session.db.query("SELECT presenting_complaint FROM encounters")  # type: ignore[union-attr]
        assert [e["presenting_complaint"] for e in enc] == ["chest pain"]
        await pilot.press("f3")
        assert app.screen.query_one("#presenting_complaint", Input).value == "chest pain"
        assert not app.screen.has_unsaved_input()  # type: ignore[attr-defined]


async def test_a_click_on_another_tab_saves_this_one_or_comes_back(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f4", "tab", *"140")  # an impossible SpO2
        await pilot.click("#--content-tab-close")
        await settle(pilot)
        assert app.screen.query_one("#enc-tabs").active == "obs"  # type: ignore[attr-defined]
        assert "Still on Obs" in _notes(app)
        await pilot.press("backspace", "backspace", "backspace", *"96")
        await pilot.click("#--content-tab-close")
        await settle(pilot)
        assert app.screen.query_one("#enc-tabs").active == "close"  # type: ignore[attr-defined]
        assert stored_obs(app) == [(None, 96, None, None, None, None, None, None)]


async def test_an_age_typed_into_the_surname_is_refused_and_nothing_is_saved(
        device: Device) -> None:
    # Down does not move between fields: "30" meant for the age lands in the surname
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "down", "down", "down", *"30", "f5")
        await settle(pilot)
        assert stored_patients(app) == []
        assert app.screen.focused is not None and app.screen.focused.id == "family_name"
        row = app.screen.query_one("#row-family_name")
        assert row.has_class("-invalid")
        assert "looks like a number" in str(row.query_one(".field-error").render())
        assert "Fix the field marked in red first." in _notes(app)


async def test_typing_on_coming_back_to_the_complaint_adds_to_it(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f5", *"chest pain", "f4")
        await settle(pilot)
        await pilot.press("f5", *" and vomiting")
        await settle(pilot)
        complaint = app.screen.query_one("#triage-complaint", Input)
        assert complaint.value == "chest pain and vomiting"
