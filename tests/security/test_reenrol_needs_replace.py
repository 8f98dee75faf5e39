"""Re-enrolling a device that already has a hub would redirect every unsynced record, so it
needs an IT admin, an explicit --replace, and says which hub it replaces. Two real hubs on
127.0.0.1, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from appliance.device import Device, enrol_demo
from appliance.paths import Layout
from bench.processes import HubProcess
from sync import hublink
from sync.hub.service import Hub
from tests.security.conftest import cli


def test_replacing_the_hub_link_needs_replace_and_names_the_old_hub(tmp_path: Path) -> None:
    hubs = [Hub.init(tmp_path / name) for name in ("hub-a", "hub-b")]
    procs = [HubProcess(h.dir) for h in hubs]
    for proc in procs:
        proc.start()
    try:
        lay = Layout(tmp_path / "device")
        device = enrol_demo(lay)
        codes = [h.enrol_device(device.info.device_id, "RRV 1", device.info.public_key)
                 for h in hubs]
        first = cli(lay.root, "sync", "enrol", "--hub", procs[0].url, "--code", codes[0],
                    "--as", "admin", stdin="999999\n")
        assert first.returncode == 0, first.stderr
        pinned = hublink.path_for(lay).read_text()

        silent = cli(lay.root, "sync", "enrol", "--hub", procs[1].url, "--code", codes[1],
                     "--as", "admin", stdin="999999\n")
        assert silent.returncode != 0
        assert hubs[0].hub_id in silent.stderr and procs[0].url in silent.stderr
        assert "--replace" in silent.stderr
        assert hublink.path_for(lay).read_text() == pinned
        assert not hubs[1].store.get_device(device.info.device_id)["enrolled_at"]  # code unused

        replaced = cli(lay.root, "sync", "enrol", "--hub", procs[1].url, "--code", codes[1],
                       "--as", "admin", "--replace", "--json", stdin="999999\n")
        assert replaced.returncode == 0, replaced.stderr
        out = json.loads(replaced.stdout)
        assert out["hub_id"] == hubs[1].hub_id and out["replaced"]["hub_id"] == hubs[0].hub_id
        assert hublink.load(lay).hub_id == hubs[1].hub_id
    finally:
        for proc in procs:
            proc.stop()
        for h in hubs:
            h.close()
    session = Device(lay).login("admin", "999999")
    try:
        rows = session.db.query("SELECT subject, detail FROM audit_log WHERE action = "
                                "'hub.enrolled' ORDER BY seq")
    finally:
        session.close()
    assert [r["subject"] for r in rows] == [hubs[0].hub_id, hubs[1].hub_id]
    assert hubs[0].hub_id in rows[1]["detail"]
