from __future__ import annotations

from collections.abc import Iterator

import pytest

from appliance.device import Device, enrol_demo
from appliance.paths import layout
from appliance.session import Session


@pytest.fixture
def device() -> Device:
    return enrol_demo(layout())


@pytest.fixture
def paramedic(device: Device) -> Iterator[Session]:
    session = device.login("paramedic", "111111")
    yield session
    if session._data_key:
        session.close()


@pytest.fixture
def admin(device: Device) -> Iterator[Session]:
    session = device.login("admin", "999999")
    yield session
    if session._data_key:
        session.close()
