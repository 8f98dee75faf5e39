"""One contract suite for every hub storage backend (SQLite always; PostgreSQL when configured)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from appliance.errors import SyncError, ValidationError
from appliance.ids import new_id
from sync.hub.sqlitestore import SqliteHubStore
from sync.hub.storage import HubStore, ReplayError
from tests.sync.conftest import pg_dsn_or_skip, unique_schema

NOW = "2024-05-01T10:00:00.000+00:00"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HubStore]:
    if request.param == "sqlite":
        s: HubStore = SqliteHubStore(tmp_path / "hub.db")
    else:
        from sync.hub.pgstore import PostgresHubStore

        s = PostgresHubStore(pg_dsn_or_skip(), unique_schema())
    s.init_schema()
    yield s
    if hasattr(s, "drop_schema"):
        s.drop_schema()
    s.close()


def event(device: str, type_: str, entity_id: str, payload: dict[str, Any],
          eid: str | None = None) -> dict[str, Any]:
    return {"id": eid or new_id(), "device_id": device, "user_id": None, "recorded_at": NOW,
            "type": type_, "entity": type_.split(".")[0], "entity_id": entity_id,
            "payload": payload}


def test_schema_creation_is_idempotent(store: HubStore) -> None:
    store.init_schema()
    store.init_schema()
    assert store.event_count() == 0


def test_ingest_is_idempotent_by_event_id(store: HubStore) -> None:
    dev, pid = new_id(), new_id()
    batch = [event(dev, "patient.registered", pid, {"family_name": "Smith", "created_at": NOW}),
             event(dev, "patient.updated", pid, {"given_name": "Jo"})]
    first = store.ingest(dev, batch, NOW)
    second = store.ingest(dev, list(reversed(batch)), NOW)
    assert len(first.inserted) == 2 and second.inserted == [] and len(second.duplicates) == 2
    assert store.event_count() == 2
    assert store.entities("patient")[0]["given_name"] == "Jo"


def test_same_id_with_other_content_is_quarantined_not_overwritten(store: HubStore) -> None:
    dev, pid = new_id(), new_id()
    original = event(dev, "patient.registered", pid, {"family_name": "Smith", "created_at": NOW})
    store.ingest(dev, [original], NOW)
    forged = dict(original, payload={"family_name": "Jones", "created_at": NOW})
    result = store.ingest(dev, [forged], NOW)
    assert result.acked == [] and result.quarantined[0][0] == original["id"]
    assert store.entities("patient")[0]["family_name"] == "Smith"
    assert store.quarantined(dev)[0]["reason"].startswith("an event with this id")


def test_a_bad_record_never_blocks_the_rest_of_its_batch(store: HubStore) -> None:
    dev = new_id()
    good = event(dev, "patient.registered", new_id(), {"family_name": "A", "created_at": NOW})
    bad_field = event(dev, "patient.registered", new_id(), {"shoe_size": 9})
    other_device = event(new_id(), "patient.registered", new_id(), {"created_at": NOW})
    result = store.ingest(dev, [bad_field, good, {"nonsense": True}, other_device], NOW)
    assert result.acked == [good["id"]]
    assert sorted(r for _, r in result.quarantined) == [
        "event belongs to another device", "not an event (wrong fields)",
        "unknown field(s) ['shoe_size'] for patient"]


def test_nonces_are_single_use_and_a_replay_stores_nothing(store: HubStore) -> None:
    dev = new_id()
    note = event(dev, "note.added", new_id(), {"encounter_id": "E", "text": "x"})
    store.ingest(dev, [], NOW, nonce=("a" * 32, "2999-01-01"))
    with pytest.raises(ReplayError):
        store.ingest(dev, [note], NOW, nonce=("a" * 32, "2999-01-01"))
    assert store.event_count() == 0
    store.ingest(new_id(), [], NOW, nonce=("a" * 32, "2999-01-01"))  # nonces are per device


def test_enrolment_code_works_once_and_revocation_sticks(store: HubStore) -> None:
    dev = new_id()
    store.register_device(dev, "RRV 1", None, "hash", NOW)
    with pytest.raises(ValidationError):
        store.register_device(dev, "RRV 1", None, "hash", NOW)
    with pytest.raises(SyncError):
        store.complete_enrolment(dev, "KEY", "wrong", NOW)
    store.complete_enrolment(dev, "KEY", "hash", NOW)
    with pytest.raises(SyncError):
        store.complete_enrolment(dev, "KEY", "hash", NOW)
    store.revoke_device(dev, NOW)
    device = store.get_device(dev)
    assert device is not None and device["revoked_at"] == NOW


def test_different_values_from_different_devices_are_kept_as_a_conflict(store: HubStore) -> None:
    a, b, pid = new_id(), new_id(), new_id()
    store.ingest(a, [event(a, "patient.registered", pid, {"family_name": "Smith",
                                                          "created_at": NOW})], NOW)
    store.ingest(b, [event(b, "patient.updated", pid, {"family_name": "Smyth"})], NOW)
    (conflict,) = store.conflicts()
    assert (conflict["value_a"], conflict["value_b"]) == ("Smith", "Smyth")
    assert store.entities("patient")[0]["family_name"] == "Smith"
    store.resolve_conflict(conflict["id"], "b", "Dr Patel", NOW)
    assert store.entities("patient")[0]["family_name"] == "Smyth"
    assert store.conflicts() == [] and store.conflicts(None)[0]["resolved_by"] == "Dr Patel"


def test_same_patient_on_two_devices_is_a_match_candidate_until_linked(store: HubStore) -> None:
    a, b, pa, pb = new_id(), new_id(), new_id(), new_id()
    store.ingest(a, [event(a, "patient.registered", pa, {"nhs_number": "9434765919",
                                                         "sex": "female", "created_at": NOW})],
                 NOW)
    store.ingest(b, [event(b, "patient.registered", pb, {"nhs_number": "943 476 5919",
                                                         "sex": "male", "created_at": NOW})],
                 NOW)
    (match,) = store.matches("candidate")
    assert match["reason"] == "same NHS number"
    assert len(store.entities("patient")) == 2  # never merged silently
    assert store.link_patients(pa, pb, "Dr Patel", NOW) == 1  # sex differs -> one conflict
    assert store.matches("linked") and store.conflicts()[0]["field"] == "sex"


def test_concurrent_ingest_of_the_same_events_stores_each_once(store: HubStore) -> None:
    dev = new_id()
    batch = [event(dev, "note.added", new_id(), {"encounter_id": "E", "written_at": NOW,
                                                 "text": f"n{i}"}) for i in range(300)]
    errors: list[Exception] = []

    def push() -> None:
        try:
            store.ingest(dev, batch, NOW)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=push) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and store.event_count() == 300
    assert store.device_event_stats(dev)[0] == 300


def test_a_link_made_on_a_device_is_honoured_at_the_hub(store: HubStore) -> None:
    dev, unknown, known = new_id(), new_id(), new_id()
    store.ingest(dev, [
        event(dev, "patient.registered", known, {"family_name": "Okafor", "created_at": NOW}),
        event(dev, "patient.registered", unknown, {"unknown": 1, "created_at": NOW}),
        event(dev, "patient.linked", unknown, {"linked_to": known, "updated_at": NOW})], NOW)
    (match,) = store.matches("linked")
    assert {match["patient_a"], match["patient_b"]} == {unknown, known}
    assert match["decided_by"] == f"device:{dev}"
    assert len(store.entities("patient")) == 2


def _linked_patients(store: HubStore) -> tuple[str, str, str, str]:
    """(device, unknown patient, the known patient it is linked to, another known patient)."""
    dev, unknown, wrong, right = new_id(), new_id(), new_id(), new_id()
    store.ingest(dev, [
        event(dev, "patient.registered", wrong, {"family_name": "Patel", "created_at": NOW}),
        event(dev, "patient.registered", right, {"family_name": "Patil", "created_at": NOW}),
        event(dev, "patient.registered", unknown, {"unknown": 1, "created_at": NOW}),
        event(dev, "patient.linked", unknown, {"linked_to": wrong, "updated_at": NOW})], NOW)
    return dev, unknown, wrong, right


def _relink(dev: str, unknown: str, new: str | None, reason: str) -> dict[str, Any]:
    """The amendment ``matching.change_link`` / ``remove_link`` sends from a device."""
    return dict(event(dev, "record.amended", unknown, {
        "entity": "patient", "field": "linked_to", "new": new, "reason": reason}),
        entity="patient")


def _pairs(store: HubStore, status: str) -> list[set[str]]:
    return [{m["patient_a"], m["patient_b"]} for m in store.matches(status)]


def test_a_link_changed_on_a_device_moves_the_hubs_link_and_keeps_the_old_one(
        store: HubStore) -> None:
    dev, unknown, wrong, right = _linked_patients(store)
    store.ingest(dev, [_relink(dev, unknown, right, "it is Raj Patil")], NOW)
    assert _pairs(store, "linked") == [{unknown, right}]
    (old,) = store.matches("unlinked")  # not deleted: no longer current
    assert {old["patient_a"], old["patient_b"]} == {unknown, wrong}
    assert old["decided_by"] == f"device:{dev}"
    assert [(h["status"], h["reason"]) for h in store.match_history(wrong, unknown)] == [
        ("linked", "linked on device"), ("unlinked", "it is Raj Patil")]
    assert [h["status"] for h in store.match_history(unknown, right)] == ["linked"]
    assert store.entities("patient") and len(store.entities("patient")) == 3


def test_a_link_removed_on_a_device_leaves_no_current_link_at_the_hub(store: HubStore) -> None:
    dev, unknown, wrong, _right = _linked_patients(store)
    removal = _relink(dev, unknown, None, "not the same person")
    store.ingest(dev, [removal], NOW)
    assert store.matches("linked") == [] and _pairs(store, "unlinked") == [{unknown, wrong}]
    assert store.match_history(unknown, wrong)[-1]["source"] == removal["id"]
    # Later news about the patient (or the removal again) does not bring the link back.
    store.ingest(dev, [removal, event(dev, "patient.updated", unknown, {"sex": "M"})], NOW)
    assert store.matches("linked") == [] and len(store.match_history()) == 2
    store.ingest(dev, [event(dev, "patient.linked", unknown, {"linked_to": wrong})], NOW)
    assert _pairs(store, "linked") == [{unknown, wrong}]  # linked again, on purpose
    assert [h["status"] for h in store.match_history(unknown, wrong)] == [
        "linked", "unlinked", "linked"]


def test_link_changes_in_one_batch_are_followed_in_order(store: HubStore) -> None:
    dev, unknown, wrong, right = new_id(), new_id(), new_id(), new_id()
    store.ingest(dev, [
        event(dev, "patient.registered", unknown, {"unknown": 1, "created_at": NOW}),
        event(dev, "patient.linked", unknown, {"linked_to": wrong}),
        _relink(dev, unknown, right, "wrong Patel"),
        _relink(dev, unknown, None, "not Patil either")], NOW)
    assert store.matches("linked") == []
    assert sorted(map(sorted, _pairs(store, "unlinked"))) == sorted(
        [sorted({unknown, wrong}), sorted({unknown, right})])
    assert [(h["status"], h["reason"]) for h in store.match_history()] == [
        ("linked", "linked on device"), ("unlinked", "wrong Patel"), ("linked", "wrong Patel"),
        ("unlinked", "not Patil either")]


def test_an_older_link_arriving_after_its_correction_does_not_win(store: HubStore) -> None:
    dev, unknown, wrong, right = new_id(), new_id(), new_id(), new_id()
    first = event(dev, "patient.linked", unknown, {"linked_to": wrong})
    store.ingest(dev, [_relink(dev, unknown, right, "it is Raj")], NOW)
    store.ingest(dev, [first], NOW)  # a resent, older event: last writer on the device wins
    assert _pairs(store, "linked") == [{unknown, right}] and store.matches("unlinked") == []


def test_a_link_conflict_between_devices_decides_the_hubs_link_when_resolved(
        store: HubStore) -> None:
    dev, unknown, wrong, right = _linked_patients(store)
    other = new_id()
    store.ingest(other, [event(other, "patient.linked", unknown, {"linked_to": right})], NOW)
    assert _pairs(store, "linked") == [{unknown, wrong}]  # first value stays until decided
    (conflict,) = store.conflicts()
    store.resolve_conflict(conflict["id"], "b", "Dr Patel", NOW)
    assert _pairs(store, "linked") == [{unknown, right}]
    assert _pairs(store, "unlinked") == [{unknown, wrong}]
    assert store.match_history(unknown, right)[-1]["decided_by"] == "Dr Patel"
