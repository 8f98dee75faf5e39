"""A crash prints no patient data: Textual's own handler prints a traceback with every local
variable to stderr (the kiosk unit sends stderr to the system journal). A real app process,
run headless, crashes with a name and a PIN in its locals and in the exception message."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from appliance.device import enrol_demo
from appliance.paths import layout
from tests.security.conftest import REPO

CRASHING_APP = textwrap.dedent('''
    import sys
    from appliance.device import Device
    from appliance.logs import configure
    from appliance.paths import layout
    from tui.app import LifeboatApp

    class Crashing(LifeboatApp):
        def on_mount(self) -> None:
            super().on_mount()
            family_name = "ZEBEDEE-PATIENT"
            pin_being_typed = "482913"
            raise ValueError(f"cannot parse {family_name} {pin_being_typed}")

    configure(layout())
    app = Crashing(Device(layout()))
    app.run(headless=True)
    sys.exit(app.return_code or 0)
''')


def test_a_crash_reaches_stderr_and_the_log_without_values(lifeboat_home: Path) -> None:
    enrol_demo(layout())
    env = {**os.environ, "LIFEBOAT_HOME": str(lifeboat_home), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", CRASHING_APP], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    log = (lifeboat_home / "logs" / "lifeboat.log").read_text()
    assert done.returncode == 1
    assert "unexpected ValueError" in done.stderr and "unexpected ValueError" in log
    for secret in ("ZEBEDEE", "482913"):
        assert secret not in output and secret not in log
