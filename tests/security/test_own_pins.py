"""An IT admin sets a new user's first PIN, so until the user chooses their own the admin could
sign in as them and the audit log would name the user. The CLI refuses that user until they
change it; changing re-seals only their own key slot. Real CLI, real key slots."""

from __future__ import annotations

import json
from pathlib import Path

from appliance.device import Device, enrol_demo
from appliance.paths import layout
from tests.security.conftest import cli

ADMIN_SET = "482913"
OWN = "593024"


def slots(home: Path) -> dict[str, dict[str, object]]:
    return json.loads((home / "keys" / "keyslots.json").read_text())["slots"]


def test_a_pin_set_by_the_admin_must_be_changed_before_use(lifeboat_home: Path) -> None:
    enrol_demo(layout())
    added = cli(lifeboat_home, "user", "add", "bob", "--role", "paramedic", "--as", "admin",
                stdin=f"999999\n{ADMIN_SET}\n")
    assert added.returncode == 0, added.stderr
    assert slots(lifeboat_home)["bob"]["must_change"] is True

    # The admin, who knows the PIN, tries to work as bob: refused, nothing done as bob.
    posing = cli(lifeboat_home, "sync", "status", "--as", "bob", stdin=f"{ADMIN_SET}\n")
    assert posing.returncode != 0 and "must choose their own PIN" in posing.stderr

    others = {u: s for u, s in slots(lifeboat_home).items() if u != "bob"}
    trivial = cli(lifeboat_home, "user", "set-pin", "--as", "bob",
                  stdin=f"{ADMIN_SET}\n123456\n")
    assert trivial.returncode != 0 and "too easy" in trivial.stderr
    changed = cli(lifeboat_home, "user", "set-pin", "--as", "bob",
                  stdin=f"{ADMIN_SET}\n{OWN}\n")
    assert changed.returncode == 0, changed.stderr
    assert {u: s for u, s in slots(lifeboat_home).items() if u != "bob"} == others
    assert "must_change" not in slots(lifeboat_home)["bob"]

    stale = cli(lifeboat_home, "sync", "status", "--as", "bob", stdin=f"{ADMIN_SET}\n")
    assert stale.returncode != 0 and "Wrong PIN" in stale.stderr
    device = Device(layout())
    session = device.login("bob", OWN)
    try:
        assert not session.must_change_pin
        actions = [(r["action"], r["subject"]) for r in session.db.query(
            "SELECT action, subject FROM audit_log")]
    finally:
        session.close()
    assert ("pin.changed", "bob") in actions


def test_the_first_admin_and_demo_users_chose_their_own(lifeboat_home: Path) -> None:
    enrol_demo(layout())
    assert not any(s.get("must_change") for s in slots(lifeboat_home).values())
