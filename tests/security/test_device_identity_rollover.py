"""A removed user who copied the device's signing key while signed in cannot sign as the device
once it has rolled its identity over: the device makes a new Ed25519 key, the hub records it
(told by a request signed by the old key and by the new one) and refuses the old key from then
on, for sync requests and USB bundles alike. Real hub processes on 127.0.0.1 with each backend
(SQLite and PostgreSQL), the real ``lifeboat`` command, real SQLCipher files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.device import Device, enrol_demo
from appliance.paths import Layout
from appliance.security import device_key
from bench.processes import HubProcess
from sync import hublink, key_rollover, usb
from sync import protocol as p
from sync.hub.service import Hub
from tests.security.conftest import cli
from tests.sync.conftest import pg_dsn_or_skip, unique_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Hub, HubProcess]]:
    """A hub process on 127.0.0.1, its database in SQLite or in PostgreSQL."""
    if request.param == "sqlite":
        h = Hub.init(tmp_path / "hub")
    else:
        h = Hub.init(tmp_path / "hub", db=pg_dsn_or_skip(), pg_schema=unique_schema())
    proc = HubProcess(h.dir)
    proc.start()
    try:
        yield h, proc
    finally:
        proc.stop()
        if request.param == "postgresql":
            h.store.drop_schema()  # type: ignore[attr-defined]
        h.close()


def enrolled_device(tmp_path: Path, hub: Hub, url: str) -> Device:
    device = enrol_demo(Layout(tmp_path / "device"))
    code = hub.enrol_device(device.info.device_id, "RRV 1", device.info.public_key)
    hublink.enrol(device.layout, url, code)
    return device


def sync_as(key: Ed25519PrivateKey, device_id: str, url: str) -> httpx.Response:
    body = p.canonical({"v": 1, "device_id": device_id, "events": [], "status": {}})
    return httpx.post(url + "/v1/sync", content=body,
                      headers=p.sign_request(key, device_id, "POST", "/v1/sync", body))


def hub_state(hub: Hub, device_id: str) -> tuple[Any, ...]:
    device = hub.store.get_device(device_id) or {}
    return (device.get("public_key"), device.get("last_seen"), hub.store.event_count(),
            len(hub.store.quarantined()))


def test_a_copied_device_key_signs_nothing_after_the_rollover(
        tmp_path: Path, hub: tuple[Hub, HubProcess]) -> None:
    h, proc = hub
    device = enrolled_device(tmp_path, h, proc.url)
    device_id = device.info.device_id
    session = device.login("paramedic", "111111")
    copied = session.signing_key()  # what a user can take away while signed in
    session.close()
    assert sync_as(copied, device_id, proc.url).status_code == 200  # the control

    done = cli(device.layout.root, "user", "disable", "paramedic", "--rotate-key",
               "--as", "admin", stdin="999999\n")
    assert done.returncode == 0, done.stderr
    assert "refuses the old one" in done.stdout

    before = hub_state(h, device_id)
    refused = sync_as(copied, device_id, proc.url)
    assert refused.status_code == 401
    bundle = usb.seal_bundle({"events": [], "status": {}}, device_id=device_id,
                             hub_id=h.hub_id, device_key=copied,
                             hub_box=h.box_key.public_key())
    with pytest.raises(Exception, match="(?i)signature|device"):
        h.import_bundle(bundle)
    assert hub_state(h, device_id) == before  # nothing changed at the hub

    # The old key cannot roll the identity back over to itself, or on to a key of its own.
    thief_new = Ed25519PrivateKey.generate()
    body = key_rollover.request_body(device_id, thief_new)
    takeover = httpx.post(proc.url + key_rollover.ROLLOVER_PATH, content=body,
                          headers=p.sign_request(copied, device_id, "POST",
                                                 key_rollover.ROLLOVER_PATH, body))
    assert takeover.status_code == 401
    assert hub_state(h, device_id) == before

    # The device itself carries on under its new key, which device.json names; a Device read
    # before the rollover (as a kiosk app at its sign-in screen holds one) signs with it too.
    kiosk = device.login("clinician", "222222")
    try:
        assert device_key.public_pem(kiosk.signing_key()) != device_key.public_pem(copied)
        assert sync_as(kiosk.signing_key(), device_id, proc.url).status_code == 200
    finally:
        kiosk.close()
    now = cli(device.layout.root, "sync", "now", "--as", "clinician", stdin="222222\n")
    assert now.returncode == 0, now.stderr
    info = json.loads(device.layout.device.read_text())
    assert info["public_key"].strip() == str(h.store.get_device(device_id)["public_key"]).strip()
    assert info["public_key"] != device_key.public_pem(copied)
    retired = h.store.query("SELECT public_key FROM device_keys_retired WHERE device_id = ?",
                            (device_id,))
    assert [r["public_key"].strip() for r in retired] == [device_key.public_pem(copied).strip()]
    admin = Device(device.layout).login("admin", "999999")
    try:
        rows = admin.db.query("SELECT detail FROM audit_log WHERE action = "
                              "'device_key.rolled_over'")
        assert len(rows) == 1 and "paramedic disabled" in rows[0]["detail"]
        assert admin.verify_audit().ok
    finally:
        admin.close()


def test_a_rollover_request_is_refused_unless_the_new_key_signed_it_and_only_once(
        tmp_path: Path, hub: tuple[Hub, HubProcess]) -> None:
    h, proc = hub
    device = enrolled_device(tmp_path, h, proc.url)
    device_id = device.info.device_id
    session = device.login("admin", "999999")
    old = session.signing_key()
    session.close()
    url = proc.url + key_rollover.ROLLOVER_PATH

    # Signed by the old key, but the new key never signed the body: refused, nothing changed.
    new, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    body = json.loads(key_rollover.request_body(device_id, other))
    body["new_public_key"] = device_key.public_pem(new)
    forged = p.canonical(body)
    before = hub_state(h, device_id)
    answer = httpx.post(url, content=forged,
                        headers=p.sign_request(old, device_id, "POST", url[len(proc.url):],
                                               forged))
    assert answer.status_code == 400 and hub_state(h, device_id) == before

    # A genuine request, then the same request again (a replay): the second is refused.
    good = key_rollover.request_body(device_id, new)
    headers = p.sign_request(old, device_id, "POST", key_rollover.ROLLOVER_PATH, good)
    assert httpx.post(url, content=good, headers=headers).status_code == 200
    after = hub_state(h, device_id)
    assert httpx.post(url, content=good, headers=headers).status_code in (401, 409)
    assert hub_state(h, device_id) == after
    assert sync_as(old, device_id, proc.url).status_code == 401
    assert sync_as(new, device_id, proc.url).status_code == 200

    # Back to the retired key, signed by the new one: refused; a key is never used again.
    back = key_rollover.request_body(device_id, old)
    answer = httpx.post(url, content=back, headers=p.sign_request(
        new, device_id, "POST", key_rollover.ROLLOVER_PATH, back))
    assert answer.status_code == 400
    assert sync_as(old, device_id, proc.url).status_code == 401


def test_a_rollover_cut_short_after_the_hub_took_the_key_is_finished_by_the_next_run(
        tmp_path: Path, hub: tuple[Hub, HubProcess]) -> None:
    h, proc = hub
    device = enrolled_device(tmp_path, h, proc.url)
    device_id = device.info.device_id
    session = device.login("admin", "999999")
    old, staged = session.signing_key(), session.staged_device_key()
    session.close()
    # The hub accepts the new key; the device stops before it switches (as if killed there).
    body = key_rollover.request_body(device_id, staged)
    taken = httpx.post(proc.url + key_rollover.ROLLOVER_PATH, content=body,
                       headers=p.sign_request(old, device_id, "POST",
                                              key_rollover.ROLLOVER_PATH, body))
    assert taken.status_code == 200
    assert sync_as(old, device_id, proc.url).status_code == 401

    again = cli(device.layout.root, "sync", "rotate-identity", "--as", "admin",
                stdin="999999\n")
    assert again.returncode == 0, again.stderr
    session = Device(device.layout).login("admin", "999999")
    try:
        assert device_key.public_pem(session.signing_key()) == device_key.public_pem(staged)
    finally:
        session.close()
    assert sync_as(staged, device_id, proc.url).status_code == 200
    assert not device_key.next_path(device.layout.device_key).exists()


def test_only_an_it_admin_rolls_the_identity_over(tmp_path: Path,
                                                  hub: tuple[Hub, HubProcess]) -> None:
    h, proc = hub
    device = enrolled_device(tmp_path, h, proc.url)
    before = hub_state(h, device.info.device_id)
    keyfile = device.layout.device_key.read_bytes()
    refused = cli(device.layout.root, "sync", "rotate-identity", "--as", "paramedic",
                  stdin="111111\n")
    assert refused.returncode != 0
    assert hub_state(h, device.info.device_id) == before
    assert device.layout.device_key.read_bytes() == keyfile
    assert not device_key.next_path(device.layout.device_key).exists()
