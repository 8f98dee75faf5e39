from __future__ import annotations

from collections.abc import Iterator

import pytest

from appliance.device import Device
from appliance.session import Session


@pytest.fixture
def admin(device: Device) -> Iterator[Session]:
    session = device.login("admin", "999999")
    yield session
    if session._data_key:
        session.close()
