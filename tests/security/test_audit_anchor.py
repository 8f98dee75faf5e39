"""The audit chain's head is anchored at the hub with every sync: putting back an older copy
of the record database (to erase what the log says) shows at the hub as an alert in the fleet
view. Real device, real SQLCipher files, real hub process, real `lifeboat hub fleet`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from appliance.device import enrol_demo
from appliance.paths import Layout
from bench.processes import HubProcess
from sync import hublink
from sync.client import SyncClient
from sync.hub.service import Hub, anchor_audit
from tests.security.conftest import cli
from tests.sync.conftest import record_encounter


def sync(device: object) -> None:
    session = device.login("paramedic", "111111")  # type: ignore[attr-defined]
    try:
        client = SyncClient(session)
        try:
            client.sync_now()
        finally:
            client.close()
    finally:
        session.close()


def fleet_row(hub_dir: Path, home: Path) -> dict[str, object]:
    done = cli(home, "hub", "fleet", "--json", "--dir", str(hub_dir))
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)["devices"]
    return row  # type: ignore[no-any-return]


def test_an_older_database_put_back_is_flagged_at_the_hub(tmp_path: Path) -> None:
    hub = Hub.init(tmp_path / "hub")
    proc = HubProcess(hub.dir)
    proc.start()
    try:
        device = enrol_demo(Layout(tmp_path / "device"))
        code = hub.enrol_device(device.info.device_id, "RRV 1", device.info.public_key)
        hublink.enrol(device.layout, proc.url, code)
        sync(device)
        db = device.layout.database
        old_copy = tmp_path / "records-before.db"
        shutil.copy(db, old_copy)  # the session is closed: the file is complete

        session = device.login("paramedic", "111111")
        for _ in range(3):
            record_encounter(session)
        session.close()
        sync(device)
        assert fleet_row(hub.dir, tmp_path / "it")["audit_alert"] is None

        for extra in (Path(f"{db}-wal"), Path(f"{db}-shm")):
            extra.unlink(missing_ok=True)
        shutil.copy(old_copy, db)  # the attacker puts the old log back
        sync(device)
    finally:
        proc.stop()
        hub.close()
    alert = fleet_row(hub.dir, tmp_path / "it")["audit_alert"]
    assert isinstance(alert, str) and "audit log went back" in alert


def test_the_alert_stays_until_someone_looks_and_forward_moves_are_quiet() -> None:
    first = anchor_audit({}, {"audit_head": {"seq": 10, "hash": "a"}})
    assert first["audit_anchor"] == {"seq": 10, "hash": "a"} and "audit_alert" not in first
    forward = anchor_audit(first, {"audit_head": {"seq": 12, "hash": "b"}})
    assert "audit_alert" not in forward
    forked = anchor_audit(forward, {"audit_head": {"seq": 12, "hash": "other"}})
    assert "audit_alert" in forked and forked["audit_anchor"] == {"seq": 12, "hash": "b"}
    later = anchor_audit(forked, {"audit_head": {"seq": 20, "hash": "c"}})
    assert later["audit_alert"] == forked["audit_alert"]
