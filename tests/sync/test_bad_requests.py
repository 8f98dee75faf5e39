"""Tampered, truncated, replayed, wrongly signed, oversized and malformed requests are refused
with a clear error and change nothing at the hub."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.errors import SyncError
from appliance.session import Session
from sync import outbox
from sync import protocol as p
from sync.client import SyncClient
from sync.hub.service import Hub
from tests.sync.conftest import enrol_with, record_encounter


@pytest.fixture
def device(make_device: Any, hub: Hub, hub_http: Any) -> Session:
    session = make_device("a")
    enrol_with(hub, session, hub_http)
    record_encounter(session)
    return session


def body_for(session: Session) -> bytes:
    events = next(outbox.pending_batches(session.db, 100))
    return p.canonical({"v": 1, "device_id": session.device_id, "events": events, "status": {}})


def send(http: Any, session: Session, body: bytes, *, key: Ed25519PrivateKey | None = None,
         headers: dict[str, str] | None = None, sign_body: bytes | None = None) -> Any:
    key = key or session.signing_key()
    h = headers or p.sign_request(key, session.device_id, "POST", "/v1/sync",
                                  body if sign_body is None else sign_body)
    return http.post("/v1/sync", content=body, headers=h)


def assert_refused(response: Any, status: int, words: str, hub: Hub) -> None:
    assert response.status_code == status, response.text
    assert words in response.json()["error"]
    assert hub.store.event_count() == 0


def test_a_tampered_body_is_refused(device: Session, hub: Hub, hub_http: Any) -> None:
    body = body_for(device)
    tampered = body.replace(b"chest pain", b"chest Pain")
    assert_refused(send(hub_http, device, tampered, sign_body=body), 401, "does not verify", hub)


def test_a_truncated_body_is_refused(device: Session, hub: Hub, hub_http: Any) -> None:
    body = body_for(device)
    assert_refused(send(hub_http, device, body[:-40], sign_body=body), 401, "does not verify",
                   hub)


def test_a_request_signed_by_another_key_is_refused(device: Session, hub: Hub,
                                                     hub_http: Any) -> None:
    response = send(hub_http, device, body_for(device), key=Ed25519PrivateKey.generate())
    assert_refused(response, 401, "does not verify", hub)


def test_a_replayed_request_is_refused(device: Session, hub: Hub, hub_http: Any) -> None:
    body = body_for(device)
    headers = p.sign_request(device.signing_key(), device.device_id,
                             "POST", "/v1/sync", body)
    assert send(hub_http, device, body, headers=headers).status_code == 200
    count = hub.store.event_count()
    again = send(hub_http, device, body, headers=headers)
    assert again.status_code == 409 and "replay" in again.json()["error"]
    assert hub.store.event_count() == count


def test_stale_and_future_timestamps_are_refused(device: Session, hub: Hub,
                                                 hub_http: Any) -> None:
    body = body_for(device)
    key = device.signing_key()
    for delta in (timedelta(minutes=-10), timedelta(minutes=10)):
        headers = p.sign_request(key, device.device_id, "POST", "/v1/sync", body,
                                 timestamp=p.iso(p.utc_now() + delta))
        response = send(hub_http, device, body, headers=headers)
        assert_refused(response, 401, "away from the hub's clock", hub)
        assert "clock" in response.json()["hint"]


def test_an_oversized_body_is_refused_before_it_is_read(make_device: Any, hub: Hub) -> None:
    from starlette.testclient import TestClient

    from sync.hub.app import create_app

    session = make_device("b")
    with TestClient(create_app(hub, max_body=1000), base_url="http://testserver") as http:
        enrol_with(hub, session, http)
        record_encounter(session)
        response = send(http, session, body_for(session))
    assert_refused(response, 413, "larger than 1000 bytes", hub)


def test_malformed_json_and_unsigned_requests_are_refused(device: Session, hub: Hub,
                                                          hub_http: Any) -> None:
    assert_refused(send(hub_http, device, b"{not json"), 400, "not valid JSON", hub)
    assert_refused(send(hub_http, device, b"[1,2]"), 400, "JSON object", hub)
    assert_refused(hub_http.post("/v1/sync", content=b"{}"), 401, "not signed", hub)
    wrong_device = p.canonical({"v": 1, "device_id": "0" * 26, "events": [], "status": {}})
    assert_refused(send(hub_http, device, wrong_device), 400, "different device", hub)


def test_unknown_and_revoked_devices_are_refused(device: Session, make_device: Any, hub: Hub,
                                                 hub_http: Any) -> None:
    stranger = make_device("stranger")
    record_encounter(stranger)
    assert_refused(send(hub_http, stranger, body_for(stranger)), 403, "not enrolled", hub)
    hub.revoke_device(device.device_id)
    assert_refused(send(hub_http, device, body_for(device)), 403, "revoked", hub)
    with pytest.raises(SyncError, match="revoked"):
        SyncClient(device, http=hub_http).sync_now()
    assert outbox.stats(device.db, device.device_id)["pending"] == 4


def test_a_receipt_not_signed_by_the_pinned_hub_marks_nothing(device: Session,
                                                              hub: Hub) -> None:
    rogue = p.sign_receipt(Ed25519PrivateKey.generate(), {
        "device_id": device.device_id, "receipt_id": "R", "acked": [], "quarantined": []})
    with pytest.raises(SyncError, match="does not verify"):
        p.verify_receipt(hub.signing_key.public_key(), rogue, device.device_id)
    genuine = hub.sign({"device_id": device.device_id, "receipt_id": "R", "acked": [],
                        "quarantined": []})
    genuine["receipt"]["acked"] = [r["id"] for r in outbox.all_pending(device.db)]
    with pytest.raises(SyncError, match="does not verify"):
        p.verify_receipt(hub.signing_key.public_key(), genuine, device.device_id)
    assert outbox.stats(device.db, device.device_id)["pending"] == 4


def test_enrolment_with_a_wrong_or_reused_code_is_refused(make_device: Any, hub: Hub,
                                                          hub_http: Any) -> None:
    from sync import hublink

    session = make_device("c")
    code = hub.enrol_device(session.device_id, "c", session.device.info.public_key)
    with pytest.raises(SyncError, match="refused enrolment"):
        hublink.enrol(session.device.layout, "http://127.0.0.1", "AAAAAA-BBBBBB-CCCCCC",
                      client=hub_http)
    hublink.enrol(session.device.layout, "http://127.0.0.1", code, client=hub_http)
    with pytest.raises(SyncError, match="refused enrolment"):
        hublink.enrol(session.device.layout, "http://127.0.0.1", code, client=hub_http)
