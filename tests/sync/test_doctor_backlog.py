"""`lifeboat doctor` warns about records unsynced too long, and about unsynced records with no
hub to go to, from the backlog the signed-in app leaves (the doctor has no PIN)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from appliance import backlog, doctor
from appliance.device import Device
from appliance.session import Session
from appliance.status import snapshot
from sync import doctor as sync_doctor
from tests.sync.conftest import record_encounter


def _by_name(checks: list[doctor.Check]) -> dict[str, doctor.Check]:
    return {c.name: c for c in checks}


def test_a_fresh_device_has_nothing_to_warn_about(device: Device) -> None:
    [check] = sync_doctor.checks(device.layout)
    assert check.status == "ok"


def test_unsynced_records_and_no_hub_make_the_doctor_not_ready(
        paramedic: Session, capsys: pytest.CaptureFixture[str]) -> None:
    record_encounter(paramedic)
    snap = snapshot(paramedic)  # what the app's status bar does every few seconds
    assert snap.unsynced > 0
    saved = backlog.load(paramedic.device.layout)
    assert saved is not None and saved["unsynced"] == snap.unsynced
    hub = _by_name(sync_doctor.checks(paramedic.device.layout))["hub"]
    assert hub.status == "warn" and f"{snap.unsynced} change(s) unsynced" in hub.detail
    assert "no hub enrolled" in hub.detail and "Enrol" in hub.hint
    assert not doctor.ready(sync_doctor.run_all(paramedic.device.layout))
    from tui.cli import main

    assert main(["doctor"]) == 0  # warnings, not failures: scripts keep working
    out = capsys.readouterr().out
    assert "[WARN] hub:" in out and "Result: not ready" in out


def test_records_unsynced_longer_than_the_threshold_warn(paramedic: Session) -> None:
    record_encounter(paramedic)
    snapshot(paramedic)
    oldest = datetime.fromisoformat(backlog.load(paramedic.device.layout)["oldest_unsynced_at"])
    lay = paramedic.device.layout
    within = oldest + timedelta(hours=sync_doctor.STALE_HOURS - 1)
    beyond = oldest + timedelta(hours=sync_doctor.STALE_HOURS + 1)
    assert "sync backlog" not in _by_name(sync_doctor.checks(lay, within))
    stale = _by_name(sync_doctor.checks(lay, beyond))["sync backlog"]
    assert stale.status == "warn" and f"the oldest for {sync_doctor.STALE_HOURS + 1:.0f} h" \
        in stale.detail


def test_the_backlog_file_holds_counts_and_times_only(paramedic: Session) -> None:
    record_encounter(paramedic, family="Featherstonehaugh")
    snapshot(paramedic)
    raw = backlog.path(paramedic.device.layout).read_text(encoding="utf-8")
    assert set(json.loads(raw)) == {"unsynced", "quarantined", "oldest_unsynced_at",
                                    "checked_at"}
    assert "Featherstonehaugh" not in raw


def test_signing_out_leaves_the_backlog_for_the_doctor(paramedic: Session) -> None:
    # A command-line session (no status bar) signs out: the doctor still sees its records.
    record_encounter(paramedic)
    pending = backlog.count(paramedic.db).unsynced
    paramedic.close()
    saved = backlog.load(paramedic.device.layout)
    assert saved is not None and saved["unsynced"] == pending > 0
