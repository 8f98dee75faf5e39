"""A real load balancer (Debian's HAProxy) in front of three hub processes on one PostgreSQL
schema; devices sync through it while hub processes are SIGKILLed and restarted at random.

Every event must arrive exactly once and every device must end verified drained. HAProxy is
installed by ``make install-test`` where apt-get may run; elsewhere this test is skipped, saying
so.
"""

from __future__ import annotations

import random
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from appliance.session import Session
from bench.processes import HAProxy, HubProcess
from sync.client import SyncClient, SyncReport
from sync.hub.service import Hub
from tests.sync.conftest import pg_dsn_or_skip, record_encounter, unique_schema
from tests.sync.test_faults import assert_hub_agrees, enrolled_device

pytestmark = pytest.mark.slow
DEVICES = 20
ENCOUNTERS = 40  # x 4 events each


def test_devices_through_haproxy_lose_and_duplicate_nothing_while_hubs_are_killed(
        make_device: Any, tmp_path: Path) -> None:
    if not HAProxy.available():
        pytest.skip("haproxy is not installed (apt-get install haproxy, or make install-test)")
    hub = Hub.init(tmp_path / "hub0", db=pg_dsn_or_skip(), pg_schema=unique_schema())
    procs = [HubProcess(hub.dir)]
    for i in (1, 2):
        shutil.copytree(hub.dir, tmp_path / f"hub{i}", ignore=shutil.ignore_patterns("*.log"))
        procs.append(HubProcess(tmp_path / f"hub{i}"))
    balancer = HAProxy([p.port for p in procs], tmp_path)
    rng = random.Random(19)
    kills = 0  # kills while events were still arriving
    try:
        for p in procs:
            p.start()
        balancer.start()
        sessions: list[Session] = [enrolled_device(make_device, hub, balancer.url, f"lb{i}")
                                   for i in range(DEVICES)]
        for s in sessions:
            for k in range(ENCOUNTERS):
                record_encounter(s, family=f"LB{k}", observations=2)
        reports: dict[int, SyncReport] = {}
        errors: list[BaseException] = []

        def sync(index: int) -> None:
            try:
                reports[index] = SyncClient(sessions[index], batch_size=4,
                                            retry_for_s=90).sync_now()
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=sync, args=(i,)) for i in range(DEVICES)]
        for t in threads:
            t.start()
        expected = DEVICES * ENCOUNTERS * 4
        # A random process is killed each time another sixth of the events has arrived and
        # restarted in the background; at least one is always up.
        restarts: dict[int, threading.Thread] = {}

        def up() -> list[int]:
            return [i for i in range(len(procs))
                    if i not in restarts or not restarts[i].is_alive()]

        for share in (1, 2, 3, 4, 5):
            while hub.store.event_count() < expected * share // 6 and \
                    any(t.is_alive() for t in threads):
                time.sleep(0.005)
            while len(up()) < 2:
                time.sleep(0.05)
            victim = rng.choice(up())
            kills += hub.store.event_count() < expected  # the kill lands mid-transfer
            procs[victim].kill()
            restarts[victim] = threading.Thread(target=procs[victim].start)
            restarts[victim].start()
        for r in restarts.values():
            r.join(60)
        for t in threads:
            t.join(5)
        assert not errors, errors
        # The first two kills always land mid-transfer (a sixth and a third of the way).
        assert kills >= 2, "hub processes should be killed while events are still arriving"
        for i, s in enumerate(sessions):
            assert reports[i].verified_drained, (i, reports[i])
            assert_hub_agrees(hub, s)
        assert hub.store.event_count() == sum(
            s.db.scalar("SELECT count(*) FROM events") for s in sessions)
    finally:
        balancer.stop()
        for p in procs:
            p.stop()
        hub.store.drop_schema()  # type: ignore[attr-defined]
        hub.close()
