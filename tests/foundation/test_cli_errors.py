"""How the `lifeboat` command reports failures it has no message for, and corrupt state."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance import doctor
from appliance.logs import log_file
from tui.cli import main

LIFEBOAT = [sys.executable, "-m", "tui.cli"]


@pytest.fixture
def own_log() -> Iterator[None]:
    """main() sets up the file log in this test's home; take it down again afterwards."""
    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_lifeboat", False)]:
        root.removeHandler(handler)
        handler.close()


def test_an_unexpected_error_is_one_line_and_its_traceback_goes_to_the_log(
        device: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        own_log: None) -> None:
    def broken(*_: object, **__: object) -> list[object]:
        raise RuntimeError("sensor table missing\nsecond line")

    monkeypatch.setattr(doctor, "run", broken)
    assert main(["doctor"]) == 70
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "lifeboat: unexpected error: RuntimeError: sensor table missing"
    assert "Traceback" not in err
    path = log_file()
    assert path is not None and str(path) in err
    logged = path.read_text(encoding="utf-8")
    assert "Traceback" in logged and "sensor table missing" in logged


def test_sync_status_says_a_corrupt_hub_link_is_corrupt_not_unenrolled(
        demo_home: Path) -> None:
    env = {**os.environ, "LIFEBOAT_HOME": str(demo_home)}
    (demo_home / "hub.json").write_text("{not json", encoding="utf-8")
    r = subprocess.run([*LIFEBOAT, "sync", "status", "--as", "paramedic"], input="111111\n",
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, r.stdout
    assert "corrupt" in r.stderr and "not enrolled" not in (r.stdout + r.stderr).lower()
    assert "Traceback" not in r.stderr
