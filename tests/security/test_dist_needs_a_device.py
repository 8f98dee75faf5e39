"""The hub's downloads (packs, models, the catalogue) answer enrolled devices only: an anonymous
client, a revoked device, or a signature lifted from another path gets nothing. Real hub
process on 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from appliance.device import enrol_demo
from appliance.paths import Layout
from bench.processes import HubProcess
from sync import hublink, updates
from sync import protocol as p
from sync.hub import distribution
from sync.hub.service import Hub


def test_downloads_need_a_signed_enrolled_device(tmp_path: Path) -> None:
    hub = Hub.init(tmp_path / "hub")
    model = tmp_path / "tiny.gguf"
    model.write_bytes(os.urandom(50_000))
    distribution.publish(hub, "model", "tiny", "1.0", model)
    proc = HubProcess(hub.dir)
    proc.start()
    base = "/v1/dist/model/tiny/1.0"
    try:
        device = enrol_demo(Layout(tmp_path / "device"))
        code = hub.enrol_device(device.info.device_id, "RRV 1", device.info.public_key)
        hublink.enrol(device.layout, proc.url, code)
        session = device.login("paramedic", "111111")
        try:
            auth = hublink.device_auth(session)
            lifted = p.sign_request(session.signing_key(), session.device_id, "GET",
                                    "/v1/dist", b"")
        finally:
            session.close()
        link = hublink.load(device.layout)
        with httpx.Client(base_url=proc.url) as anonymous:
            for path in ("/v1/dist", f"{base}/manifest", f"{base}/file"):
                assert anonymous.get(path).status_code == 401, path
            assert anonymous.get(f"{base}/file", headers=lifted).status_code == 401
        with link.http_client(30.0, auth=auth) as signed:
            assert [m["name"] for m in updates.catalog(signed, link)] == ["tiny"]
            assert signed.get(f"{base}/file").content == model.read_bytes()
            hub.revoke_device(device.info.device_id)
            assert signed.get("/v1/dist").status_code == 403
    finally:
        proc.stop()
        hub.close()
