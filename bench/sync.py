"""Sync throughput on loopback: one big device, and many devices at once.

* ``one_device``: 10,000 encounters (~100,000 events) from one device to a real hub process
  (``python -m sync.hub.app``) over HTTP on 127.0.0.1 — target ≤ 30 s on the SQLite hub; the
  PostgreSQL hub beside it when ``LIFEBOAT_TEST_PG_DSN`` is set. Baseline: the same events
  ingested straight into a fresh hub store (no HTTP, no signing), measured in the same run.
* ``fleet``: 50 devices syncing at once (threads) against one SQLite hub process: all must
  complete; events/s overall and the slowest device's time against the median (starvation).
* ``scale_out`` (PostgreSQL only): the same 50 devices through HAProxy to 1, 2 and 3 hub
  processes on one schema, side by side; events/s, p50/p95 per batch request, and the speed-up
  over one process measured in the same run.

``quick`` shrinks every size. Device records are written in one transaction per device through
the store's own ``insert``/``project`` (the per-event durable commits of a real shift would make
set-up take minutes); bench devices use light key-derivation settings, as tests do.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

EVENTS_PER_ENCOUNTER = 10  # patient, encounter, 7 observations, 1 note


def _light_kdf() -> None:
    from appliance.security import keyslots

    keyslots.KDF_PARAMS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def _fill(session: Any, encounters: int) -> int:
    """Write ``encounters`` realistic encounters in one transaction; returns events written."""
    from appliance.store import events

    n = 0
    with session.db.transaction() as conn:
        for i in range(encounters):
            patient = events.make_event(session.device_id, session.user.id, "patient.registered",
                                        None, {"family_name": f"Bench{i}", "given_name": "Sam",
                                               "date_of_birth": "1960-02-03",
                                               "created_at": "2024-05-01T10:00:00+00:00"})
            enc = events.make_event(session.device_id, session.user.id, "encounter.opened",
                                    None, {"patient_id": patient.entity_id, "status": "open",
                                           "opened_at": "2024-05-01T10:00:00+00:00",
                                           "presenting_complaint": "shortness of breath"})
            batch = [patient, enc]
            for k in range(7):
                batch.append(events.make_event(
                    session.device_id, session.user.id, "observation.recorded", None,
                    {"encounter_id": enc.entity_id, "taken_at": f"2024-05-01T10:{k:02d}:00Z",
                     "respiratory_rate": 20 + k, "spo2": 95, "systolic_bp": 118,
                     "diastolic_bp": 76, "pulse": 92, "consciousness": "A",
                     "temperature": 37.4, "news2_total": 2, "news2_complete": 1}))
            batch.append(events.make_event(session.device_id, session.user.id, "note.added",
                                           None, {"encounter_id": enc.entity_id,
                                                  "written_at": "2024-05-01T10:09:00Z",
                                                  "text": "Improving on oxygen."}))
            for e in batch:
                events.insert(conn, e)
                events.project(conn, e)
            n += len(batch)
    return n


def _device(root: Path, encounters: int) -> Any:
    from appliance.device import enrol_demo
    from appliance.paths import Layout

    device = enrol_demo(Layout(root))
    session = device.login("paramedic", "111111")
    _fill(session, encounters)
    return session


def _enrol(session: Any, hub: Any, url: str) -> None:
    from sync import hublink

    code = hub.enrol_device(session.device_id, session.device_id[-6:],
                            session.device.info.public_key)
    hublink.enrol(session.device.layout, url, code)


def _baseline(session: Any, work: Path, dsn: str | None) -> dict[str, Any]:
    """Raw ingest into a fresh hub store, no HTTP: the ceiling the HTTP path is compared with."""
    from sync import outbox
    from sync.hub.sqlitestore import SqliteHubStore
    from sync.hub.storage import HubStore

    batches = list(outbox.pending_batches(session.db, 500))
    if dsn:
        from sync.hub.pgstore import PostgresHubStore

        store: HubStore = PostgresHubStore(dsn, "bench_" + os.urandom(4).hex())
    else:
        store = SqliteHubStore(work / "baseline.db")
    store.init_schema()
    start = time.perf_counter()
    for b in batches:
        store.ingest(session.device_id, b, "2024-05-01T10:00:00Z")
    elapsed = time.perf_counter() - start
    n = store.event_count()
    if dsn:
        store.drop_schema()  # type: ignore[attr-defined]
    store.close()
    return {"events": n, "seconds": round(elapsed, 2), "events_per_s": round(n / elapsed)}


def _one_device(work: Path, encounters: int, dsn: str | None) -> dict[str, Any]:
    from bench.processes import HubProcess
    from sync.client import SyncClient
    from sync.hub.service import Hub

    label = "postgresql" if dsn else "sqlite"
    session = _device(work / f"device-{label}", encounters)
    baseline = _baseline(session, work, dsn)
    hub = Hub.init(work / f"hub-{label}", db=dsn or "",
                   pg_schema="bench_" + os.urandom(4).hex())
    proc = HubProcess(hub.dir)
    proc.start()
    try:
        _enrol(session, hub, proc.url)
        client = SyncClient(session, batch_size=500)
        start = time.perf_counter()
        report = client.sync_now()
        elapsed = time.perf_counter() - start
        client.close()
    finally:
        proc.stop()
        if dsn:
            hub.store.drop_schema()  # type: ignore[attr-defined]
        hub.close()
        session.close()
    return {"hub": label, "encounters": encounters, "events": report.acked,
            "seconds": round(elapsed, 2), "events_per_s": round(report.acked / elapsed),
            "verified_drained": report.verified_drained,
            "target_s_for_100k_events": 30.0,
            "projected_s_for_100k_events": round(elapsed * 100_000 / max(report.acked, 1), 1),
            "baseline_store_only": baseline,
            "ratio_http_to_store_only": round(elapsed / baseline["seconds"], 2)}


def _fleet(work: Path, devices: int, encounters: int) -> dict[str, Any]:
    from bench.processes import HubProcess
    from sync.client import SyncClient
    from sync.hub.service import Hub

    hub = Hub.init(work / "hub-fleet")
    proc = HubProcess(hub.dir)
    proc.start()
    sessions = [_device(work / f"fleet-{i}", encounters) for i in range(devices)]
    times: dict[int, float] = {}
    errors: list[str] = []
    try:
        for s in sessions:
            _enrol(s, hub, proc.url)
        barrier = threading.Barrier(devices)

        def run(i: int) -> None:
            barrier.wait()
            t = time.perf_counter()
            try:
                client = SyncClient(sessions[i], batch_size=100)
                report = client.sync_now()
                client.close()
                if not report.verified_drained:
                    errors.append(f"device {i} not drained")
            except Exception as exc:  # noqa: BLE001 - reported, not raised
                errors.append(f"device {i}: {exc}")
            times[i] = time.perf_counter() - t

        start = time.perf_counter()
        threads = [threading.Thread(target=run, args=(i,)) for i in range(devices)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(600)
        elapsed = time.perf_counter() - start
        total = hub.store.event_count()
    finally:
        proc.stop()
        hub.close()
        for s in sessions:
            s.close()
    per = sorted(times.values())
    return {"devices": devices, "events": total, "seconds": round(elapsed, 2),
            "events_per_s": round(total / elapsed), "completed": len(per) - len(errors),
            "errors": errors[:5], "device_seconds_median": round(statistics.median(per), 2),
            "device_seconds_max": round(per[-1], 2),
            "slowest_to_median": round(per[-1] / statistics.median(per), 2)}


def _scale_out(work: Path, dsn: str, devices: int, encounters: int,
               processes: int) -> dict[str, Any]:
    """``devices`` syncing at once through HAProxy to ``processes`` hub processes on one
    PostgreSQL schema: events/s overall and the p95 time of one batch request."""
    import httpx

    from bench.processes import HAProxy, HubProcess
    from sync.client import SyncClient
    from sync.hub.service import Hub

    batch_ms: list[float] = []

    class TimedClient(httpx.Client):
        def post(self, *args: Any, **kwargs: Any) -> httpx.Response:
            start = time.perf_counter()
            try:
                return super().post(*args, **kwargs)
            finally:
                batch_ms.append((time.perf_counter() - start) * 1000)

    folder = work / f"scale-{processes}"
    folder.mkdir()
    hub = Hub.init(folder / "hub0", db=dsn, pg_schema="bench_" + os.urandom(4).hex())
    dirs = [hub.dir] + [Path(shutil.copytree(hub.dir, folder / f"hub{i}"))
                        for i in range(1, processes)]
    procs = [HubProcess(d) for d in dirs]
    balancer = HAProxy([p.port for p in procs], folder)
    sessions = [_device(folder / f"device-{i}", encounters) for i in range(devices)]
    errors: list[str] = []
    try:
        for p in procs:
            p.start()
        balancer.start()
        for s in sessions:
            _enrol(s, hub, balancer.url)
        barrier = threading.Barrier(devices)

        def run(i: int) -> None:
            barrier.wait()
            try:
                with TimedClient(base_url=balancer.url, timeout=120.0) as http:
                    report = SyncClient(sessions[i], batch_size=100, http=http).sync_now()
                if not report.verified_drained:
                    errors.append(f"device {i} not drained")
            except Exception as exc:  # noqa: BLE001 - reported, not raised
                errors.append(f"device {i}: {exc}")

        start = time.perf_counter()
        threads = [threading.Thread(target=run, args=(i,)) for i in range(devices)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(900)
        elapsed = time.perf_counter() - start
        total = hub.store.event_count()
    finally:
        balancer.stop()
        for p in procs:
            p.stop()
        hub.store.drop_schema()  # type: ignore[attr-defined]
        hub.close()
        for s in sessions:
            s.close()
    ms = sorted(batch_ms)
    return {"hub_processes": processes, "devices": devices, "events": total,
            "seconds": round(elapsed, 2), "events_per_s": round(total / elapsed),
            "batch_ms_p50": round(ms[len(ms) // 2], 1),
            "batch_ms_p95": round(ms[int(len(ms) * 0.95)], 1), "requests": len(ms),
            "errors": errors[:5]}


def scale_out(work: Path, dsn: str, devices: int, encounters: int) -> dict[str, Any]:
    """1, 2 and 3 hub processes side by side; 1 process is the baseline of this run."""
    from bench.processes import HAProxy

    if not HAProxy.available():
        return {"skipped": "haproxy is not installed (apt-get install haproxy)"}
    runs = [_scale_out(work, dsn, devices, encounters, n) for n in (1, 2, 3)]
    base = runs[0]["events_per_s"]
    for r in runs:
        r["speedup_vs_1_process"] = round(r["events_per_s"] / base, 2)
    return {"runs": runs, "cpu_cores": os.cpu_count()}


def run(quick: bool) -> dict[str, Any]:
    _light_kdf()
    encounters = 500 if quick else 10_000
    devices, per_device = (10, 10) if quick else (50, 40)
    dsn = os.environ.get("LIFEBOAT_TEST_PG_DSN") or None
    work = Path(tempfile.mkdtemp(prefix="lifeboat-bench-sync-"))
    old_home = os.environ.get("LIFEBOAT_HOME")
    os.environ["LIFEBOAT_HOME"] = str(work / "home")
    try:
        results: dict[str, Any] = {"one_device": [_one_device(work, encounters, None)]}
        if dsn:
            results["one_device"].append(_one_device(work, encounters, dsn))
        else:
            results["postgresql"] = "skipped: set LIFEBOAT_TEST_PG_DSN to include it"
        results["fleet"] = _fleet(work, devices, per_device)
        if dsn:
            results["scale_out"] = scale_out(work, dsn, devices, per_device)
        return results
    finally:
        if old_home is None:
            os.environ.pop("LIFEBOAT_HOME", None)
        else:
            os.environ["LIFEBOAT_HOME"] = old_home
        shutil.rmtree(work, ignore_errors=True)
