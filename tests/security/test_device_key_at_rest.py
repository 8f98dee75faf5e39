"""A stolen copy of the data directory cannot sign as the device: the Ed25519 key is sealed
under the data key, which only a user's PIN unwraps. Older devices' clear keys are sealed at
the next sign-in. Real files, real SQLCipher, a real hub process for the signature check."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization

from appliance import doctor
from appliance.device import Device, enrol_demo
from appliance.errors import StoreError
from appliance.paths import Layout
from appliance.security import device_key, keyslots
from bench.processes import HubProcess
from sync import hublink
from sync import protocol as p
from sync.hub.service import Hub


def test_the_key_file_holds_no_usable_private_key(tmp_path: Path) -> None:
    device = enrol_demo(Layout(tmp_path / "device"))
    data = device.layout.device_key.read_bytes()
    assert b"PRIVATE KEY" not in data and data.startswith(device_key.SEALED_MAGIC)
    with pytest.raises(ValueError):
        serialization.load_pem_private_key(data, password=None)
    with pytest.raises(ValueError):
        serialization.load_der_private_key(data, password=None)
    stolen = tmp_path / "stolen"
    shutil.copytree(device.layout.root, stolen)
    with pytest.raises(StoreError, match="does not open"):
        device_key.load_sealed(stolen / "keys" / "device_ed25519.pem",
                               keyslots.new_data_key())


def test_a_forged_request_from_a_stolen_disk_is_refused_by_the_hub(tmp_path: Path) -> None:
    """The thief tries the key file as it is; without a PIN they have no key the hub takes."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    hub = Hub.init(tmp_path / "hub")
    proc = HubProcess(hub.dir)
    proc.start()
    try:
        device = enrol_demo(Layout(tmp_path / "device"))
        code = hub.enrol_device(device.info.device_id, "RRV 1", device.info.public_key)
        hublink.enrol(device.layout, proc.url, code)
        body = p.canonical({"v": 1, "device_id": device.info.device_id, "events": [],
                            "status": {}})
        stolen = device.layout.device_key.read_bytes()
        try:
            thief_key = serialization.load_pem_private_key(stolen, password=None)
        except ValueError:
            thief_key = Ed25519PrivateKey.generate()  # all a thief without a PIN can do
        forged = p.sign_request(thief_key, device.info.device_id, "POST",  # type: ignore[arg-type]
                                "/v1/sync", body)
        refused = httpx.post(proc.url + "/v1/sync", content=body, headers=forged)
        session = device.login("paramedic", "111111")
        try:
            genuine = p.sign_request(session.signing_key(), session.device_id, "POST",
                                     "/v1/sync", body)
        finally:
            session.close()
        accepted = httpx.post(proc.url + "/v1/sync", content=body, headers=genuine)
    finally:
        proc.stop()
        hub.close()
    assert refused.status_code == 401
    assert accepted.status_code == 200


def test_a_clear_key_from_an_older_version_is_sealed_at_the_next_sign_in(
        tmp_path: Path) -> None:
    device = enrol_demo(Layout(tmp_path / "device"))
    session = device.login("admin", "999999")
    key = session.signing_key()
    session.close()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    device.layout.device_key.write_bytes(pem)  # as an older Lifeboat left it
    assert {c.name: c.status for c in doctor.run(device.layout)}["device key"] == "warn"

    session = Device(device.layout).login("paramedic", "111111")
    try:
        assert device_key.public_pem(session.signing_key()) == device.info.public_key
        actions = [r["action"] for r in session.db.query("SELECT action FROM audit_log")]
    finally:
        session.close()
    assert "device_key.sealed" in actions
    assert device.layout.device_key.read_bytes().startswith(device_key.SEALED_MAGIC)
    assert b"PRIVATE KEY" not in device.layout.device_key.read_bytes()
    assert {c.name: c.status for c in doctor.run(device.layout)}["device key"] == "ok"


def test_a_key_swapped_for_another_devices_sealed_key_is_refused(tmp_path: Path) -> None:
    ours = enrol_demo(Layout(tmp_path / "ours"))
    other = enrol_demo(Layout(tmp_path / "other"))
    shutil.copy(other.layout.device_key, ours.layout.device_key)
    session = ours.login("paramedic", "111111")
    try:
        with pytest.raises(StoreError):
            session.signing_key()
    finally:
        session.close()
