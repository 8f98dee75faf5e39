"""Security settings outside safe bounds are refused with the setting named, so editing
config.toml cannot switch a protection off (1-digit PINs, no back-off, a lock that never
comes). Checked through the real ``lifeboat`` command on a real device."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from appliance.device import enrol_demo
from appliance.paths import layout
from tests.security.conftest import cli, fingerprint

UNSAFE = ["min_pin_length = 1", "backoff_base_seconds = 0.0",
          "failed_attempts_before_backoff = 1000", "idle_lock_minutes = 1e9"]


@pytest.mark.parametrize("setting", UNSAFE)
def test_an_unsafe_security_setting_is_refused(setting: str, lifeboat_home: Path) -> None:
    enrol_demo(layout())
    config = lifeboat_home / "config.toml"
    key = setting.split()[0]
    config.write_text(re.sub(rf"^{key} = .*$", setting, config.read_text(), flags=re.M))
    before = fingerprint(lifeboat_home)
    done = cli(lifeboat_home, "user", "add", "eve", "--role", "paramedic", "--as", "admin",
               stdin="999999\n1\n")
    assert done.returncode != 0
    assert f"{key} = " in done.stderr and "safe range" in done.stderr
    assert fingerprint(lifeboat_home) == before


def test_the_defaults_and_values_inside_the_range_still_load(lifeboat_home: Path) -> None:
    from appliance import config

    enrol_demo(layout())
    assert config.load(lifeboat_home / "config.toml").security.min_pin_length == 6
    path = lifeboat_home / "strict.toml"
    path.write_text("[security]\nmin_pin_length = 8\nidle_lock_minutes = 2\n")
    assert config.load(path).security.min_pin_length == 8
