"""The hub refuses an unknown device or a stale clock from the headers alone, before it reads
(up to 8 MiB of) the body. The test sends the headers of a large request and no body: a hub
that waited for the body would never answer. Real hub process on 127.0.0.1, raw socket."""

from __future__ import annotations

import socket
from datetime import timedelta
from pathlib import Path

from appliance.device import enrol_demo
from appliance.ids import new_id
from appliance.paths import Layout
from bench.processes import HubProcess
from sync import hublink
from sync import protocol as p
from sync.hub.service import Hub


def headers_only(port: int, headers: dict[str, str], declared: int) -> str:
    """Send a POST /v1/sync announcing ``declared`` body bytes, send none, return the
    status line the hub answers with (or '' when it waits for the body)."""
    lines = ["POST /v1/sync HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {declared}",
             "Content-Type: application/json", *(f"{k}: {v}" for k, v in headers.items())]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        try:
            return s.recv(4096).decode(errors="replace").split("\r\n")[0]
        except TimeoutError:
            return ""


def test_unknown_devices_and_stale_clocks_are_refused_before_the_body(tmp_path: Path) -> None:
    hub = Hub.init(tmp_path / "hub")
    proc = HubProcess(hub.dir)
    proc.start()
    try:
        device = enrol_demo(Layout(tmp_path / "device"))
        code = hub.enrol_device(device.info.device_id, "RRV 1", device.info.public_key)
        hublink.enrol(device.layout, proc.url, code)
        stranger = {p.H_DEVICE: new_id(), p.H_NONCE: p.new_nonce(),
                    p.H_TIMESTAMP: p.iso(p.utc_now()), p.H_SIGNATURE: p.b64(bytes(64))}
        stale = {**stranger, p.H_DEVICE: device.info.device_id,
                 p.H_TIMESTAMP: p.iso(p.utc_now() - timedelta(hours=1))}
        big = p.MAX_BODY_BYTES - 1
        assert " 403 " in headers_only(proc.port, stranger, big)
        assert " 401 " in headers_only(proc.port, stale, big)
    finally:
        proc.stop()
        hub.close()
