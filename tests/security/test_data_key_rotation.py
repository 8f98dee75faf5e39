"""Removing a user can rotate the data key: the records, the sealed device key and every
remaining key slot move to a NEW key, so a copy of ``keys/keyslots.json`` taken before the
removal, with the removed user's PIN (or anyone's old PIN), no longer opens the records.

The attack is performed for real: the old slot file is copied aside, the user is removed with
the real ``lifeboat`` command, and the old copy plus the old PIN are used against the current
database with the real SQLCipher. The rotation is killed with SIGKILL at every step of its
commit in a real process: afterwards the device is either entirely on the old key or entirely on
the new one, the records and the audit chain are intact, and everyone left can sign in."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from appliance.device import Device, enrol_demo
from appliance.errors import AuthError, LifeboatError, StoreError
from appliance.paths import Layout, layout
from appliance.security import device_key, keyslots, rotation
from appliance.store.database import Database
from bench.seed import seed_encounter
from tests.security.conftest import REPO, cli

BOB_PIN = "583920"


def add_bob(device: Device) -> None:
    admin = device.login("admin", "999999")
    try:
        admin.add_user("bob", "Bob Li", "paramedic", BOB_PIN)
    finally:
        admin.close()


def opens(lay: Layout, key: bytes) -> bool:
    """Whether ``key`` opens the records now on disk (the real SQLCipher decides)."""
    try:
        Database(lay.database, key).close()
    except AuthError:
        return False
    return True


def old_key(slot_file: Path, username: str, pin: str) -> bytes:
    return keyslots.unseal(keyslots.SlotFile(slot_file).load()[username], pin)


def leftovers(lay: Layout) -> list[str]:
    return [p.name for p in lay.root.rglob("*")
            if rotation.STAGED in p.name or p.name.startswith((".rotation.json", "rotation"))]


def schema(device: Device) -> list[tuple[str, str, str]]:
    session = device.login("admin", "999999")
    try:
        return [(r["type"], r["name"], r["sql"]) for r in session.db.query(
            "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")]
    finally:
        session.close()


def families(device: Device) -> list[str]:
    session = device.login("clinician", "222222")
    try:
        assert session.verify_audit().ok
        return [r["family_name"] for r in session.db.query("SELECT family_name FROM patients")]
    finally:
        session.close()


def test_an_old_slot_file_and_the_removed_users_pin_open_nothing(lifeboat_home: Path,
                                                                  tmp_path: Path) -> None:
    device = enrol_demo(layout())
    add_bob(device)
    paramedic = device.login("paramedic", "111111")
    seed_encounter(paramedic, opened_min_ago=5, family="Zebedee", complaint="chest pain")
    paramedic.close()
    stolen = tmp_path / "keyslots-copy.json"
    shutil.copy2(device.layout.keyslots, stolen)
    tables_and_triggers = schema(device)
    # The control: before the removal, the copy and bob's PIN open the records.
    assert opens(device.layout, old_key(stolen, "bob", BOB_PIN))

    removed = cli(lifeboat_home, "user", "disable", "bob", "--rotate-key", "--as", "admin",
                  stdin="999999\n")
    assert removed.returncode == 0, removed.stderr
    assert "rotated" in removed.stdout

    lay = device.layout
    for user, pin in (("bob", BOB_PIN), ("admin", "999999"), ("paramedic", "111111")):
        assert not opens(lay, old_key(stolen, user, pin)), user
    with pytest.raises(StoreError):
        device_key.load_sealed(lay.device_key, old_key(stolen, "admin", "999999"))
    assert "bob" not in keyslots.SlotFile(lay.keyslots).load()
    assert leftovers(lay) == []

    after = Device(lay)
    assert families(after) == ["Zebedee"]
    assert schema(after) == tables_and_triggers  # the append-only triggers came across too
    admin = after.login("admin", "999999")
    try:
        admin.signing_key()  # the device key was re-sealed, not lost
        actions = [r["action"] for r in admin.db.query(
            "SELECT action FROM audit_log ORDER BY seq")]
    finally:
        admin.close()
    disabled = actions.index("user.disabled")
    assert actions[disabled:disabled + 2] == ["user.disabled", "datakey.rotated"]
    verified = cli(lifeboat_home, "audit", "verify", "--as", "admin", stdin="999999\n")
    assert verified.returncode == 0, verified.stderr


def test_without_rotation_the_old_copy_still_opens_and_the_command_says_so(
        lifeboat_home: Path, tmp_path: Path) -> None:
    device = enrol_demo(layout())
    add_bob(device)
    stolen = tmp_path / "keyslots-copy.json"
    shutil.copy2(device.layout.keyslots, stolen)
    removed = cli(lifeboat_home, "user", "disable", "bob", "--as", "admin", stdin="999999\n")
    assert removed.returncode == 0, removed.stderr
    assert "rotate-key" in removed.stderr
    assert opens(device.layout, old_key(stolen, "bob", BOB_PIN))

    rotated = cli(lifeboat_home, "user", "rotate-key", "--as", "admin", stdin="999999\n")
    assert rotated.returncode == 0, rotated.stderr
    assert not opens(device.layout, old_key(stolen, "bob", BOB_PIN))


def test_a_paramedic_cannot_rotate_and_the_attempt_is_audited(lifeboat_home: Path) -> None:
    device = enrol_demo(layout())
    before = device.layout.keyslots.read_bytes()
    refused = cli(lifeboat_home, "user", "rotate-key", "--as", "paramedic", stdin="111111\n")
    assert refused.returncode != 0
    assert device.layout.keyslots.read_bytes() == before
    admin = device.login("admin", "999999")
    try:
        denied = admin.db.query("SELECT subject FROM audit_log WHERE action = 'admin.denied'")
    finally:
        admin.close()
    assert denied == [{"subject": "user rotate-key"}]


def test_refused_while_another_process_has_the_records_open(lifeboat_home: Path,
                                                           tmp_path: Path) -> None:
    device = enrol_demo(layout())
    stolen = tmp_path / "keyslots-copy.json"
    shutil.copy2(device.layout.keyslots, stolen)
    kiosk = device.login("paramedic", "111111")  # e.g. the TUI, signed in
    try:
        refused = cli(lifeboat_home, "user", "rotate-key", "--as", "admin", stdin="999999\n")
        seed_encounter(kiosk, opened_min_ago=1, family="Still", complaint="fall")
        assert device.layout.keyslots.read_bytes() == stolen.read_bytes()
        half = cli(lifeboat_home, "user", "disable", "clinician", "--rotate-key", "--as",
                   "admin", stdin="999999\n")
    finally:
        kiosk.close()
    assert refused.returncode != 0 and "has the records open" in refused.stderr
    # Disabling is done and says so; the rotation it could not do is named, to run again.
    assert half.returncode != 0 and "was disabled, but the data key was not rotated" in \
        half.stderr and "rotate-key" in half.stderr
    assert "clinician" not in keyslots.SlotFile(device.layout.keyslots).load()
    assert opens(device.layout, old_key(stolen, "admin", "999999"))
    assert leftovers(device.layout) == []
    session = device.login("paramedic", "111111")
    try:
        assert [r["family_name"] for r in session.db.query("SELECT family_name FROM patients")] \
            == ["Still"]
    finally:
        session.close()


def legacy_slot(username: str, pin: str, data_key: bytes) -> keyslots.Slot:
    """A slot as Lifeboat wrote them before boxed slots: the data key under the PIN."""
    salt, nonce, kdf = os.urandom(16), os.urandom(12), dict(keyslots.KDF_PARAMS)
    wrapped = AESGCM(keyslots._derive(pin, salt, kdf)).encrypt(nonce, data_key,
                                                              username.encode())
    return keyslots.Slot(username, salt, nonce, wrapped, kdf, 1.0)


def test_an_older_slot_blocks_rotation_until_its_user_signs_in(device: Device) -> None:
    admin = device.login("admin", "999999")
    device.slots.put(legacy_slot("clinician", "222222", admin._data_key))
    before = device.layout.keyslots.read_bytes()
    with pytest.raises(LifeboatError, match="clinician"):
        admin.rotate_data_key("test")
    assert device.layout.keyslots.read_bytes() == before and leftovers(device.layout) == []
    admin.close()
    from appliance import doctor

    found = [c for c in doctor.run(device.layout) if c.name == "device"][0]
    assert found.status == "warn" and "clinician" in found.detail

    clinician = device.login("clinician", "222222")  # upgrades the slot with the PIN
    clinician.close()
    assert device.slots.load()["clinician"].boxed
    admin = device.login("admin", "999999")
    try:
        assert admin.rotate_data_key("test") == ["admin", "clinician", "paramedic"]
    finally:
        admin.close()
    device.login("clinician", "222222").close()


CHILD = r"""
import os, signal, sys
from appliance.device import Device
from appliance.security import rotation

