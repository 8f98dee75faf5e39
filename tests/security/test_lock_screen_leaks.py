"""The lock screen shows nothing of the record and the command palette cannot copy it out of the
encrypted store: Textual's Screenshot command is gone (on every screen), the lock screen offers
no commands at all, the screenshot action writes nothing, and an opaque curtain keeps the record
from being drawn behind the lock. Driven through the real app with Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.device import Device
from bench.seed import seed_encounter
from tests.tui.conftest import make_app, settle, sign_in
from tui.app import Curtain
from tui.screens.lock import LockScreen


@pytest.fixture
def home_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where Textual saves screenshots (~/Downloads) points into this test's folder."""
    home = tmp_path / "user-home"
    (home / "Downloads").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    return home


def svgs(root: Path) -> list[Path]:
    return list(root.rglob("*.svg"))


async def test_the_palette_screenshot_on_the_lock_screen_writes_nothing(
        device: Device, home_dir: Path, tmp_path: Path) -> None:
    app = make_app(device)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Lock screen" in titles and not any("screenshot" in t.lower() for t in titles)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert list(app.get_system_commands(app.screen)) == []
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"screenshot", "enter")
        await settle(pilot)
        app.action_screenshot()
        await settle(pilot)
    assert svgs(tmp_path) == []


async def test_nothing_of_the_record_is_drawn_behind_the_lock(device: Device) -> None:
    session = device.login("paramedic", "111111")
    seed_encounter(session, opened_min_ago=5, family="Zebedee", complaint="chest pain")
    session.close()
    app = make_app(device)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await pilot.press("b")  # the board lists every open record
        await settle(pilot)
        assert "ZEBEDEE" in app.export_screenshot().upper()  # the control: it is on screen
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen) and isinstance(app.screen_stack[-2], Curtain)
        assert "ZEBEDEE" not in app.export_screenshot().upper()
        await pilot.press(*"111111", "enter")
        for _ in range(100):
            await settle(pilot)
            if not isinstance(app.screen, LockScreen | Curtain):
                break
        assert not isinstance(app.screen, LockScreen | Curtain)
        assert "ZEBEDEE" in app.export_screenshot().upper()


def typed_anywhere(app: object, text: str) -> list[str]:
    """Every mounted field, on any screen of the stack, whose value holds ``text``."""
    from textual.widgets import Input

    return [f"{type(s).__name__}:{w.id}" for s in app.screen_stack  # type: ignore[attr-defined]
            for w in s.query(Input) if text.lower() in w.value.lower()]


async def test_the_record_comes_down_while_locked_and_returns_with_what_was_typed(
        device: Device) -> None:
    from textual.widgets import Input

    from tui.screens.encounter import EncounterScreen

    session = device.login("paramedic", "111111")
    seed_encounter(session, opened_min_ago=5, family="Zebedee", complaint="chest pain")
    session.close()
    app = make_app(device)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await pilot.press("b")  # the board, then a new record over it, typed and not saved
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        record = app.screen
        assert isinstance(record, EncounterScreen)
        await pilot.press(*"Quixote")
        await settle(pilot)
        assert record.has_unsaved_input() and typed_anywhere(app, "Quixote")

        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        kinds = [type(s).__name__ for s in app.screen_stack]
        assert kinds[-3:] == ["HomeScreen", "Curtain", "LockScreen"], kinds
        assert not record.is_attached and len(record.query("*")) == 0  # unmounted, emptied
        assert typed_anywhere(app, "Quixote") == []
        assert "ZEBEDEE" not in app.export_screenshot().upper()
        assert app.screen.styles.background.a == 1.0  # the lock itself hides everything

        await pilot.press(*"111111", "enter")
        for _ in range(100):
            await settle(pilot)
            if isinstance(app.screen, EncounterScreen):
                break
        kinds = [type(s).__name__ for s in app.screen_stack]
        assert kinds[-3:] == ["HomeScreen", "BoardScreen", "EncounterScreen"], kinds
        back = app.screen
        assert back is not record and isinstance(back, EncounterScreen)
        assert back.query_one("#family_name", Input).value == "Quixote"
        assert back.has_unsaved_input()
        await pilot.press(*"-Sancho")  # typing carries on in the field that had focus
        await settle(pilot)
        assert back.query_one("#family_name", Input).value == "Quixote-Sancho"
        await pilot.press("escape", "y")  # leave the record without saving
        await settle(pilot)
        assert type(app.screen).__name__ == "BoardScreen"
        assert "ZEBEDEE" in app.export_screenshot().upper()  # the board, rebuilt


async def test_a_stored_record_being_edited_returns_with_the_edit(device: Device) -> None:
    from textual.widgets import Input

    from tui.screens.encounter import EncounterScreen

    session = device.login("paramedic", "111111")
    seed_encounter(session, opened_min_ago=5, family="Zebedee", complaint="chest pain")
    session.close()
    app = make_app(device)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("enter")  # open the highlighted (only) record
        for _ in range(100):
            await settle(pilot)
            if isinstance(app.screen, EncounterScreen):
                break
        record = app.screen
        assert isinstance(record, EncounterScreen)
        await pilot.press("f2")
        await settle(pilot)
        name = record.query_one("#family_name", Input)
        name.focus()
        name.value = "Zebedee-Quixote"  # edited, not saved
        await settle(pilot)
        assert record.has_unsaved_input()

        await pilot.press("ctrl+l")
        await settle(pilot)
        assert typed_anywhere(app, "Quixote") == [] and typed_anywhere(app, "Zebedee") == []
        await pilot.press(*"111111", "enter")
        for _ in range(100):
            await settle(pilot)
            if isinstance(app.screen, EncounterScreen):
                break
        back = app.screen
        assert isinstance(back, EncounterScreen) and back is not record
        assert back.query_one("#family_name", Input).value == "Zebedee-Quixote"
        assert back.has_unsaved_input()
        assert back.focused is back.query_one("#family_name", Input)
