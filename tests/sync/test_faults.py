"""Faults with real processes: SIGKILL of the device or the hub mid-sync, connections cut at
random by a proxy, two hub processes sharing PostgreSQL. After recovery every event is on the hub
exactly once and the device agrees with the hub (count and digest).

``LIFEBOAT_FAULT_POINTS`` sets how many kill points to try (default 20: 10 device, 10 hub).
"""

from __future__ import annotations

import os
import random
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from appliance.session import Session
from bench.processes import CuttingProxy, HubProcess, start_device_sync
from sync import hublink, outbox
from sync.client import SyncClient
from sync.hub.service import Hub
from tests.sync.conftest import pg_dsn_or_skip, record_encounter, unique_schema

pytestmark = pytest.mark.slow
FAULT_POINTS = int(os.environ.get("LIFEBOAT_FAULT_POINTS", "20"))


@pytest.fixture
def hub_process(tmp_path: Path) -> Iterator[tuple[Hub, HubProcess]]:
    hub = Hub.init(tmp_path / "hub")
    proc = HubProcess(hub.dir)
    proc.start()
    yield hub, proc
    proc.stop()
    hub.close()


def enrolled_device(make_device: Any, hub: Hub, url: str, name: str) -> Session:
    session: Session = make_device(name)
    code = hub.enrol_device(session.device_id, name, session.device.info.public_key)
    hublink.enrol(session.device.layout, url, code)
    return session


def assert_hub_agrees(hub: Hub, session: Session) -> None:
    """Exactly once: the hub holds precisely the device's events, each projected once."""
    stats = outbox.stats(session.db, session.device_id)
    assert stats["pending"] == 0
    assert hub.store.device_event_stats(session.device_id) == (stats["total"], stats["digest"])
    for entity in ("patient", "encounter", "observation"):
        on_device = session.db.scalar(f"SELECT count(*) FROM {entity}s")
        at_hub = [r for r in hub.store.entities(entity)
                  if r["_device_id"] == session.device_id]
        assert len(at_hub) == on_device, entity


def test_sigkill_of_device_or_hub_at_random_points_loses_and_duplicates_nothing(
        make_device: Any, hub_process: tuple[Hub, HubProcess]) -> None:
    hub, proc = hub_process
    session = enrolled_device(make_device, hub, proc.url, "kill")
    rng = random.Random(20240501)
    for i in range(100):
        record_encounter(session, family=f"K{i}", observations=2)
    root = session.device.layout.root
    kills = {"device": 0, "hub": 0}
    interrupted = 0  # kill points that landed while events were still waiting
    for point in range(FAULT_POINTS):
        victim = "device" if point % 2 == 0 else "hub"
        before = hub.store.event_count()
        backlog = outbox.stats(session.db, session.device_id, digest=False)["pending"]
        strike_at = before + rng.randint(1, max(1, backlog - 10))  # a random point mid-way
        # No retrying: a killed hub ends this run, as the kill points are meant to.
        child = start_device_sync(root, batch_size=5, retry_for_s=0)
        deadline = time.monotonic() + 30
        while hub.store.event_count() < strike_at and child.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.003)
        if victim == "device":
            child.kill()
        else:
            proc.kill()
        child.wait(30)
        kills[victim] += 1
        interrupted += outbox.stats(session.db, session.device_id, digest=False)["pending"] > 0
        if victim == "hub":
            proc.start()
        for k in range(25):  # crews keep working: a fresh backlog for the next point
            record_encounter(session, family=f"New{point}-{k}", observations=1)
    assert kills["device"] + kills["hub"] == FAULT_POINTS
    assert interrupted >= FAULT_POINTS // 2, "most kills should land mid-transfer"
    report = SyncClient(session).sync_now()
    assert report.verified_drained, report
    assert_hub_agrees(hub, session)


