"""A DEMO device with a signed-in paramedic and clinician for record tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from appliance.device import Device, enrol_demo
from appliance.paths import layout
from appliance.session import Session


@pytest.fixture()
def device(lifeboat_home: object) -> Device:
    return enrol_demo(layout())


@pytest.fixture()
def paramedic(device: Device) -> Iterator[Session]:
    session = device.login("paramedic", "111111")
    yield session
    session.close()


@pytest.fixture()
def clinician(device: Device) -> Iterator[Session]:
    session = device.login("clinician", "222222")
    yield session
    session.close()
