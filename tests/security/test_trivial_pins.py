"""The PINs an attacker tries first are refused for new users, through the real CLI: a copied
disk's key slots would fall to them in seconds whatever Argon2id costs."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.device import enrol_demo
from appliance.paths import layout
from appliance.users import is_trivial_pin
from tests.security.conftest import cli, fingerprint

TRIVIAL = ["123456", "654321", "000000", "999999", "121212", "123123", "890123", "112233",
           "159753", "1234567890", "abcabcabc"]


def test_trivial_pins_are_refused_and_no_user_is_created(lifeboat_home: Path) -> None:
    enrol_demo(layout())
    before = fingerprint(lifeboat_home)
    for pin in TRIVIAL[:3]:  # through the CLI (each run is a real Argon2id sign-in)
        done = cli(lifeboat_home, "user", "add", "eve", "--role", "paramedic", "--as",
                   "admin", stdin=f"999999\n{pin}\n")
        assert done.returncode != 0 and "too easy to guess" in done.stderr, pin
    assert fingerprint(lifeboat_home) == before
    assert "eve" not in layout().keyslots.read_text()


@pytest.mark.parametrize("pin", TRIVIAL)
def test_each_pattern_is_recognised(pin: str) -> None:
    assert is_trivial_pin(pin)


@pytest.mark.parametrize("pin", ["493817", "246813", "135790", "582039", "tall-river-lamp"])
def test_ordinary_pins_pass(pin: str) -> None:
    assert not is_trivial_pin(pin)
