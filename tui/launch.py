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
    from appliance import __version__
    from appliance.logs import configure, log
    from appliance.paths import point_temp_files_at
    from tui.app import LifeboatApp

    point_temp_files_at(lay)
    configure(lay)
    device = Device(lay)
    log.info("started: lifeboat %s, device %s%s", __version__, device.info.device_id,
             " (DEMO)" if device.info.demo else "")

    app = LifeboatApp(device)
    app.run()
    return int(app.return_code or 0)


def _install_sample_pack(lay: object) -> None:
    from appliance.errors import LifeboatError
    from appliance.protocols.lifecycle import install_sample_pack

    try:
        # Lexical search is ready at once; the app finishes the vectors in the background.
        install_sample_pack(lay, defer_vectors=True)
    except LifeboatError as exc:
        # The app still works without protocols (triage uses the bundled rules): say so.
        print(f"The sample protocol pack could not be installed: {exc}", file=sys.stderr)
