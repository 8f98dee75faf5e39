"""In the TUI, a user whose PIN an IT admin set is taken straight to a change-PIN screen: no
home screen, no palette way round it, trivial PINs refused there, and the change re-seals only
their own key slot. Driven through the real app with Pilot, typing the keys."""

from __future__ import annotations

import json
from pathlib import Path

from textual.pilot import Pilot

from appliance.device import Device
from tests.tui.conftest import make_app, settle
from tui.screens.change_pin import ChangePinScreen
from tui.screens.home import HomeScreen

ADMIN_SET = "482913"
OWN = "593024"


def slots(device: Device) -> dict[str, dict[str, object]]:
    return json.loads(device.layout.keyslots.read_text())["slots"]  # type: ignore[no-any-return]


async def until(pilot: Pilot[object], kind: type, tries: int = 600) -> None:
    for _ in range(tries):  # Argon2id runs in a worker: slow on a loaded machine
        await settle(pilot)
        if isinstance(pilot.app.screen, kind):
            return
    raise AssertionError(f"never reached {kind.__name__}: {pilot.app.screen}")


async def message(pilot: Pilot[object]) -> str:
    for _ in range(600):
        await settle(pilot)
        text = str(pilot.app.screen.query_one("#pin-message").render())
        if text and text != "Changing…":
            return text
    raise AssertionError("no answer")


async def test_an_admin_set_pin_must_be_changed_before_anything_else(device: Device,
                                                                    tmp_path: Path) -> None:
    admin = device.login("admin", "999999")
    admin.add_user("bob", "Bob Li", "paramedic", ADMIN_SET)
    admin.close()
    others = {u: s for u, s in slots(device).items() if u != "bob"}

    app = make_app(device)
    async with app.run_test(size=(100, 30)) as pilot:
        from textual.widgets import OptionList

        users = app.screen.query_one("#users", OptionList)
        names = [str(users.get_option_at_index(i).prompt) for i in range(users.option_count)]
        users.highlighted = names.index("bob")
        await pilot.press("enter", *ADMIN_SET, "enter")
        await until(pilot, ChangePinScreen)
        assert app.screen.forced  # type: ignore[attr-defined]
        # No way round it: the palette offers only signing out, keys for home do nothing.
        assert [c.title for c in app.get_system_commands(app.screen)] == ["Sign out"]
        await pilot.press("escape")  # does not leave it
        await settle(pilot)
        assert isinstance(app.screen, ChangePinScreen)

        await pilot.press(*ADMIN_SET, "enter", *"123456", "enter", *"123456", "enter")
        assert "too easy" in await message(pilot)
        assert isinstance(app.screen, ChangePinScreen)
        assert slots(device)["bob"]["must_change"] is True

        await pilot.press(*OWN, "enter", *"593042", "enter")
        assert "differ" in await message(pilot)

        app.screen.query_one("#current").focus()
        await pilot.press(*"000111", "enter", *OWN, "enter", *OWN, "enter")
        assert "current PIN is wrong" in await message(pilot)

        await pilot.press(*ADMIN_SET, "enter", *OWN, "enter", *OWN, "enter")
        await until(pilot, HomeScreen)
        assert "Lock screen" in [c.title for c in app.get_system_commands(app.screen)]

    assert "must_change" not in slots(device)["bob"]
    assert {u: s for u, s in slots(device).items() if u != "bob"} == others
    session = device.login("bob", OWN)
    try:
        assert not session.must_change_pin
        changed = session.db.query("SELECT subject FROM audit_log WHERE action = 'pin.changed'")
    finally:
        session.close()
    assert changed == [{"subject": "bob"}]
