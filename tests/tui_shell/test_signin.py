"""Sign-in as a person types it: the chosen user, wrong PINs, the back-off, five users at
80×24, adding a user, and signing out from home."""

from __future__ import annotations

import dataclasses

import pytest
from textual.widgets import Footer, OptionList

from appliance.device import Device, enrol_demo
from appliance.paths import layout
from tui.app import LifeboatApp


@pytest.fixture
def five_users() -> Device:
    device = enrol_demo(layout())
    admin = device.login("admin", "999999")
    admin.add_user("zara", "Zara Adams", "paramedic", "135790")
    admin.add_user("bob", "Bob Li", "clinician", "246802")
    admin.close()
    return Device(device.layout)


async def _until(pilot, test, tries: int = 600) -> None:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        await pilot.pause(0.05)
        if test():
            return
    raise AssertionError("condition not reached")


async def _let_the_spare_record_finish(pilot, app: LifeboatApp) -> None:  # type: ignore[no-untyped-def]
    """After a quiet wait the app composes a spare record at once on sign-in; leaving while
    it composes trips a teardown race in the record screen's tabs, which is not under test."""
    for _ in range(100):
        if app.record_spare.ready:
            return
        await pilot.pause(0.05)


def _message(app: LifeboatApp) -> str:
    return str(app.screen.query_one("#message").render())


def _names(app: LifeboatApp) -> list[str]:
    users = app.screen.query_one("#users", OptionList)
    return [str(users.get_option_at_index(i).prompt) for i in range(users.option_count)]


async def test_users_stay_in_the_order_they_were_added(five_users: Device) -> None:
    # Alphabetical order would put bob first and move everyone: habit would pick wrong.
    app = LifeboatApp(five_users)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert _names(app) == ["admin", "clinician", "paramedic", "zara", "bob"]


async def test_five_users_and_the_pin_box_fit_at_80x24(five_users: Device) -> None:
    app = LifeboatApp(five_users)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        users = app.screen.query_one("#users", OptionList)
        assert users.max_scroll_y == 0  # all five shown, no scrolling
        box = app.screen.query_one("#login-box").region
        footer = app.screen.query_one(Footer).region
        assert box.y >= 0 and box.bottom <= footer.y
        for widget_id in ("#pin", "#message"):
            region = app.screen.query_one(widget_id).region
            assert region.height >= 1 and region.bottom <= box.bottom


async def test_the_chosen_user_is_named_at_the_pin_and_in_a_wrong_pin(
        five_users: Device) -> None:
    app = LifeboatApp(five_users)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down", "down")
        assert str(app.screen.query_one("#pin-label").render()) == "PIN for zara"
        await pilot.press("enter", *"000000", "enter")
        await _until(pilot, lambda: "Wrong PIN" in _message(app))
        assert _message(app).startswith("Wrong PIN for zara.")
        assert app.session is None


async def test_backoff_ticks_and_keeps_a_pin_typed_during_it(five_users: Device) -> None:
    security = dataclasses.replace(five_users.config.security,
                                   failed_attempts_before_backoff=1, backoff_base_seconds=3)
    five_users.config = dataclasses.replace(five_users.config, security=security)
    five_users.lockout.settings = security
    app = LifeboatApp(five_users)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down", "enter")  # paramedic
        await pilot.press(*"000000", "enter")
        await _until(pilot, lambda: "try again in" in _message(app))
        first = _message(app)
        # The countdown moves on its own (no key pressed).
        await _until(pilot, lambda: _message(app) != first and "try again in" in _message(app))
        await pilot.press(*"111111", "enter")  # the right PIN, typed during the wait
        await _until(pilot, lambda: "kept" in _message(app) or app.session is not None)
        if app.session is None:
            assert "Your PIN is kept" in _message(app)
        await _until(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        assert app.session is not None and app.session.user.username == "paramedic"
        await _let_the_spare_record_finish(pilot, app)


async def test_sign_out_is_a_key_on_home_shown_in_the_footer(five_users: Device) -> None:
    app = LifeboatApp(five_users)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down", "enter", *"111111", "enter")
        await _until(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        footer_keys = " ".join(str(k.render()) for k in app.screen.query("FooterKey"))
        assert "Sign out" in footer_keys
        await pilot.press("ctrl+o")
        await _until(pilot, lambda: type(app.screen).__name__ == "LoginScreen")
        assert app.session is None


async def test_adding_a_user_asks_for_the_pin_twice(five_users: Device) -> None:
    app = LifeboatApp(five_users)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", *"999999", "enter")  # admin
        await _until(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        await pilot.press("u")
        await _until(pilot, lambda: type(app.screen).__name__ == "UsersScreen")
        await pilot.press("a")
        await _until(pilot, lambda: type(app.screen).__name__ == "AddUserScreen")
        await pilot.press(*"cara", "tab", *"Cara Diaz", "tab", "enter", "down", "enter",
                          "tab", *"583920", "enter", *"583921", "enter")
        await _until(pilot, lambda: "differ" in str(app.screen.query_one("#add-error").render()))
        assert "cara" not in app.device.usernames()
        await pilot.press(*"583920", "enter", *"583920", "enter")
        await _until(pilot, lambda: type(app.screen).__name__ == "UsersScreen")
        assert app.device.usernames()[-1] == "cara"  # added at the end of the sign-in list


async def test_a_pin_refused_only_for_a_wait_started_elsewhere_is_tried_when_it_ends(
        five_users: Device) -> None:
    security = dataclasses.replace(five_users.config.security,
                                   failed_attempts_before_backoff=1, backoff_base_seconds=2)
    five_users.config = dataclasses.replace(five_users.config, security=security)
    five_users.lockout.settings = security
    app = LifeboatApp(five_users)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down", "enter")  # paramedic, no wait known yet
        five_users.lockout.record_failure("paramedic")  # a wrong PIN in another window
        await pilot.press(*"111111", "enter")
        await _until(pilot, lambda: "Your PIN is kept" in _message(app)
                     or app.session is not None)
        await _until(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        assert app.session is not None and app.session.user.username == "paramedic"
        await _let_the_spare_record_finish(pilot, app)
