"""A kiosk that was never enrolled must not turn itself into a DEMO device (demo PINs on the
login screen, trusting the sample publisher key whose private half is in this repository)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.security.conftest import REPO, cli

LAUNCHERS = {
    "rootfs session": (REPO / "images" / "rootfs" / "lifeboat-session", "/opt/lifeboat/bin/"),
    "systemd unit": (REPO / "images" / "bundle" / "lifeboat-kiosk.service", "ExecStart="),
}


@pytest.mark.parametrize("name", sorted(LAUNCHERS))
def test_every_kiosk_launcher_starts_lifeboat_with_no_demo(name: str) -> None:
    path, marker = LAUNCHERS[name]
    (line,) = [ln for ln in path.read_text().splitlines()
               if ln.startswith(marker) and "bin/lifeboat" in ln]
    argv = shlex.split(line.removeprefix("ExecStart="))
    assert argv[0].endswith("bin/lifeboat") and "--no-demo" in argv[1:]


def test_lifeboat_with_no_demo_on_an_unenrolled_machine_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = cli(home, "--no-demo")
    assert done.returncode != 0 and "not enrolled" in done.stderr
    assert not (home / "device.json").exists() and not (home / "keys").exists()
