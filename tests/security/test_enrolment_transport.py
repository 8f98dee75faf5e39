"""Enrolment and sync over the network: the one-time code never crosses the wire, hubs are
reached over HTTPS only (plain HTTP to this machine only), and a hub serving in clear on a
network address says so. Real hub processes on 127.0.0.1, a real recording proxy between."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import httpx
import pytest

from appliance.device import Device, enrol_demo
from appliance.errors import ConfigError, SyncError
from appliance.paths import Layout
from bench.processes import Forwarder, HubProcess, free_port
from sync import hublink
from sync import protocol as p
from sync.hub.app import plain_http_warning
from sync.hub.service import Hub
from tests.security.conftest import REPO, cli


@pytest.fixture
def hub_proc(tmp_path: Path) -> Iterator[tuple[Hub, HubProcess]]:
    hub = Hub.init(tmp_path / "hub")
    proc = HubProcess(hub.dir)
    proc.start()
    try:
        yield hub, proc
    finally:
        proc.stop()
        hub.close()


def test_the_code_never_crosses_the_wire(tmp_path: Path,
                                         hub_proc: tuple[Hub, HubProcess]) -> None:
    hub, proc = hub_proc
    device = enrol_demo(Layout(tmp_path / "device"))
    code = hub.enrol_device(device.info.device_id, "RRV 1", device.info.public_key)
    tap = Forwarder(proc.port)  # the network tap
    try:
        link = hublink.enrol(device.layout, f"http://127.0.0.1:{tap.port}", code)
    finally:
        tap.cut()
    assert link.hub_id == hub.hub_id
    wire = bytes(tap.sent)
    assert b"/v1/enrol" in wire  # the tap did see the enrolment
    for secret in (code, code.replace("-", ""), p.code_hash(code)):
        assert secret.encode() not in wire and secret.lower().encode() not in wire


def test_an_old_style_request_carrying_the_code_is_refused(
        tmp_path: Path, hub_proc: tuple[Hub, HubProcess]) -> None:
    hub, proc = hub_proc
    device = enrol_demo(Layout(tmp_path / "device"))
    code = hub.enrol_device(device.info.device_id, "RRV 1", device.info.public_key)
    body = {"device_id": device.info.device_id, "public_key": device.info.public_key,
            "code": code}
    response = httpx.post(proc.url + "/v1/enrol", content=p.canonical(body))
    assert response.status_code == 400 and "Update Lifeboat" in response.json()["hint"]
    assert not hub.store.get_device(device.info.device_id)["enrolled_at"]


def test_a_wrong_proof_is_refused_and_does_not_burn_the_code(
        tmp_path: Path, hub_proc: tuple[Hub, HubProcess]) -> None:
    hub, proc = hub_proc
    device = enrol_demo(Layout(tmp_path / "device"))
    code = hub.enrol_device(device.info.device_id, "RRV 1", device.info.public_key)
    with pytest.raises(SyncError, match="refused enrolment"):
        hublink.enrol(device.layout, proc.url, "AAAAAA-BBBBBB-CCCCCC")
    assert not hublink.path_for(device.layout).exists()
    assert not hub.store.get_device(device.info.device_id)["enrolled_at"]
    hublink.enrol(device.layout, proc.url, code)
    assert hub.store.get_device(device.info.device_id)["enrolled_at"]


@pytest.mark.parametrize("url", ["http://hub.example.org:8765", "http://10.0.0.5:8765",
                                 "http://127.0.0.1.evil.example:8765", "ftp://127.0.0.1/",
                                 "hub.example.org:8765", "https:///nohost"])
def test_plain_http_to_another_machine_is_refused_before_connecting(
        url: str, tmp_path: Path) -> None:
    """A connection attempt would fail differently ("Cannot reach the hub"), after a timeout."""
    device = enrol_demo(Layout(tmp_path / "device"))
    with pytest.raises(SyncError, match="only https://"):
        hublink.enrol(device.layout, url, "AAAAAA-BBBBBB-CCCCCC")
    with pytest.raises(SyncError, match="only https://"):
        hublink.HubLink(url, "h", "", "", "").http_client()
    assert not hublink.path_for(device.layout).exists()


@pytest.mark.parametrize("url", ["https://hub.trust.nhs.uk:8765", "http://127.0.0.1:8765",
                                 "http://127.8.9.10", "http://localhost:1", "http://[::1]:8765"])
def test_https_and_loopback_addresses_are_allowed(url: str) -> None:
    assert p.require_secure_url(url) == url


def test_config_toml_cannot_redirect_the_pinned_hub(tmp_path: Path) -> None:
    lay = Layout(tmp_path / "device")
    enrol_demo(lay)
    link = hublink.HubLink("https://hub.example.org", "h", "", "", "2024-01-01")
    hublink.path_for(lay).write_text(json.dumps(asdict(link)))
    config = lay.config.read_text()
    for redirect in ("http://hub.example.org", "https://records-collector.example.net"):
        lay.config.write_text(config.replace('hub_url = ""', f'hub_url = "{redirect}"'))
        with pytest.raises(ConfigError, match="not the hub this device enrolled with"):
            hublink.load(lay)
    lay.config.write_text(config.replace('hub_url = ""', 'hub_url = "https://hub.example.org/"'))
    assert hublink.load(lay).url == "https://hub.example.org"  # the same address is fine


def test_an_admin_re_points_a_moved_hub_over_https_only(tmp_path: Path) -> None:
    lay = Layout(tmp_path / "device")
    enrol_demo(lay)
    link = hublink.HubLink("https://hub.example.org", "h", "", "", "2024-01-01")
    hublink.path_for(lay).write_text(json.dumps(asdict(link)))
    before = hublink.path_for(lay).read_text()
    home = lay.root
    plain = cli(home, "sync", "hub-urls", "http://hub2.example.org", "--as", "admin",
                stdin="999999\n")
    assert plain.returncode != 0 and "not encrypted" in plain.stderr
    assert hublink.path_for(lay).read_text() == before
    moved = cli(home, "sync", "hub-urls", "https://hub2.example.org:8765", "--as", "admin",
                stdin="999999\n")
    assert moved.returncode == 0, moved.stderr
    assert hublink.load(lay).url == "https://hub2.example.org:8765"
    session = Device(lay).login("admin", "999999")
    try:
        (row,) = session.db.query("SELECT detail FROM audit_log WHERE action = "
                                  "'sync.hub_urls_changed'")
    finally:
        session.close()
    assert "hub2.example.org" in row["detail"] and "https://hub.example.org" in row["detail"]


def test_the_hub_warns_when_it_serves_in_clear_on_a_network_address(tmp_path: Path) -> None:
    hub = Hub.init(tmp_path / "hub")
    hub.close()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sync.hub.app", "--dir", str(hub.dir),
                             "--host", "0.0.0.0", "--port", str(port)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "WARNING: serving WITHOUT TLS on 0.0.0.0" in err
    assert plain_http_warning("127.0.0.1", None) is None
    assert plain_http_warning("::1", None) is None
    assert plain_http_warning("0.0.0.0", "hub.crt") is None


def test_a_digest_of_the_code_is_all_the_hub_keeps() -> None:
    code = "1A2B3C-4D5E6F-7A8B9C"
    assert p.code_hash(code) == hashlib.sha256(code.encode()).hexdigest()
    assert p.code_hash(" 1a2b3c-4d5e6f-7a8b9c ") == p.code_hash(code)
