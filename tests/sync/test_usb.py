"""USB bundles: encrypted to the hub, signed by the device, idempotent, tamper-evident."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from appliance.errors import SyncError
from appliance.session import Session
from sync import hublink, outbox, usb
from sync import protocol as p
from sync.hub.service import Hub, Refused
from tests.sync.conftest import enrol_with, record_encounter


@pytest.fixture
def device(make_device: Any, hub: Hub, hub_http: Any) -> Session:
    session = make_device("a")
    enrol_with(hub, session, hub_http)
    record_encounter(session, family="Offline")
    record_encounter(session, family="Offline2")
    return session


def test_bundle_round_trip_marks_everything_synced(device: Session, hub: Hub,
                                                   tmp_path: Path) -> None:
    link = hublink.load(device.device.layout)
    bundle = tmp_path / "amb.lbundle"
    assert usb.export_bundle(device, link, bundle)["events"] == 8
    assert b"Offline" not in bundle.read_bytes()  # encrypted at rest on the stick
    signed = hub.import_bundle(bundle.read_bytes())
    assert signed["receipt"]["new"] == 8 and hub.store.event_count() == 8
    receipt = tmp_path / "amb.receipt"
    usb.write_receipt(receipt, signed)
    assert usb.import_receipt(device, link, receipt)["acked"] == 8
    assert usb.import_receipt(device, link, receipt)["already_acked"] == 8
    stats = outbox.stats(device.db, device.device_id)
    assert stats["pending"] == 0
    assert hub.store.device_event_stats(device.device_id) == (stats["total"], stats["digest"])
    actions = [r["action"] for r in device.db.query("SELECT action FROM audit_log")]
    assert "sync.exported" in actions and "sync.receipt" in actions


def test_importing_the_same_bundle_twice_changes_nothing(device: Session, hub: Hub,
                                                         tmp_path: Path) -> None:
    bundle = tmp_path / "amb.lbundle"
    usb.export_bundle(device, hublink.load(device.device.layout), bundle)
    hub.import_bundle(bundle.read_bytes())
    before = (hub.store.event_count(), hub.store.entities("patient"),
              hub.store.entities("observation"))
    again = hub.import_bundle(bundle.read_bytes())["receipt"]
    assert again["new"] == 0 and again["duplicates"] == 8
    assert (hub.store.event_count(), hub.store.entities("patient"),
            hub.store.entities("observation")) == before


@pytest.mark.parametrize("damage", ["flip", "truncate", "magic", "json"])
def test_damaged_bundles_are_refused_and_change_nothing(device: Session, hub: Hub,
                                                        tmp_path: Path, damage: str) -> None:
    bundle = tmp_path / "amb.lbundle"
    usb.export_bundle(device, hublink.load(device.device.layout), bundle)
    data = bytearray(bundle.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    elif damage == "truncate":
        del data[-100:]
    elif damage == "magic":
        data[:5] = b"XXXXX"
    else:
        data = bytearray(usb.MAGIC + b"{\"header\": 1}")
    with pytest.raises(SyncError):
        hub.import_bundle(bytes(data))
    assert hub.store.event_count() == 0


def test_a_bundle_from_a_revoked_device_is_refused(device: Session, hub: Hub,
                                                   tmp_path: Path) -> None:
    bundle = tmp_path / "amb.lbundle"
    usb.export_bundle(device, hublink.load(device.device.layout), bundle)
    hub.revoke_device(device.device_id)
    with pytest.raises(Refused, match="revoked"):
        hub.import_bundle(bundle.read_bytes())
    assert hub.store.event_count() == 0


def test_a_bundle_for_another_hub_cannot_be_opened(device: Session, tmp_path: Path) -> None:
    other = Hub.init(tmp_path / "other-hub")
    try:
        bundle = tmp_path / "amb.lbundle"
        usb.export_bundle(device, hublink.load(device.device.layout), bundle)
        code = other.enrol_device(device.device_id, "a", device.device.info.public_key)
        other.store.complete_enrolment(device.device_id, device.device.info.public_key,
                                       p.code_hash(code), "2024-01-01")
        with pytest.raises(SyncError, match="another hub"):
            other.import_bundle(bundle.read_bytes())
        assert other.store.event_count() == 0
    finally:
        other.close()


def test_a_tampered_receipt_file_marks_nothing(device: Session, hub: Hub,
                                               tmp_path: Path) -> None:
    bundle, receipt = tmp_path / "amb.lbundle", tmp_path / "amb.receipt"
    link = hublink.load(device.device.layout)
    usb.export_bundle(device, link, bundle)
    usb.write_receipt(receipt, hub.import_bundle(bundle.read_bytes()))
    receipt.write_bytes(receipt.read_bytes().replace(b'"new":8', b'"new":9'))
    with pytest.raises(SyncError, match="does not verify"):
        usb.import_receipt(device, link, receipt)
    assert outbox.stats(device.db, device.device_id)["pending"] == 8


def test_an_oversized_bundle_is_refused_before_it_is_opened(device: Session, hub: Hub,
                                                            tmp_path: Path) -> None:
    bundle = tmp_path / "amb.lbundle"
    usb.export_bundle(device, hublink.load(device.device.layout), bundle)
    with pytest.raises(Refused, match="larger than 1000 bytes"):
        hub.import_bundle(bundle.read_bytes(), max_bytes=1000)
    assert hub.store.event_count() == 0


def test_one_bundle_carries_more_events_than_one_network_request(
        device: Session, hub: Hub, tmp_path: Path) -> None:
    from sync import protocol

    for i in range(protocol.MAX_EVENTS_PER_REQUEST // 4):
        record_encounter(device, family=f"Outage{i}", observations=2)
    bundle = tmp_path / "outage.lbundle"
    summary = usb.export_bundle(device, hublink.load(device.device.layout), bundle)
    assert summary["events"] > protocol.MAX_EVENTS_PER_REQUEST
    assert hub.import_bundle(bundle.read_bytes())["receipt"]["new"] == summary["events"]


def test_import_reports_progress_in_batches_and_reimporting_changes_nothing(
        device: Session, hub: Hub, tmp_path: Path) -> None:
    for i in range(3):
        record_encounter(device, family=f"Batch{i}", observations=3)
    bundle = tmp_path / "amb.lbundle"
    total = usb.export_bundle(device, hublink.load(device.device.layout), bundle)["events"]
    seen: list[tuple[int, int]] = []
    first = hub.import_bundle(bundle.read_bytes(), batch_size=7,
                              progress=lambda done, of: seen.append((done, of)))["receipt"]
    counts = [done for done, _ in seen]
    assert {of for _, of in seen} == {total} and counts[0] == 0 and counts[-1] == total
    assert counts == sorted(counts) and len(set(counts)) == len(counts)
    assert len(counts) == 1 + -(-total // 7)  # one call per batch, after the opening zero
    assert first["new"] == total and len(first["acked"]) == total
    assert first["high_water"] == max(first["acked"])
    before = (hub.store.event_count(), hub.store.entities("patient"),
              hub.store.entities("observation"), hub.store.conflicts("open"))
    seen.clear()
    again = hub.import_bundle(bundle.read_bytes(), batch_size=7,
                              progress=lambda done, of: seen.append((done, of)))["receipt"]
    assert again["new"] == 0 and again["duplicates"] == total and seen[-1] == (total, total)
    assert (hub.store.event_count(), hub.store.entities("patient"),
            hub.store.entities("observation"), hub.store.conflicts("open")) == before
    # One receipt for the whole bundle marks everything on the device.
    receipt = tmp_path / "amb.receipt"
    usb.write_receipt(receipt, hub.import_bundle(bundle.read_bytes(), batch_size=7))
    assert usb.import_receipt(device, hublink.load(device.device.layout),
                              receipt)["acked"] == total
    assert outbox.stats(device.db, device.device_id)["pending"] == 0
