"""A DEMO device with a signed-in paramedic and clinician for record tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from appliance.device import Device
from appliance.session import Session


@pytest.fixture()
def clinician(device: Device) -> Iterator[Session]:
    session = device.login("clinician", "222222")
    yield session
    session.close()
