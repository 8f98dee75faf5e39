"""Keys typed while the PIN is checked are neither lost nor misrouted: once signed in they reach
the home screen in the order typed (a repeated Enter excepted); after a refusal they are dropped
and the screen says so (tui/screens/login.py)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, OptionList

from appliance.device import Device
from tests.tui.conftest import burst
from tui.app import LifeboatApp


async def _choose(pilot: Any, user: str) -> None:
    users = pilot.app.screen.query_one("#users", OptionList)
    names = [str(users.get_option_at_index(i).prompt) for i in range(users.option_count)]
    users.highlighted = names.index(user)
    await pilot.pause()


async def _until(pilot: Any, test: Any, tries: int = 600) -> None:
    for _ in range(tries):
        await pilot.pause(0.05)
        if test():
            return
    raise AssertionError(f"condition not reached on {pilot.app.screen}")


async def _home(pilot: Any, app: LifeboatApp) -> None:
    """At home; the spare record the app composes on sign-in finished before the test ends
    (leaving while it composes trips a teardown race in the record's tabs, not under test)."""
    await _until(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
    await _until(pilot, lambda: app.record_spare.ready)


def _message(app: LifeboatApp) -> str:
    return str(app.screen.query_one("#message").render())


async def test_a_key_typed_straight_after_the_pin_reaches_home(device: Device) -> None:
    app = LifeboatApp(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await _choose(pilot, "paramedic")
        # Enter twice from habit, then b for the board, all before the PIN is checked
        await burst(pilot, ["enter", *"111111", "enter", "enter", "b"])
        await _until(pilot, lambda: type(app.screen).__name__ == "BoardScreen")
        # the second Enter did not open the home menu's first line (a new record)
        assert [type(s).__name__ for s in app.screen_stack][-2:] == ["HomeScreen",
                                                                    "BoardScreen"]


async def test_typing_the_surname_after_n_lands_in_the_new_record(device: Device) -> None:
    app = LifeboatApp(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await _choose(pilot, "paramedic")
        await burst(pilot, ["enter", *"111111", "enter", "n", *"Smith"])
        await _until(pilot, lambda: type(app.screen).__name__ == "EncounterScreen")
        await _until(pilot, lambda: app.screen.query_one("#family_name", Input).value
                     == "Smith")


async def test_keys_typed_while_a_wrong_pin_is_checked_are_dropped_visibly(
        device: Device) -> None:
    app = LifeboatApp(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await _choose(pilot, "paramedic")
        await burst(pilot, ["enter", *"000000", "enter", *"12"])
        await _until(pilot, lambda: "Wrong PIN" in _message(app))
        assert "2 keys typed while the PIN was checked not used" in _message(app)
        pin = app.screen.query_one("#pin", Input)
        assert pin.value == "" and not pin.disabled and app.focused is pin
        await burst(pilot, [*"111111", "enter"])  # the box takes keys again
        await _home(pilot, app)


async def test_the_screen_says_keys_wait_while_the_pin_is_checked(device: Device) -> None:
    app = LifeboatApp(device)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await _choose(pilot, "paramedic")
        screen._check("paramedic", "111111")  # type: ignore[attr-defined]
        assert "keys you type now wait" in _message(app)
        assert screen.query_one("#pin", Input).disabled
        await _home(pilot, app)


async def test_arrows_enter_and_the_pin_typed_in_one_burst_pick_the_user_meant(
        device: Device) -> None:
    app = LifeboatApp(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#users", OptionList).highlighted == 0  # admin
        # a slip corrected with Backspace in the PIN box, all in one burst
        await burst(pilot, ["down", "down", "enter", *"1119", "backspace", *"111", "enter"])
        await _home(pilot, app)
        assert app.session is not None and app.session.user.username == "paramedic"
