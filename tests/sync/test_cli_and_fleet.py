"""The commands IT and crews run, end to end in real processes, and the fleet view's data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from appliance.device import enrol_demo
from appliance.paths import Layout
from bench.processes import REPO, free_port
from sync.client import SyncClient
from sync.hub.fleet import battery, fleet
from sync.hub.service import Hub
from tests.sync.conftest import enrol_with, record_encounter


def lifeboat(*args: str, home: Path, stdin: str = "") -> Any:
    env = dict(os.environ, LIFEBOAT_HOME=str(home))
    done = subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=REPO, env=env,
                          input=stdin.encode(), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    return json.loads(out) if "--json" in args else out


@pytest.mark.slow
def test_crew_and_it_commands_sync_over_the_network_and_by_usb(tmp_path: Path) -> None:
    import httpx

    from bench.processes import HubProcess

    hub_dir, home = tmp_path / "hub", tmp_path / "device"
    assert lifeboat("hub", "init", "--dir", str(hub_dir), "--json", home=home)["hub_id"]
    device = enrol_demo(Layout(home))
    code = lifeboat("hub", "enrol-device", device.info.device_id, "--label", "RRV 12",
                    "--dir", str(hub_dir), "--json", home=home)["code"]
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tui.cli", "hub", "serve", "--dir",
                               str(hub_dir), "--port", str(port)], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc = HubProcess(hub_dir, port)
        proc.proc = server
        for _ in range(300):
            try:
                if httpx.get(proc.url + "/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        lifeboat("sync", "enrol", "--hub", proc.url, "--code", code, "--as", "admin", "--json",
                 home=home, stdin="999999\n")
        session = device.login("paramedic", "111111")
        record_encounter(session)
        session.close()
        report = lifeboat("sync", "now", "--as", "paramedic", "--json", home=home,
                          stdin="111111\n")
        assert report["acked"] == 4 and report["verified_drained"]

        session = device.login("paramedic", "111111")
        record_encounter(session, family="Offline")
        session.close()
        bundle = tmp_path / "rrv12.lbundle"
        assert lifeboat("sync", "export", str(bundle), "--as", "paramedic", "--json",
                        home=home, stdin="111111\n")["events"] == 4
        imported = lifeboat("hub", "import", str(bundle), "--dir", str(hub_dir), "--json",
                            home=home)
        assert imported["new"] == 4
        marked = lifeboat("sync", "import-receipt", imported["receipt"], "--as", "paramedic",
                          "--json", home=home, stdin="111111\n")
        assert marked["acked"] == 4
        status = lifeboat("sync", "status", "--as", "paramedic", "--json", home=home,
                          stdin="111111\n")
        assert status["pending"] == 0 and status["total"] == 8
        view = lifeboat("hub", "fleet", "--dir", str(hub_dir), "--json", home=home)
        (row,) = view["devices"]
        assert row["label"] == "RRV 12" and row["events_at_hub"] == 8
        out = tmp_path / "fhir"
        assert lifeboat("hub", "export-fhir", "--out", str(out), "--dir", str(hub_dir),
                        "--json", home=home)["bundles"] == 2
    finally:
        server.terminate()
        server.wait(10)


def test_fleet_shows_backlog_battery_conflicts_and_verified_drained(
        make_device: Any, hub: Hub, hub_http: Any) -> None:
    a, b = make_device("a"), make_device("b")
    enrol_with(hub, a, hub_http)
    enrol_with(hub, b, hub_http)
    record_encounter(a)
    record_encounter(b)
    SyncClient(a, http=hub_http).sync_now()
    SyncClient(b, http=hub_http).post([], {"pending": 4, "oldest_pending": "2024-05-01",
                                           "total": 4, "quarantined": 0,
                                           "health": {"battery_percent": 41.0}})
    rows = {r["device_id"]: r for r in fleet(hub.store)["devices"]}
    assert rows[a.device_id]["verified_drained"] and rows[a.device_id]["pending"] == 0
    assert rows[a.device_id]["last_sync"] is not None
    assert not rows[b.device_id]["verified_drained"]
    assert rows[b.device_id]["pending"] == 4 and rows[b.device_id]["pending_since"] == \
        "2024-05-01"
    assert rows[b.device_id]["battery_percent"] == 41.0
    record_encounter(a)  # written after the last contact: no longer proven drained
    SyncClient(a, http=hub_http).post([], {"pending": 4, "total": 8, "quarantined": 0})
    assert not {r["device_id"]: r for r in fleet(hub.store)["devices"]}[
        a.device_id]["verified_drained"]


def test_battery_is_read_from_whatever_shape_the_health_reading_has() -> None:
    assert battery({"battery_percent": 80}) == 80.0
    assert battery({"battery": {"percent": 12.5}}) == 12.5
    assert battery({"battery_percent": None}) is None and battery(None) is None
