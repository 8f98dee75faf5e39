"""Open the Textual app: create a DEMO device on first run unless told not to."""

from __future__ import annotations

import sys


def run_app(demo: bool = True) -> int:
    from appliance.device import Device, enrol_demo
    from appliance.errors import NotEnrolledError
    from appliance.paths import layout

    lay = layout()
    if not Device.is_enrolled(lay):
        if not demo:
            raise NotEnrolledError(f"This device is not enrolled ({lay.root}).",
                                   hint="Run `lifeboat init --admin NAME`, or `lifeboat` without "
                                        "--no-demo for a DEMO device.")
        print(f"First run: creating a DEMO device in {lay.root} …", file=sys.stderr)
        enrol_demo(lay)
        _install_sample_pack(lay)
    from appliance.logs import configure
    from appliance.paths import point_temp_files_at
    from tui.app import LifeboatApp

    point_temp_files_at(lay)
    configure(lay)

    app = LifeboatApp(Device(lay))
    app.run()
    return int(app.return_code or 0)


def _install_sample_pack(lay: object) -> None:
    try:
        from appliance.protocols.lifecycle import install_sample_pack
    except ImportError:
        return
    install_sample_pack(lay)
