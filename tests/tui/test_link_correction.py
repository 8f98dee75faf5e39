"""Correcting a wrong patient link from the record (Ctrl+G), driven as a person would."""

from __future__ import annotations

from typing import Any

from textual.widgets import OptionList, Static

from appliance.device import Device
from appliance.records import matching, patients
from tests.tui.conftest import make_app, seed_encounter, settle, sign_in


def _seed(device: Device, user: str = "paramedic", pin: str = "111111") -> tuple[str, str, str]:
    """(the unknown patient, linked to the wrong Patel by ``user``, the right Patil)."""
    seeder = device.login(user, pin)
    wrong = patients.register(seeder, family_name="Patel", given_name="Ravi",
                              nhs_number="9434765919")
    right = patients.register(seeder, family_name="Patil", given_name="Raj",
                              date_of_birth="1960-02-01")
    eid = seed_encounter(seeder, opened_min_ago=20, family=None, complaint="collapse")
    unknown = seeder.db.scalar("SELECT patient_id FROM encounters WHERE id = ?", (eid,))
    matching.link(seeder, unknown, wrong)
    seeder.close()
    return unknown, wrong, right


async def _open_match(pilot: Any) -> None:
    await sign_in(pilot)
    await pilot.press("b")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("f2", "ctrl+g")
    await settle(pilot)
    assert pilot.app.screen.__class__.__name__ == "MatchPatientScreen"


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_a_wrong_link_is_changed_to_the_right_person_with_a_reason(
        device: Device) -> None:
    unknown, wrong, right = _seed(device)
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_match(pilot)
        screen = app.screen
        assert "Linked to PATEL" in _text(screen, "#match-state")
        assert screen.query_one("#m-reason").has_focus
        await pilot.press("tab", "tab", *"Patil", "enter")  # no reason yet
        await settle(pilot)
        await pilot.press("enter")  # pick Patil: refused until a reason is typed
        await settle(pilot)
        assert app.screen is screen
        assert "Say why" in _text(screen, "#row-m-reason .field-error")
        assert screen.query_one("#m-reason").has_focus
        await pilot.press(*"family say he is Raj Patil", "enter")  # Enter moves on to search
        assert screen.query_one("#m-nhs_number").has_focus
        results = screen.query_one("#match-results", OptionList)
        await pilot.press("enter")  # search again (the surname is still typed)
        await settle(pilot)
        assert results.has_focus and "PATIL" in str(results.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "EncounterScreen"
        session = app.session
        assert session is not None
        assert session.db.scalar("SELECT linked_to FROM patients WHERE id = ?",
                                 (unknown,)) == right
        [row] = matching.link_history(session, unknown)
        assert (row["old_value"], row["new_value"], row["reason"]) == (
            wrong, right, "family say he is Raj Patil")

        await pilot.press("ctrl+g")  # the correction shows when the screen opens again
        await settle(pilot)
        state = _text(app.screen, "#match-state")
        assert "Linked to PATIL" in state and "family say he is Raj Patil" in state
        await pilot.press("escape", "f9")  # the record's correction history names them
        await settle(pilot)
        history = _text(app.screen, "#amend-history")
        assert "Patient linked to PATEL, Ravi → PATIL, Raj · why: family say" in history


async def test_a_wrong_link_is_removed_and_both_records_stay(device: Device) -> None:
    unknown, wrong, _right = _seed(device)
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_match(pilot)
        session = app.session
        assert session is not None
        await pilot.press("ctrl+n")  # no reason: refused at the field
        await settle(pilot)
        assert "Say why" in _text(app.screen, "#row-m-reason .field-error")
        await pilot.press(*"not the same man", "ctrl+n")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "EncounterScreen"
        assert session.db.scalar("SELECT linked_to FROM patients WHERE id = ?",
                                 (unknown,)) is None
        assert session.db.scalar("SELECT COUNT(*) FROM patients") == 3
        [row] = matching.link_history(session, unknown)
        assert (row["old_value"], row["new_value"]) == (wrong, None)


async def test_a_paramedic_cannot_undo_a_clinicians_link(device: Device) -> None:
    unknown, wrong, _right = _seed(device, "clinician", "222222")
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_match(pilot)
        await pilot.press(*"looks wrong", "ctrl+n", "y")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "MatchPatientScreen"
        assert any("Only a clinician" in str(n.message) for n in app._notifications)
        assert app.session.db.scalar(  # type: ignore[union-attr]
            "SELECT linked_to FROM patients WHERE id = ?", (unknown,)) == wrong
