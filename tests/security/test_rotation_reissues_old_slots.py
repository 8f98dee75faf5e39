"""Rotation with key slots of the older kind (users not signed in since slots were boxed): an
IT admin may re-issue those users instead of waiting for them. Their slot is replaced by one
under a one-time PIN the admin types (named in the prompt), marked must-change, and audited;
afterwards a copy of the old slot file with the user's old PIN opens nothing. Through the real
``lifeboat`` command and, with Pilot, the Users screen. Real SQLCipher files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from appliance.device import Device
from appliance.errors import AuthError
from bench.seed import seed_encounter
from tests.security.conftest import cli, fingerprint
from tests.security.test_data_key_rotation import legacy_slot, old_key, opens
from tests.tui.conftest import make_app, settle, sign_in

ONE_TIME = "740316"


def make_clinician_old_style(device: Device) -> None:
    admin = device.login("admin", "999999")
    try:
        device.slots.put(legacy_slot("clinician", "222222", admin._data_key))
    finally:
        admin.close()


def test_rotation_names_the_old_style_users_and_re_issues_them(
        device: Device, lifeboat_home: Path, tmp_path: Path) -> None:
    paramedic = device.login("paramedic", "111111")
    seed_encounter(paramedic, opened_min_ago=5, family="Zebedee", complaint="chest pain")
    paramedic.close()
    make_clinician_old_style(device)
    stolen = tmp_path / "keyslots-copy.json"
    shutil.copy2(device.layout.keyslots, stolen)
    assert opens(device.layout, old_key(stolen, "clinician", "222222"))  # the control

    # Without the option: refused, naming the user and the way through; nothing changed.
    before = fingerprint(lifeboat_home)
    refused = cli(lifeboat_home, "user", "rotate-key", "--as", "admin", stdin="999999\n")
    assert refused.returncode != 0
    assert "clinician" in refused.stderr and "--reissue-old-slots" in refused.stderr
    assert fingerprint(lifeboat_home) == before

    # A trivial one-time PIN is refused too, nothing changed.
    trivial = cli(lifeboat_home, "user", "rotate-key", "--reissue-old-slots", "--as", "admin",
                  stdin="999999\n123456\n")
    assert trivial.returncode != 0 and "too easy" in trivial.stderr
    assert fingerprint(lifeboat_home) == before

    done = cli(lifeboat_home, "user", "rotate-key", "--reissue-old-slots", "--as", "admin",
               stdin=f"999999\n{ONE_TIME}\n")
    assert done.returncode == 0, done.stderr
    assert "Re-issuing clinician" in done.stderr and "clinician" in done.stdout

    lay = device.layout
    for user, pin in (("clinician", "222222"), ("admin", "999999"), ("paramedic", "111111")):
        assert not opens(lay, old_key(stolen, user, pin)), user
    after = Device(lay)
    with pytest.raises(AuthError):
        after.login("clinician", "222222")  # the old PIN is gone with the old slot
    # The one-time PIN signs in, but the user must choose their own before doing anything.
    blocked = cli(lifeboat_home, "audit", "verify", "--as", "clinician", stdin=f"{ONE_TIME}\n")
    assert blocked.returncode != 0 and "set-pin" in blocked.stderr
    changed = cli(lifeboat_home, "user", "set-pin", "--as", "clinician",
                  stdin=f"{ONE_TIME}\n815264\n")
    assert changed.returncode == 0, changed.stderr
    clinician = after.login("clinician", "815264")
    try:
        assert not clinician.must_change_pin
        assert [r["family_name"] for r in clinician.db.query(
            "SELECT family_name FROM patients")] == ["Zebedee"]
        rows = clinician.db.query("SELECT a.action, a.subject, u.username FROM audit_log a "
                                  "JOIN users u ON u.id = a.user_id WHERE a.action = "
                                  "'keyslot.reissued'")
        assert rows == [{"action": "keyslot.reissued", "subject": "clinician",
                         "username": "admin"}]
        assert clinician.verify_audit().ok
    finally:
        clinician.close()


async def test_the_users_screen_asks_for_a_one_time_pin_naming_the_user(
        device: Device, tmp_path: Path) -> None:
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.reissue import ReissueScreen
    from tui.screens.users import UsersScreen

    make_clinician_old_style(device)
    stolen = tmp_path / "keyslots-copy.json"
    shutil.copy2(device.layout.keyslots, stolen)
    app = make_app(device)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "admin", "999999")
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # a whole-database step asks first
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen)
        await pilot.press("k", "y")
        await settle(pilot)
        assert isinstance(app.screen, ReissueScreen)
        assert "clinician" in app.export_screenshot()
        await pilot.press("escape")  # cancelled: nothing rotated
        await settle(pilot)
        assert opens(device.layout, old_key(stolen, "clinician", "222222"))
        await pilot.press("k", "y")
        await settle(pilot)
        await pilot.press(*ONE_TIME, "enter")
        for _ in range(100):
            await settle(pilot)
            if not opens(device.layout, old_key(stolen, "admin", "999999")):
                break
        assert isinstance(app.screen, UsersScreen)
    assert not opens(device.layout, old_key(stolen, "clinician", "222222"))
    session = Device(device.layout).login("clinician", ONE_TIME)
    try:
        assert session.must_change_pin
    finally:
        session.close()


async def test_disabling_with_rotation_on_the_users_screen_names_who_is_re_issued(
        device: Device, tmp_path: Path) -> None:
    from textual.widgets import DataTable

    from tui.screens.reissue import ReissueScreen
    from tui.screens.users import DisableUserScreen, UsersScreen

    make_clinician_old_style(device)
    stolen = tmp_path / "keyslots-copy.json"
    shutil.copy2(device.layout.keyslots, stolen)
    app = make_app(device)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "admin", "999999")
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen)
        table = app.screen.query_one("#users-table", DataTable)
        rows = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        await pilot.press(*["down"] * rows.index("paramedic"), "d")
        await settle(pilot)
        assert isinstance(app.screen, DisableUserScreen)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReissueScreen)
        assert app.screen.users == ["clinician"]  # not the user being disabled
        await pilot.press(*ONE_TIME, "enter")
        for _ in range(100):
            await settle(pilot)
            if not opens(device.layout, old_key(stolen, "admin", "999999")):
                break
    assert not opens(device.layout, old_key(stolen, "paramedic", "111111"))
    slots = device.slots.load()
    assert "paramedic" not in slots and slots["clinician"].must_change and slots["clinician"].boxed
