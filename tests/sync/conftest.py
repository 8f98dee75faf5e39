"""Fixtures for sync tests: demo devices in their own data directories, hubs, PostgreSQL."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from appliance.device import enrol_demo
from appliance.paths import Layout
from appliance.session import Session
from sync import hublink
from sync.hub.service import Hub
from tests.availability import unavailable

PG_ENV = "LIFEBOAT_TEST_PG_DSN"
PG_HOW = (f"PostgreSQL tests need {PG_ENV}, e.g. "
          f"{PG_ENV}=postgresql://postgres@127.0.0.1:5432/test .venv/bin/pytest tests/sync")


def _server_listening(dsn: str) -> bool:
    """Whether anything accepts connections where *dsn* points (TCP port or Unix socket)."""
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(dsn)
    host = str(params.get("host") or "/var/run/postgresql")
    port = int(params.get("port") or 5432)
    if host.startswith("/"):
        return Path(host, f".s.PGSQL.{port}").exists()
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError:
        return False
    return True


def pg_dsn_or_skip() -> str:
    """The test server's DSN. Skips (fails in CI) only when no server is there at all: a server
    that refuses us (wrong password, missing database) is a failure, never a skip."""
    dsn = os.environ.get(PG_ENV, "")
    if not dsn:
        unavailable(f"{PG_ENV} is not set. {PG_HOW}")
    if not _server_listening(dsn):
        unavailable(f"no PostgreSQL server is listening at {PG_ENV}. {PG_HOW}")
    import psycopg

    try:
        psycopg.connect(dsn, connect_timeout=3).close()
    except psycopg.Error as exc:
        pytest.fail(f"PostgreSQL at {PG_ENV} refused the test connection: {exc}", pytrace=False)
    return dsn


@pytest.fixture
def pg_dsn() -> str:
    return pg_dsn_or_skip()


def unique_schema() -> str:
    return "t_" + uuid.uuid4().hex[:12]


def record_encounter(session: Session, *, family: str = "Smith", nhs: str | None = None,
                     observations: int = 2, dob: str | None = "1950-01-01") -> str:
    """One patient, one encounter and some observations (like a paramedic would)."""
    patient = session.write("patient.registered", None, {
        "family_name": family, "given_name": "Alex", "nhs_number": nhs, "date_of_birth": dob,
        "sex": "female", "created_at": "2024-05-01T10:00:00+00:00"})
    enc = session.write("encounter.opened", None, {
        "patient_id": patient.entity_id, "opened_at": "2024-05-01T10:00:00+00:00",
        "status": "open", "presenting_complaint": "chest pain"})
    for i in range(observations):
        session.write("observation.recorded", None, {
            "encounter_id": enc.entity_id, "taken_at": f"2024-05-01T10:0{i}:00+00:00",
            "respiratory_rate": 18 + i, "spo2": 96, "spo2_scale": 1, "on_oxygen": 0,
            "systolic_bp": 120, "diastolic_bp": 80, "pulse": 80 + i, "consciousness": "A",
            "temperature": 37.1, "news2_total": i, "news2_complete": 1})
    return enc.entity_id


@pytest.fixture
def make_device(tmp_path: Path) -> Iterator[Callable[[str], Session]]:
    """``make_device("a")`` -> a signed-in demo paramedic on a fresh device."""
    sessions: list[Session] = []

    def make(name: str) -> Session:
        device = enrol_demo(Layout(tmp_path / f"device-{name}"))
        session = device.login("paramedic", "111111")
        sessions.append(session)
        return session

    yield make
    for s in sessions:
        try:
            s.close()
        except Exception:  # noqa: BLE001 - already closed by the test
            pass


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    h = Hub.init(tmp_path / "hub")
    yield h
    h.close()


@pytest.fixture
def hub_http(hub: Hub) -> Iterator[Any]:
    """An httpx client talking to the hub app in-process."""
    from starlette.testclient import TestClient

    from sync.hub.app import create_app

    with TestClient(create_app(hub), base_url="http://testserver") as client:
        yield client


def enrol_with(hub: Hub, session: Session, http: Any, url: str = "http://127.0.0.1") -> None:
    code = hub.enrol_device(session.device_id, label=f"amb-{session.device_id[-4:]}",
                            public_key=session.device.info.public_key)
    hublink.enrol(session.device.layout, url, code, client=http)


# the update-apply tests' fixtures, found by name from their test modules
from tests.sync.updates_support import home_device, model_file, publisher  # noqa: E402, F401
