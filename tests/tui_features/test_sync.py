"""Sync screen against a real hub process, and the fleet view reading that hub."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.device import Device
from appliance.paths import layout
from bench.processes import HubProcess
from sync import hublink
from sync.hub.service import Hub
from tests.sync.conftest import record_encounter
from tests.tui_features.conftest import sign_in, wait_for, wait_until
from tui.app import LifeboatApp
from tui.screens.fleet import FleetApp, drain_bar


@pytest.fixture
def hub_process(tmp_path: Path) -> Iterator[HubProcess]:
    Hub.init(tmp_path / "hub").close()
    proc = HubProcess(tmp_path / "hub")
    proc.start()
    yield proc
    proc.stop()


def _enrol(device: Device, proc: HubProcess) -> None:
    hub = Hub(proc.hub_dir)
    try:
        code = hub.enrol_device(device.info.device_id, label="RRV 12",
                                public_key=device.info.public_key)
    finally:
        hub.close()
    hublink.enrol(layout(), proc.url, code)


def test_drain_bar_shows_the_share_the_hub_holds() -> None:
    assert drain_bar(5, 10).plain == "████░░░░  50%"
    assert drain_bar(10, 10).plain.endswith("100%")
    assert drain_bar(None, None).plain == "—"


async def test_no_hub_says_what_to_do(demo: Device) -> None:
    app = LifeboatApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, 2, "111111")
        await wait_for(pilot, app, "HomeScreen")
        assert app.sync_agent is None  # nothing reaches the network without a hub
        await pilot.press("s")
        await wait_for(pilot, app, "SyncScreen")
        await wait_until(pilot, lambda: "No hub" in str(app.screen.query_one("#hub-line")
                                                        .render()))


@pytest.mark.slow
async def test_sync_now_drains_the_device_and_the_fleet_view_verifies_it(
        demo: Device, hub_process: HubProcess) -> None:
    session = demo.login("paramedic", "111111")
    record_encounter(session)
    session.close()
    _enrol(demo, hub_process)
    app = LifeboatApp(Device(demo.layout))
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, 2, "111111")
        await wait_for(pilot, app, "HomeScreen")
        assert app.sync_agent is not None  # started after sign-in because a hub is set
        await pilot.press("s")
        await wait_for(pilot, app, "SyncScreen")
        await pilot.press("s")
        await wait_until(pilot, lambda: "VERIFIED DRAINED" in str(
            app.screen.query_one("#last-sync").render()), 400)
        assert "Pending 0" in str(app.screen.query_one("#counts").render())
    fleet = FleetApp(hub_process.hub_dir)
    async with fleet.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: fleet.screen.data is not None, 200)
        [device] = fleet.screen.data["devices"]
        assert device["label"] == "RRV 12" and device["verified_drained"]
