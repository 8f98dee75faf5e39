"""Device → hub over HTTP, in-process: exactly once, receipts, resume, quarantine, drained."""

from __future__ import annotations

from typing import Any

from sync import outbox
from sync.client import SyncClient
from sync.hub.service import Hub
from tests.sync.conftest import enrol_with, record_encounter


def test_a_sync_sends_every_event_once_and_proves_the_device_is_drained(
        make_device: Any, hub: Hub, hub_http: Any) -> None:
    session = make_device("a")
    enrol_with(hub, session, hub_http)
    for i in range(3):
        record_encounter(session, family=f"Patient{i}")
    client = SyncClient(session, http=hub_http, batch_size=4)
    report = client.sync_now()
    assert report.sent == 12 and report.acked == 12 and report.pending_after == 0
    assert report.verified_drained
    assert hub.store.event_count() == 12
    stats = outbox.stats(session.db, session.device_id)
    assert hub.store.device_event_stats(session.device_id) == (stats["total"], stats["digest"])
    again = client.sync_now()
    assert again.sent == 0 and again.verified_drained and hub.store.event_count() == 12


def test_events_whose_receipt_was_lost_are_resent_and_acknowledged_as_duplicates(
        make_device: Any, hub: Hub, hub_http: Any) -> None:
    session = make_device("a")
    enrol_with(hub, session, hub_http)
    record_encounter(session)
    client = SyncClient(session, http=hub_http)
    batch = next(outbox.pending_batches(session.db, 100))
    client.post(batch, {})  # the hub stored them, but the device never applied the receipt
    assert outbox.stats(session.db, session.device_id)["pending"] == 4
    report = client.sync_now()
    assert report.acked == 4 and report.duplicates == 4 and hub.store.event_count() == 4


def test_a_record_the_hub_cannot_accept_is_quarantined_on_both_sides_and_blocks_nothing(
        make_device: Any, hub: Hub, hub_http: Any) -> None:
    session = make_device("a")
    enrol_with(hub, session, hub_http)
    record_encounter(session)
    first = next(outbox.pending_batches(session.db, 1))[0]
    # Another event already holds this id at the hub with different content.
    forged = dict(first, payload=dict(first["payload"], family_name="Someone else"))
    hub.store.ingest(session.device_id, [forged], "2024-01-01T00:00:00+00:00")
    report = SyncClient(session, http=hub_http).sync_now()
    assert report.acked == 3 and report.quarantined == 1
    assert "different content" in report.quarantine_reasons[0]["reason"]
    assert [q["event_id"] for q in outbox.quarantined(session.db)] == [first["id"]]
    assert any(q["event_id"] == first["id"] for q in hub.store.quarantined(session.device_id))
    assert not report.verified_drained and report.pending_after == 0  # content differs