def test_connections_cut_at_random_by_a_proxy_only_delay_one_sync_run(
        make_device: Any, hub_process: tuple[Hub, HubProcess]) -> None:
    hub, proc = hub_process
    session = enrolled_device(make_device, hub, proc.url, "cut")
    for i in range(40):
        record_encounter(session, family=f"C{i}", observations=3)
    proxy = CuttingProxy(proc.port, cut_probability=0.4)
    notices: list[str] = []
    try:
        with httpx.Client(base_url=proxy.url, timeout=10.0) as http:
            # One run: each cut connection is retried inside it, re-signed with a fresh nonce.
            report = SyncClient(session, http=http, batch_size=10,
                                notice=notices.append).sync_now()
    finally:
        proxy.close()
    assert proxy.cuts > 0 and report.connection_retries > 0 and notices
    assert report.verified_drained
    assert_hub_agrees(hub, session)


def test_two_hub_processes_sharing_postgresql_store_each_event_once(
        make_device: Any, tmp_path: Path) -> None:
    dsn, schema = pg_dsn_or_skip(), unique_schema()
    hub = Hub.init(tmp_path / "hub1", db=dsn, pg_schema=schema)
    shutil.copytree(tmp_path / "hub1", tmp_path / "hub2")  # same keys, same database
    procs = [HubProcess(tmp_path / "hub1"), HubProcess(tmp_path / "hub2")]
    try:
        for p in procs:
            p.start()
        sessions = [enrolled_device(make_device, hub, procs[0].url, f"pg{i}") for i in range(3)]
        for s in sessions:
            for i in range(15):
                record_encounter(s, family=f"P{i}", observations=2)

        def push(session: Session, index: int) -> None:
            # each device alternates between the hubs, as behind a load balancer
            for attempt in range(4):
                url = procs[(index + attempt) % 2].url
                with httpx.Client(base_url=url, timeout=30.0) as http:
                    SyncClient(session, http=http, batch_size=7).sync_now()

        threads = [threading.Thread(target=push, args=(s, i)) for i, s in enumerate(sessions)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        for s in sessions:
            assert_hub_agrees(hub, s)
        assert hub.store.event_count() == sum(
            s.db.scalar("SELECT count(*) FROM events") for s in sessions)
    finally:
        for p in procs:
            p.stop()
        hub.store.drop_schema()  # type: ignore[attr-defined]
        hub.close()


def test_the_background_agent_notices_the_hub_coming_back(
        make_device: Any, hub_process: tuple[Hub, HubProcess]) -> None:
    from sync.client import SyncAgent

    hub, proc = hub_process
    session = enrolled_device(make_device, hub, proc.url, "agent")
    proc.kill()
    record_encounter(session)
    agent = SyncAgent(session, interval_s=0.2, max_backoff_s=0.5)
    agent.start()
    try:
        deadline = time.monotonic() + 10
        while agent.state.failures < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert agent.state.failures >= 2 and agent.state.hub_reachable is False
        proc.start()
        deadline = time.monotonic() + 20
        while agent.state.last_success is None and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        agent.stop()
    assert agent.state.last_report is not None and agent.state.last_report.verified_drained
    assert_hub_agrees(hub, session)


def _tls_files(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway Trust CA and a certificate for 127.0.0.1 signed by it."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Trust CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(1).not_valid_before(now)
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hub")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    paths = folder / "ca.pem", folder / "hub.crt", folder / "hub.key"
    paths[0].write_bytes(ca.public_bytes(pem))
    paths[1].write_bytes(cert.public_bytes(pem))
    paths[2].write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


def test_a_hub_served_over_tls_is_trusted_only_through_the_pinned_trust_ca(
        make_device: Any, tmp_path: Path) -> None:
    from appliance.errors import SyncError

    ca, cert, key = _tls_files(tmp_path)
    hub = Hub.init(tmp_path / "hub")
    proc = HubProcess(hub.dir, tls=(cert, key), ca_file=ca)
    proc.start()
    try:
        session = make_device("tls")
        code = hub.enrol_device(session.device_id, "tls", session.device.info.public_key)
        with pytest.raises(SyncError, match="Cannot reach the hub"):
            hublink.enrol(session.device.layout, proc.url, code)  # unknown CA: refused
        hublink.enrol(session.device.layout, proc.url, code, ca_cert=ca.read_text())
        record_encounter(session)
        assert SyncClient(session).sync_now().verified_drained
    finally:
        proc.stop()
        hub.close()
