"""Several hub processes on one PostgreSQL schema: one identity, shared distribution files,
readiness for a load balancer, retried deadlocks, and a process SIGKILLed mid-sync.

Real PostgreSQL (``LIFEBOAT_TEST_PG_DSN``, a fresh schema per test) and real hub processes on
127.0.0.1; nothing of ours is mocked.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from appliance.ids import new_id
from appliance.session import Session
from bench.processes import REPO, Forwarder, HubProcess, start_device_sync
from sync import hub_urls, hublink, outbox, updates
from sync.hub import distribution
from sync.hub.identity import HubIdentityError
from sync.hub.service import Hub
from tests.sync.conftest import pg_dsn_or_skip, record_encounter, unique_schema
from tests.sync.test_faults import assert_hub_agrees, enrolled_device

pytestmark = pytest.mark.slow


@pytest.fixture
def pg_hub(tmp_path: Path) -> Iterator[Hub]:
    """A hub on its own PostgreSQL schema, dropped afterwards."""
    hub = Hub.init(tmp_path / "hub1", db=pg_dsn_or_skip(), pg_schema=unique_schema())
    yield hub
    hub.store.drop_schema()  # type: ignore[attr-defined]
    hub.close()


@pytest.fixture
def two_processes(pg_hub: Hub, tmp_path: Path) -> Iterator[list[HubProcess]]:
    """Two processes of ``pg_hub``, each with its own copy of the hub directory."""
    shutil.copytree(pg_hub.dir, tmp_path / "hub2")
    procs = [HubProcess(pg_hub.dir), HubProcess(tmp_path / "hub2")]
    for proc in procs:
        proc.start()
    yield procs
    for proc in procs:
        proc.stop()


def test_init_on_a_schema_that_belongs_to_another_hub_is_refused_and_writes_nothing(
        pg_hub: Hub, tmp_path: Path) -> None:
    with pytest.raises(HubIdentityError, match=f"belongs to hub {pg_hub.hub_id}") as caught:
        Hub.init(tmp_path / "other", db=pg_hub.store.dsn,  # type: ignore[attr-defined]
                 pg_schema=pg_hub.store.schema)  # type: ignore[attr-defined]
    assert "copy it from a running process" in str(caught.value)
    assert "postgres@" not in str(caught.value)  # the address is named without its user
    assert not (tmp_path / "other" / "hub.json").exists()
    assert not (tmp_path / "other" / "keys").exists()
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "hub", "init", "--dir", str(tmp_path / "cli"), "--db",
         pg_hub.store.dsn, "--pg-schema", pg_hub.store.schema],  # type: ignore[attr-defined]
        cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"belongs to hub {pg_hub.hub_id}" in done.stderr


def test_a_process_whose_keys_do_not_match_the_schema_refuses_to_start(
        pg_hub: Hub, tmp_path: Path) -> None:
    stranger = Hub.init(tmp_path / "stranger")  # other keys (its own SQLite database)
    stranger.close()
    copy = tmp_path / "copy"
    shutil.copytree(pg_hub.dir, copy)
    shutil.rmtree(copy / "keys")
    shutil.copytree(stranger.dir / "keys", copy / "keys")
    with pytest.raises(HubIdentityError, match="different signing key and USB bundle key"):
        Hub(copy)
    proc = HubProcess(copy)
    with pytest.raises(RuntimeError, match="hub exited") as caught:
        proc.start()
    assert f"belongs to hub {pg_hub.hub_id}" in str(caught.value)
    assert proc.proc is not None and proc.proc.returncode == 2


def test_ready_follows_the_database_while_health_only_says_the_process_is_up(
        tmp_path: Path) -> None:
    from urllib.parse import urlsplit

    dsn = pg_dsn_or_skip()
    parts = urlsplit(dsn)
    link = Forwarder(parts.port or 5432)
    via = parts._replace(netloc=f"{parts.username}@127.0.0.1:{link.port}").geturl()
    hub = Hub.init(tmp_path / "hub", db=via, pg_schema=unique_schema())
    proc = HubProcess(hub.dir)
    proc.start()
    try:
        def status(path: str) -> int:
            return httpx.get(proc.url + path, timeout=15.0).status_code

        assert (status("/v1/health"), status("/v1/ready")) == (200, 200)
        link.cut()
        assert (status("/v1/health"), status("/v1/ready")) == (200, 503)
        body = httpx.get(proc.url + "/v1/ready", timeout=15.0).json()
        assert body["ready"] is False and "database unreachable" in body["reason"]
        link.restore()
        assert status("/v1/ready") == 200
        hub.store.atomic(lambda tx: tx.execute(  # the schema handed to another hub
            "UPDATE meta SET value = 'x' WHERE key = 'hub_signing_key_sha256'"))
        assert status("/v1/ready") == 503
    finally:
        proc.stop()
        link.restore()
        hub.store.drop_schema()  # type: ignore[attr-defined]
        hub.close()
        link.cut()


def test_a_download_started_on_one_process_resumes_on_another(
        make_device: Any, pg_hub: Hub, two_processes: list[HubProcess], tmp_path: Path) -> None:
    model = tmp_path / "tiny-model.gguf"
    model.write_bytes(os.urandom(300_000))
    distribution.publish(pg_hub, "model", "tiny", "1.0", model)
    session = enrolled_device(make_device, pg_hub, two_processes[0].url, "dl")
    link = hublink.load(session.device.layout)
    dest = tmp_path / "downloads"
    auth = hublink.device_auth(session)  # downloads are for enrolled devices only
    a, b = (httpx.Client(base_url=p.url, timeout=10.0, auth=auth) for p in two_processes)
    with a, b:
        assert a.get("/v1/dist").json() == b.get("/v1/dist").json()  # the same offers
        part = updates.fetch(a, link, "model", "tiny", "1.0", dest, chunk=64_000, max_chunks=2)
        assert part.stat().st_size == 128_000
        seen: list[int] = []
        final = updates.fetch(b, link, "model", "tiny", "1.0", dest, chunk=64_000,
                              progress=lambda done, total: seen.append(done))
        whole = b.get("/v1/dist/model/tiny/1.0/file")
        assert b.get("/v1/dist/model/tiny/1.0/file",
                     headers={"range": "bytes=400000-"}).status_code == 416
    assert seen[0] == 192_000  # resumed on B after the two chunks fetched from A
    assert hashlib.sha256(final.read_bytes()).digest() == \
        hashlib.sha256(model.read_bytes()).digest() == hashlib.sha256(whole.content).digest()


def test_republishing_a_version_with_other_content_is_refused(pg_hub: Hub,
                                                             tmp_path: Path) -> None:
    from appliance.errors import ValidationError

    first, second = tmp_path / "m1.gguf", tmp_path / "m2.gguf"
    first.write_bytes(b"a" * 5000)
    second.write_bytes(b"b" * 5000)
    signed = distribution.publish(pg_hub, "model", "m", "1.0", first)
    assert distribution.publish(pg_hub, "model", "m", "1.0", first) == signed  # idempotent
    with pytest.raises(ValidationError, match="already published with other content"):
        distribution.publish(pg_hub, "model", "m", "1.0", second)


def test_a_real_deadlock_during_ingest_is_retried_and_stores_each_event_once(
        pg_hub: Hub) -> None:
    """Another transaction takes the same rows in the opposite order; PostgreSQL aborts the
    ingest as the deadlock victim and the store runs it again."""
    import psycopg

    from sync.protocol import event_hash, payload_json
    from tests.sync.test_storage_contract import NOW, event

    store: Any = pg_hub.store
    dev = new_id()
    store.register_device(dev, "dl", None, "x", NOW)
    ev = event(dev, "patient.registered", new_id(), {"family_name": "A", "created_at": NOW})
    other = psycopg.connect(store.dsn, autocommit=False)
    watch = psycopg.connect(store.dsn, autocommit=True)
    try:
        other.execute(f"SET search_path TO {store.schema}")
        # The other writer first holds the event id (an uncommitted identical row) ...
        other.execute("INSERT INTO events (id, device_id, user_id, recorded_at, type, entity, "
                      "entity_id, payload, content_hash, received_at) VALUES "
                      "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                      (ev["id"], dev, None, NOW, ev["type"], ev["entity"], ev["entity_id"],
                       payload_json(ev["payload"]), event_hash(ev), NOW))
        result: dict[str, Any] = {}
        worker = threading.Thread(target=lambda: result.setdefault(
            "r", store.ingest(dev, [ev], NOW, status={"pending": 0})))
        worker.start()
        # ... until the ingest, holding the device row, waits for that event id ...
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not watch.execute(
                "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND "
                "query LIKE 'INSERT INTO events%'").fetchall():
            time.sleep(0.02)
        # ... then wants the device row: a cycle PostgreSQL breaks by aborting the ingest.
        other.execute("UPDATE devices SET label = 'held' WHERE device_id = %s", (dev,))
        other.commit()
        worker.join(30)
    finally:
        other.close()
        watch.close()
    assert store.busy_retries >= 1
    assert result["r"].duplicates == [ev["id"]] and result["r"].inserted == []
    assert store.event_count() == 1


def test_every_event_arrives_once_when_a_hub_process_is_killed_mid_sync(
        make_device: Any, pg_hub: Hub, two_processes: list[HubProcess]) -> None:
    """The device knows both processes' addresses (set by IT); process A is SIGKILLed while a
    `sync now` runs; that same run carries on through B and ends verified drained."""
    a, b = two_processes
    session = enrolled_device(make_device, pg_hub, a.url, "kill9")
    admin = session.device.login("admin", "999999")
    try:
        hub_urls.change(admin, [a.url, b.url])
    finally:
        admin.close()
    for i in range(120):
        record_encounter(session, family=f"K{i}", observations=2)
    total = outbox.stats(session.db, session.device_id, digest=False)["pending"]
    child = start_device_sync(session.device.layout.root, batch_size=5)
    deadline = time.monotonic() + 60
    while pg_hub.store.event_count() < total // 3 and child.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.005)
    assert child.poll() is None, "the sync ended before the kill"
    a.kill()
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err.decode()[-2000:]
    report = json.loads(out.decode().strip().splitlines()[-1])
    assert report["verified_drained"] and report["connection_retries"] >= 1, report
    assert_hub_agrees(pg_hub, session)


def test_it_admin_sets_the_hub_urls_the_keys_stay_and_the_change_is_audited(
        make_device: Any, pg_hub: Hub) -> None:
    from appliance.errors import PermissionDenied, ValidationError

    session: Session = make_device("urls")
    code = pg_hub.enrol_device(session.device_id, "urls", session.device.info.public_key)
    proc = HubProcess(pg_hub.dir)
    proc.start()
    try:
        hublink.enrol(session.device.layout, proc.url, code)
    finally:
        proc.stop()
    before = hublink.load(session.device.layout)
    with pytest.raises(PermissionDenied):
        hub_urls.change(session, ["https://hub-b.example:8765"])
    admin = session.device.login("admin", "999999")
    try:
        with pytest.raises(ValidationError, match="not encrypted"):
            hub_urls.change(admin, ["http://hub-b.example:8765"])
        with pytest.raises(ValidationError, match="more than a scheme"):
            hub_urls.change(admin, ["https://user:pw@hub-b.example:8765"])
        hub_urls.change(admin, ["https://hub-a.example:8765/", "https://hub-b.example:8765"])
        actions = [r["action"] for r in admin.db.query("SELECT action FROM audit_log "
                                                       "ORDER BY seq")]
    finally:
        admin.close()
    after = hublink.load(session.device.layout)
    assert after.all_urls() == ["https://hub-a.example:8765", "https://hub-b.example:8765"]
    assert (after.signing_key, after.box_key, after.hub_id) == \
        (before.signing_key, before.box_key, before.hub_id)
    assert actions[-1] == "sync.hub_urls_changed"


def test_a_sqlite_hub_database_is_tied_to_its_hub_too(tmp_path: Path) -> None:
    first = Hub.init(tmp_path / "first")
    first.close()
    with pytest.raises(HubIdentityError, match="belongs to hub"):
        Hub.init(tmp_path / "second", db=str(tmp_path / "first" / "hub.db"))
    assert not (tmp_path / "second" / "hub.json").exists()


def test_serialisation_failures_of_concurrent_writers_are_retried(pg_hub: Hub) -> None:
    """Two hub processes each read a total and write a row from it in SERIALIZABLE
    transactions at the same moment (write skew): PostgreSQL aborts one with a serialisation
    failure, the store runs it again, and both writes land once."""
    from sync.hub.pgstore import PostgresHubStore

    base: Any = pg_hub.store
    base.atomic(lambda tx: tx.execute("CREATE TABLE skew (who TEXT PRIMARY KEY, seen INTEGER)"))
    stores = [PostgresHubStore(base.dsn, base.schema) for _ in range(2)]  # two "processes"
    both_read = threading.Barrier(2)
    failures: list[BaseException] = []

    def write(index: int) -> None:
        first = [True]

        def tx_body(tx: Any) -> None:
            tx.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
            seen = tx.execute("SELECT count(*) FROM skew")[0][0]
            if first[0]:  # only the first attempts overlap; a re-run goes alone
                first[0] = False
                both_read.wait(10)
            tx.execute("INSERT INTO skew VALUES (?, ?)", (f"p{index}", seen))

        try:
            stores[index].atomic(tx_body)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    retries = sum(s.busy_retries for s in stores)
    for s in stores:
        s.close()
    assert not failures, failures
    assert retries == 1
    rows = dict(base.atomic(lambda tx: tx.execute("SELECT who, seen FROM skew")))
    assert sorted(rows.values()) == [0, 1]  # the re-run saw the other's row: serial order
