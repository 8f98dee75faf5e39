from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.device import Device
from appliance.session import Session


@pytest.fixture
def admin(device: Device) -> Iterator[Session]:
    session = device.login("admin", "999999")
    yield session
    if session._data_key:
        session.close()


@pytest.fixture(scope="session")
def demo_home_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home made once per session by the real ``lifeboat init --demo`` (a subprocess, with
    the production key-slot parameters and the sample pack installed with its vectors, the
    costliest set-up in the suite). Tests copy it (``demo_home``) rather than run it again."""
    home = tmp_path_factory.mktemp("demo-home") / "home"
    env = {**os.environ, "LIFEBOAT_HOME": str(home)}
    done = subprocess.run([sys.executable, "-m", "tui.cli", "init", "--demo"], env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert "DEMO device enrolled" in done.stdout
    return home


@pytest.fixture
def demo_home(demo_home_template: Path, lifeboat_home: Path) -> Path:
    """This test's LIFEBOAT_HOME as ``lifeboat init --demo`` leaves it (a copy of the
    session's template: the pack's paths are relative to the home)."""
    shutil.copytree(demo_home_template, lifeboat_home, dirs_exist_ok=True)
    return lifeboat_home
