"""The device side of a hub with several addresses: `lifeboat sync now` retries a connection
problem with back-off, then tries the next address, and gives up only after a bounded time."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from appliance.errors import SyncError
from bench.processes import REPO, HubProcess, free_port
from sync import outbox
from sync.client import SyncClient
from sync.hub.service import Hub
from sync.retry import Backoff, call_with_retry
from tests.sync.conftest import record_encounter
from tests.sync.test_faults import assert_hub_agrees, enrolled_device


def test_backoff_doubles_up_to_its_cap_with_jitter_and_is_bounded() -> None:
    delays = list(Backoff(attempts=6, base_s=0.1, cap_s=0.5).delays(random.Random(1)))
    assert len(delays) == 5
    for n, wait in enumerate(delays):
        step = min(0.5, 0.1 * 2 ** n)
        assert step / 2 <= wait <= step


def test_call_with_retry_retries_only_what_it_is_told_and_re_raises_the_last() -> None:
    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise TimeoutError
        return "ok"

    assert call_with_retry(flaky, retry_on=(TimeoutError,), sleep=lambda s: None) == "ok"
    assert len(calls) == 3
    with pytest.raises(TimeoutError):
        call_with_retry(lambda: (_ for _ in ()).throw(TimeoutError()),
                        retry_on=(TimeoutError,), backoff=Backoff(attempts=2),
                        sleep=lambda s: None)
    with pytest.raises(KeyError):
        call_with_retry(lambda: {}["x"], retry_on=(TimeoutError,), sleep=lambda s: None)


def lifeboat(*args: str, home: Path, stdin: str) -> tuple[dict[str, Any], str]:
    """Run the CLI; (its JSON output, its stderr)."""
    env = dict(os.environ, LIFEBOAT_HOME=str(home))
    done = subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=REPO, env=env,
                          input=stdin.encode(), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout.decode()), done.stderr.decode()


@pytest.fixture
def hub_process(tmp_path: Path) -> Any:
    hub = Hub.init(tmp_path / "hub")
    proc = HubProcess(hub.dir)
    proc.start()
    yield hub, proc
    proc.stop()
    hub.close()


@pytest.mark.slow
def test_sync_now_moves_on_to_the_next_address_when_the_first_is_down(
        make_device: Any, hub_process: Any, tmp_path: Path) -> None:
    hub, proc = hub_process
    session = enrolled_device(make_device, hub, proc.url, "two")
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    home = session.device.layout.root
    urls, _ = lifeboat("sync", "hub-urls", dead, proc.url, "--as", "admin", "--json",
                       home=home, stdin="999999\n")
    assert urls["to"] == [dead, proc.url]
    for i in range(5):
        record_encounter(session, family=f"F{i}")
    report, stderr = lifeboat("sync", "now", "--as", "paramedic", "--json", home=home,
                              stdin="111111\n")
    assert report["verified_drained"] and report["connection_retries"] >= 3
    assert f"trying {proc.url}" in stderr and "ConnectError" in stderr
    assert_hub_agrees(hub, session)


@pytest.mark.slow
def test_with_every_address_down_sync_gives_up_after_a_bounded_time_and_marks_nothing(
        make_device: Any, hub_process: Any) -> None:
    hub, proc = hub_process
    session = enrolled_device(make_device, hub, proc.url, "down")
    record_encounter(session)
    proc.kill()
    notices: list[str] = []
    client = SyncClient(session, retry_for_s=1.5, notice=notices.append)
    started = time.monotonic()
    with pytest.raises(SyncError, match="Lost contact with the hub"):
        client.sync_now()
    client.close()
    assert time.monotonic() - started < 15
    assert notices and all("retrying" in n for n in notices)
    assert outbox.stats(session.db, session.device_id, digest=False)["pending"] == 4
