"""The lock takes down every screen that shows patient data, not only the record, board and
handover: patient matching, corrections, major-incident triage, a handover line being edited and
a yes/no question over a record. Each is opened through the real app with a patient's name (or
a casualty's triage) on screen and text typed; while locked no widget anywhere in the app holds
the name or the typed text and the screens are unmounted; after the same user unlocks they are
rebuilt from the encrypted store with what was typed, and work on. Driven with Pilot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, Static, TextArea

from appliance.device import Device
from appliance.records import patients
from bench.seed import seed_encounter
from tests.tui.conftest import make_app, settle, sign_in
from tui.app import Curtain
from tui.screens.lock import LockScreen


@pytest.fixture(autouse=True)
def no_background_failures(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """A reload finishing on a screen the lock took down must not fail in the background."""
    yield
    failed = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert failed == []


def dom_text(app: Any) -> str:
    """Every piece of text any mounted widget holds, on every screen the app has (the stack
    and installed screens), and what is drawn: upper-cased, to search."""
    screens: list[Screen[Any]] = list(app.screen_stack)
    screens += [s for s in app._installed_screens.values() if isinstance(s, Screen)]
    parts = [app.export_screenshot()]
    for screen in screens:
        for w in screen.query("*"):
            if isinstance(w, Input):
                parts.append(w.value)
            elif isinstance(w, TextArea):
                parts.append(w.text)
            elif isinstance(w, Static):
                parts.append(str(w.render()))
            elif isinstance(w, DataTable):
                parts += [str(c) for i in range(w.row_count) for c in w.get_row_at(i)]
            elif isinstance(w, OptionList):
                parts += [str(w.get_option_at_index(i).prompt) for i in range(w.option_count)]
    return "\n".join(parts).upper()


async def wait_for(pilot: Any, kind: type) -> Any:
    for _ in range(200):
        await settle(pilot)
        if isinstance(pilot.app.screen, kind):
            return pilot.app.screen
    raise AssertionError(f"{kind.__name__} did not open: {pilot.app.screen_stack}")


async def lock(pilot: Any) -> None:
    await pilot.press("ctrl+l")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LockScreen)
    assert isinstance(pilot.app.screen_stack[-2], Curtain)


async def unlock(pilot: Any, kind: type) -> Any:
    await pilot.press(*"111111", "enter")
    return await wait_for(pilot, kind)


def gone(screen: Screen[Any]) -> bool:
    return not screen.is_attached and len(screen.query("*")) == 0


async def open_record(pilot: Any) -> Any:
    from tui.screens.encounter import EncounterScreen

    await pilot.press("b")  # the board, then Enter on the (only) record
    await settle(pilot)
    await pilot.press("enter")
    return await wait_for(pilot, EncounterScreen)


async def test_patient_matching_and_its_question_come_down(device: Device) -> None:
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.encounter import EncounterScreen
    from tui.screens.match_patient import MatchPatientScreen

    session = device.login("paramedic", "111111")
    seed_encounter(session, opened_min_ago=5, family=None, complaint="fall")  # unknown
    patients.register(session, family_name="Zebedee", given_name="Ann", sex="F",
                      date_of_birth="1950-03-02")
    session.close()
    app = make_app(device)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await sign_in(pilot)
        record = await open_record(pilot)
        await pilot.press("f2", "ctrl+g")
        match = await wait_for(pilot, MatchPatientScreen)
        await pilot.press("tab", *"Zebedee", "enter")  # NHS number empty; the surname
        await settle(pilot)
        assert "ZEBEDEE, ANN" in dom_text(app)  # the control: the candidate is listed

        await lock(pilot)
        assert gone(match) and gone(record)
        assert "ZEBEDEE" not in dom_text(app)

        back = await unlock(pilot, MatchPatientScreen)
        assert back is not match
        assert back.query_one("#m-family_name", Input).value == "Zebedee"
        assert "ZEBEDEE, ANN" in dom_text(app)  # searched again from the store
        assert isinstance(app.screen_stack[-2], EncounterScreen)

        # Enter on the candidate asks to link: a question naming the patient, over the record.
        await pilot.press("enter")  # the search moved to the list: Enter on the candidate
        question = await wait_for(pilot, ConfirmScreen)
        assert "ZEBEDEE" in dom_text(app)
        await lock(pilot)
        assert gone(question) and "ZEBEDEE" not in dom_text(app)
        again = await unlock(pilot, MatchPatientScreen)  # the question is asked again, not kept
        assert again.query_one("#m-family_name", Input).value == "Zebedee"
        await pilot.press("enter")
        await wait_for(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_for(pilot, EncounterScreen)
        assert "LINKED TO ZEBEDEE" in dom_text(app)  # the toast saying who it is
        await lock(pilot)  # at once: the toast naming the patient goes with the lock too
        assert "ZEBEDEE" not in dom_text(app)
        app.notify("Handover signed for ZEBEDEE.")  # as a save finishing behind the lock would
        await settle(pilot)
        assert "ZEBEDEE" not in dom_text(app)  # held, not shown on the lock screen
        await unlock(pilot, EncounterScreen)
        await settle(pilot)
        assert "HANDOVER SIGNED FOR ZEBEDEE" in dom_text(app)  # shown once unlocked
    check = device.login("paramedic", "111111")
    linked = [p for p in check.db.query("SELECT linked_to FROM patients") if p["linked_to"]]
    check.close()
    assert len(linked) == 1  # the link made after the lock went to the store


async def test_a_correction_being_typed_comes_down_and_is_saved_after(device: Device) -> None:
    from tui.screens.amend import AmendScreen
    from tui.screens.encounter import EncounterScreen

    session = device.login("paramedic", "111111")
    seed_encounter(session, opened_min_ago=5, family="Zebedee", complaint="chest pain")
    session.close()
    app = make_app(device)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        record = await open_record(pilot)
        await pilot.press("f9")
        amend = await wait_for(pilot, AmendScreen)
        row = next(i for i, e in enumerate(amend._entries)
                   if e[0] == "patient" and e[2] == "family_name")
        await pilot.press(*["down"] * row, "enter")  # the surname entry
        await settle(pilot)
        await pilot.press("ctrl+u", *"Quixote", "enter", *"misheard")
        await settle(pilot)
        assert "ZEBEDEE" in dom_text(app) and "QUIXOTE" in dom_text(app)

        await lock(pilot)
        assert gone(amend) and gone(record)
        text = dom_text(app)
        assert "ZEBEDEE" not in text and "QUIXOTE" not in text and "MISHEARD" not in text

        back = await unlock(pilot, AmendScreen)
        assert back is not amend and back.target is not None and back.target[2] == "family_name"
        assert back.query_one("#amend-value", Input).value == "Quixote"
        assert back.query_one("#amend-reason", Input).value == "misheard"
        await pilot.press(*" name", "enter")  # typing carries on in the reason, then saves
        await settle(pilot)
        await pilot.press("escape")  # its answer goes to the rebuilt record, which redraws
        rebuilt = await wait_for(pilot, EncounterScreen)
        assert rebuilt is not record
        await settle(pilot)
        assert "QUIXOTE" in app.export_screenshot().upper()
    check = device.login("paramedic", "111111")
    rows = check.db.query("SELECT reason, new_value FROM amendments")
    check.close()
    assert rows == [{"reason": "misheard name", "new_value": "Quixote"}]


async def test_major_incident_triage_comes_down_with_its_casualty(device: Device) -> None:
    from tui.screens.major_incident import MajorIncidentScreen

    app = make_app(device)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await pilot.press("m")
        screen = await wait_for(pilot, MajorIncidentScreen)
        before = (screen.flow.question, screen.casualty)
        await pilot.press("n")  # one answer given: the flow moves on
        await settle(pilot)
        asked = screen.flow.question
        assert asked is not None and asked != before[0]
        shown = dom_text(app)
        assert "MAJOR INCIDENT —" in shown and asked.text.upper() in shown

        await lock(pilot)
        assert gone(screen)
        text = dom_text(app)
        assert "MAJOR INCIDENT —" not in text and asked.text.upper() not in text

        back = await unlock(pilot, MajorIncidentScreen)
        assert back is not screen and back.flow.question == asked
        assert asked.text.upper() in dom_text(app)


async def test_handover_wording_not_signed_is_carried_across_the_lock(device: Device) -> None:
    from tui.screens.handover import EditLineScreen, HandoverScreen

    session = device.login("paramedic", "111111")
    seed_encounter(session, opened_min_ago=5, family="Zebedee", complaint="chest pain")
    session.close()
    app = make_app(device)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await open_record(pilot)
        await pilot.press("f8")
        ho = await wait_for(pilot, HandoverScreen)
        await pilot.press("enter")  # edit the first line
        edit = await wait_for(pilot, EditLineScreen)
        await pilot.press(*" Quixote")
        await settle(pilot)
        assert "QUIXOTE" in dom_text(app) and "ZEBEDEE" in dom_text(app)

        # A line being edited: the dialog and the handover come down, and come back typed.
        await lock(pilot)
        assert gone(edit) and gone(ho)
        assert "QUIXOTE" not in dom_text(app) and "ZEBEDEE" not in dom_text(app)
        edit2 = await unlock(pilot, EditLineScreen)
        assert edit2 is not edit and edit2.query_one(Input).value.endswith(" Quixote")
        await pilot.press("enter")  # the answer goes to the rebuilt handover
        ho2 = await wait_for(pilot, HandoverScreen)
        assert ho2 is not ho and ho2.has_unsaved_input()
        assert ho2.handover is not None and ho2.handover.lines[0].text.endswith(" Quixote")

        # Edited and not signed: carried across a second lock, in memory, not in a widget.
        await lock(pilot)
        assert gone(ho2)
        assert "QUIXOTE" not in dom_text(app) and "ZEBEDEE" not in dom_text(app)
        ho3 = await unlock(pilot, HandoverScreen)
        assert ho3 is not ho2 and ho3.has_unsaved_input()
        assert "QUIXOTE" in dom_text(app)
        await pilot.press("s")  # and it can be signed
        await settle(pilot)
        assert not ho3.has_unsaved_input()
    check = device.login("paramedic", "111111")
    signed = check.db.query("SELECT text FROM notes WHERE kind = 'handover'")
    check.close()
    assert signed and "Quixote" in signed[-1]["text"]


async def test_the_assistant_asked_about_a_patient_comes_down(device: Device) -> None:
    from tui.screens.assistant import AssistantScreen
    from tui.screens.encounter import EncounterScreen

    session = device.login("paramedic", "111111")
    seed_encounter(session, opened_min_ago=5, family="Zebedee", complaint="chest pain")
    session.close()
    app = make_app(device)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await open_record(pilot)
        await pilot.press("f5", "f10")  # triage, then the assistant with its result
        screen = await wait_for(pilot, AssistantScreen)
        await pilot.press(*"aspirin for Zebedee")  # typed, not asked yet
        await settle(pilot)
        assert "ZEBEDEE" in dom_text(app)

        await lock(pilot)
        assert gone(screen) and "ZEBEDEE" not in dom_text(app)
        back = await unlock(pilot, AssistantScreen)
        assert back is not screen and back.triage == screen.triage
        assert back.query_one("#question", Input).value == "aspirin for Zebedee"
        assert isinstance(app.screen_stack[-2], EncounterScreen)


async def test_a_record_with_a_save_running_comes_down_once_the_save_ends(
        device: Device) -> None:
    """Ctrl+L while a save of the record is still running: the lock waits for it (a save
    needs its screen), then the record comes down with everything else."""
    import threading

    from tui.screens.encounter import EncounterScreen

    session = device.login("paramedic", "111111")
    seed_encounter(session, opened_min_ago=5, family="Zebedee", complaint="fall")
    session.close()
    app = make_app(device)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await sign_in(pilot)
        record = await open_record(pilot)
        assert "ZEBEDEE" in dom_text(app)
        release = threading.Event()
        # a worker of the record screen, as its save worker is, that ends when released
        record.run_worker(lambda: release.wait(10), thread=True, group="save")
        await pilot.press("ctrl+l")
        await pilot.pause(0.3)  # not settle(): that waits for workers, this one included
        assert isinstance(app.screen, EncounterScreen)  # not locked over a running save
        release.set()
        for _ in range(100):
            await settle(pilot)
            if isinstance(app.screen, LockScreen):
                break
        assert isinstance(app.screen, LockScreen)
        assert gone(record) and "ZEBEDEE" not in dom_text(app)
        back = await unlock(pilot, EncounterScreen)
        assert back is not record and "ZEBEDEE" in dom_text(app)