kill_at, calls = int(sys.argv[1]), [0]
session = Device().login("admin", "999999")
real_replace, real_fsync = os.replace, rotation._fsync

def die_at(step):
    calls[0] += 1
    if calls[0] == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

def replace(src, dst):
    die_at("replace")
    return real_replace(src, dst)

def fsync(path):
    real_fsync(path)
    die_at("staged database durable")

os.replace, rotation._fsync = replace, fsync
session.rotate_data_key("kill test")
session.close()
print(calls[0])
"""


@pytest.mark.slow
def test_kill_9_at_every_step_leaves_the_old_set_or_the_new_one(tmp_path: Path) -> None:
    template = Layout(tmp_path / "template")
    device = enrol_demo(template)
    paramedic = device.login("paramedic", "111111")
    seed_encounter(paramedic, opened_min_ago=5, family="Zebedee", complaint="chest pain")
    paramedic.close()
    old_slots = tmp_path / "keyslots-before.json"
    shutil.copy2(template.keyslots, old_slots)

    outcomes: dict[int, str] = {}
    step = 0
    while True:
        step += 1
        lay = Layout(tmp_path / f"run-{step}")
        shutil.copytree(template.root, lay.root)
        env = {**os.environ, "LIFEBOAT_HOME": str(lay.root), "PYTHONPATH": str(REPO)}
        run = subprocess.run([sys.executable, "-c", CHILD, str(step)], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=300)
        finished = run.returncode == 0
        assert finished or run.returncode == -9, run.stderr

        after = Device(lay)  # finishes or undoes what was cut short
        assert leftovers(lay) == []
        assert families(after) == ["Zebedee"]
        admin = after.login("admin", "999999")
        try:
            admin.signing_key()
        finally:
            admin.close()
        outcomes[step] = "old" if opens(lay, old_key(old_slots, "admin", "999999")) else "new"
        if finished:
            break
        assert step < 20, "the rotation never finished"
    kinds = list(outcomes.values())
    # Killed before the commit: the old set, untouched; after it: the new set, completed.
    assert kinds[0] == "old" and kinds[-1] == "new"
    assert kinds == sorted(kinds, key=["old", "new"].index), outcomes
    assert json.loads(template.keyslots.read_text())["format"] == keyslots.FORMAT


async def test_the_users_screen_disables_and_rotates(device: Device, tmp_path: Path) -> None:
    from tests.tui.conftest import make_app, settle, sign_in
    from tui.screens.users import DisableUserScreen, UsersScreen

    add_bob(device)
    stolen = tmp_path / "keyslots-copy.json"
    shutil.copy2(device.layout.keyslots, stolen)
    app = make_app(device)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "admin", "999999")
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen)
        table = app.screen.query_one("#users-table")
        table.move_cursor(row=[r.value for r in table.rows].index("bob"))  # type: ignore[attr-defined]
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DisableUserScreen)
        await pilot.press("r")
        for _ in range(300):
            await settle(pilot)
            if "bob" not in keyslots.SlotFile(device.layout.keyslots).load():
                break
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen)
        # The signed-in admin carries on under the new key.
        assert "disabled" in app.screen.query_one("#users-table").get_row("bob")  # type: ignore[attr-defined]
    assert not opens(device.layout, old_key(stolen, "bob", BOB_PIN))
    assert leftovers(device.layout) == []
    assert families(Device(device.layout)) == []
