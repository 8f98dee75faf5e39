"""The record's interaction rule, typed as people type it, checked by what is stored.

A one-key pick moves to the next field and a Tab typed straight after it is absorbed, so the
habitual "pick, Tab" does not skip a field; Enter on a pick list keeps the choice and moves on;
the key line offers only keys that work where focus is (tui/README.md, "Record screens").
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from appliance.device import Device
from tests.tui.conftest import burst, make_app, settle, sign_in

# RR Tab SpO2 Tab air Tab systolic Tab diastolic Tab pulse Tab ACVPU Tab temperature Enter
OBS_WITH_TABS = [*"20", "tab", *"96", "tab", "a", "tab", *"120", "tab", *"70", "tab", *"90",
                 "tab", "a", "tab", *"37.1", "enter"]
OBS_FIELDS = ("respiratory_rate", "spo2", "on_oxygen", "systolic_bp", "diastolic_bp", "pulse",
              "consciousness", "temperature")


def stored_obs(app: Any) -> list[tuple[Any, ...]]:
    rows = app.session.db.query("SELECT * FROM observations ORDER BY taken_at")
    return [tuple(r[f] for f in OBS_FIELDS) for r in rows]


def stored_patients(app: Any) -> list[dict[str, Any]]:
    return app.session.db.query(  # type: ignore[no-any-return]
        "SELECT family_name, sex, nhs_number, allergies, medications FROM patients")


@pytest.mark.parametrize("typing", ["one key at a time", "burst"])
async def test_tab_after_a_pick_does_not_skip_a_field(device: Device, typing: str) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f4")
        if typing == "burst":
            await burst(pilot, OBS_WITH_TABS)
        else:
            await pilot.press(*OBS_WITH_TABS)
        await settle(pilot)
        assert stored_obs(app) == [(20, 96, 0, 120, 70, 90, "A", 37.1)]


async def test_a_pick_without_tab_still_moves_on(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f4")
        await burst(pilot, [*"20", "tab", *"96", "tab", "o", *"120", "tab", *"70", "tab",
                            *"90", "tab", "v", *"37.1", "enter"])
        assert stored_obs(app) == [(20, 96, 1, 120, 70, 90, "V", 37.1)]


async def test_two_tabs_after_a_pick_skip_one_field(device: Device) -> None:
    """Only the Tab straight after a pick is absorbed: a second one moves on as usual."""
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f4")
        await pilot.press(*"20", "tab", *"96", "tab", "a", "tab", "tab", *"70", "enter")
        await settle(pilot)
        assert stored_obs(app) == [(20, 96, 0, None, 70, None, None, None)]


async def test_sex_then_tab_keeps_the_nhs_number(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", *"Jones", "tab", "tab", "tab", "tab", "m", "tab",
                          *"9434765919", "enter")
        await settle(pilot)
        assert stored_patients(app) == [{"family_name": "Jones", "sex": "M",
                                         "nhs_number": "9434765919", "allergies": None,
                                         "medications": None}]


async def test_allergies_and_medications_are_saved_with_the_patient(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await burst(pilot, ["n", *"Jones", "tab", "tab", "tab", "tab", "f", "tab",
                            *"9434765919", "tab", *"penicillin - rash", "tab",
                            *"ramipril 5mg", "enter"])
        assert stored_patients(app) == [{"family_name": "Jones", "sex": "F",
                                         "nhs_number": "9434765919",
                                         "allergies": "penicillin - rash",
                                         "medications": "ramipril 5mg"}]


async def test_enter_on_a_pick_list_keeps_the_choice_and_moves_on(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f4", *"20", "tab", "tab", "tab", "tab", "tab", "tab")
        screen = app.screen
        assert app.focused is screen.query_one("#consciousness")
        await pilot.press("right", "enter")  # → shows A; Enter keeps it and moves on
        assert app.focused is screen.query_one("#temperature")
        await pilot.press(*"37.1", "enter")
        await settle(pilot)
        assert stored_obs(app) == [(20, None, None, None, None, None, "A", 37.1)]


async def test_enter_on_an_empty_pick_list_saves_the_part_as_in_a_field(
        device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f4", *"20", "tab", "tab", "tab", "tab", "tab", "tab")
        assert "Enter save" in str(app.screen.query_one("#enc-keys").render())
        await pilot.press("enter")  # ACVPU left blank: the set is saved without it
        await settle(pilot)
        assert stored_obs(app) == [(20, None, None, None, None, None, None, None)]
        # the incident's last field (Arrival), nothing picked: Enter saves the incident
        await burst(pilot, ["f3", "t", "tab", *"fall", *["tab"] * 6, "enter"])
        row = app.session.db.query("SELECT kind, presenting_complaint, arrival "  # type: ignore[union-attr]
                                   "FROM encounters")[0]
        assert tuple(row.values()) == ("trauma", "fall", None)


async def test_enter_on_a_pick_list_outside_a_form_says_which_keys_pick(
        device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f7", "tab")
        assert app.focused is app.screen.query_one("#disposition")
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#disposition")
        assert any("Nothing picked: 1 to ED" in str(n.message) for n in app._notifications)


async def test_incident_kind_then_tab_lands_the_complaint(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await burst(pilot, ["n", "f3", "t", "tab", *"leg injury", "enter"])
        row = app.session.db.query("SELECT kind, presenting_complaint FROM encounters")[0]  # type: ignore[union-attr]
        assert (row["kind"], row["presenting_complaint"]) == ("trauma", "leg injury")


async def test_treatment_starts_on_kind_and_d_then_a_name_is_a_drug(device: Device) -> None:
    """"d" then "oxy" typed in the name gave "doxy": focus now starts on Kind, the first field."""
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f6")
        assert app.focused is app.screen.query_one("#tx-kind")
        await burst(pilot, ["p", "tab", *"Splint", "enter", "d", *"Paracetamol", "tab",
                            *"1", "tab", *"g", "enter"])
        rows = app.session.db.query("SELECT kind, name, dose, dose_unit FROM interventions")  # type: ignore[union-attr]
        assert [(r["kind"], r["name"], r["dose"], r["dose_unit"]) for r in rows] == [
            ("procedure", "Splint", None, None), ("drug", "Paracetamol", "1", "g")]
        assert app.focused is app.screen.query_one("#tx-kind")


async def test_ctrl_e_in_the_note_closes_and_digits_there_are_typed(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", *"Jones", "enter")
        await settle(pilot)
        await pilot.press("f7", "tab", "3", "shift+tab", *"seen 1 time")
        keys = str(app.screen.query_one("#enc-keys").render())
        assert "1-8" not in keys and "^E close" in keys
        assert app.screen.query_one("#note", Input).value == "seen 1 time"
        await pilot.press("enter", "ctrl+e")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        await pilot.press("y")
        await settle(pilot)
        enc = app.session.db.query("SELECT status, disposition FROM encounters")[0]  # type: ignore[union-attr]
        assert (enc["status"], enc["disposition"]) == ("closed", "discharged home")
        notes = app.session.db.query("SELECT text FROM notes")  # type: ignore[union-attr]
        assert [n["text"] for n in notes] == ["seen 1 time"]


async def test_the_key_line_follows_focus(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f7")

        def keys() -> str:
            return str(app.screen.query_one("#enc-keys").render())

        assert "Enter/^S save note" in keys() and "pick" not in keys()
        await pilot.press("tab")
        assert "1/2/3/4/5/6/7/8 pick" in keys() and "Enter save note" not in keys()
        header = str(app.screen.query_one("#enc-header").render())
        assert "saved by Enter, ^S or leaving a tab" in header


async def test_arrows_in_the_complaint_choose_the_reason_ctrl_o_opens(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f4", *"30", "tab", *"88", "enter")
        await settle(pilot)
        await pilot.press("f5", *"chest pain")
        await settle(pilot)
        panel: Any = app.screen.query_one("#triage-panel")
        protocols = [r["protocol"] for r in panel.result["reasons"]]
        assert len(set(protocols)) > 1, protocols  # more than one protocol to choose from
        second = next(i for i, p in enumerate(protocols) if p != protocols[0])
        await pilot.press(*["down"] * second)
        assert app.focused is app.screen.query_one("#triage-complaint")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ProtocolDocumentScreen"
        assert app.screen.doc_id == protocols[second]  # type: ignore[attr-defined]


def test_only_the_tab_straight_after_a_pick_is_absorbed() -> None:
    from textual import events
    from textual.app import App

    from tui.widgets.field_row import KeyGate

    gate = KeyGate(App())

    def typed(key: str) -> None:
        gate.routing(events.Key(key, None))

    typed("a")
    gate.picked()
    typed("tab")
    assert gate.absorbs_tab()
    typed("tab")
    assert not gate.absorbs_tab()  # the second Tab moves on
    typed("a")
    gate.picked()
    typed("1")
    typed("tab")
    assert not gate.absorbs_tab()  # a key in between: the Tab is a Tab
    typed("a")
    gate.picked()
    gate.routing(events.MouseDown(None, 1, 1, 0, 0, 1, False, False, False,
                                  screen_x=1, screen_y=1))
    typed("tab")
    assert not gate.absorbs_tab()  # a click moved focus meanwhile


async def test_a_medical_handover_can_be_signed_as_atmist_with_allergies(
        device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await burst(pilot, ["n", *"Khan", *["tab"] * 6, *"penicillin - rash", "enter"])
        await burst(pilot, ["f3", "m", "tab", *"chest pain", "enter"])
        await pilot.press("f8")
        await settle(pilot)
        assert app.screen.handover.format == "SBAR"  # type: ignore[attr-defined]
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        [note] = app.session.db.query("SELECT text FROM notes WHERE kind = 'handover'")  # type: ignore[union-attr]
        assert note["text"].startswith("ATMIST handover — Khan")
        assert "M  Medical: presenting complaint: chest pain" in note["text"]
        assert "+  Allergies: penicillin - rash" in note["text"]
