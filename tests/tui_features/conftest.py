"""A DEMO device with the real sample pack installed, shared cheaply between tests.

The pack is installed once per session into a template home (``installed_sample_pack`` in
``tests/conftest.py``, with its vectors, as a real install does, so a snapshot never depends on
how far a background build has got) and copied, timestamps kept, into each test's home.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from appliance.device import Device, enrol_demo
from appliance.paths import layout


@pytest.fixture(scope="session")
def sample_pack_home(installed_sample_pack: Any) -> Path:
    """The template home holding the installed sample pack (shared with the other suites)."""
    return Path(installed_sample_pack.directory).parent.parent


@pytest.fixture
def demo() -> Device:
    """A DEMO device with no protocol pack."""
    return enrol_demo(layout())


@pytest.fixture
def demo_with_pack(sample_pack_home: Path) -> Iterator[Device]:
    """A DEMO device whose active pack is the sample pack."""
    lay = layout()
    lay.ensure()
    shutil.copytree(sample_pack_home / "packs", lay.packs, dirs_exist_ok=True)
    shutil.copytree(sample_pack_home / "keys" / "trusted_publishers", lay.trust_store,
                    dirs_exist_ok=True)
    yield enrol_demo(lay)


async def wait_for(pilot, app, screen_name: str, tries: int = 600) -> None:  # noqa: ANN001
    """Wait until the named screen is on top and mounted, its widgets composed (workers
    post results asynchronously; a loaded machine can take longer than one pause)."""
    for _ in range(tries):
        await pilot.pause(0.05)
        if type(app.screen).__name__ == screen_name and app.screen.is_mounted:
            return
    raise AssertionError(f"still on {type(app.screen).__name__}, wanted {screen_name}")


async def wait_until(pilot, predicate, tries: int = 600) -> None:  # noqa: ANN001
    for _ in range(tries):
        await pilot.pause(0.05)
        if predicate():
            return
    raise AssertionError("condition not met in time")


async def sign_in(pilot, user_index: int, pin: str) -> None:  # noqa: ANN001
    """Users on the DEMO login list: 0 admin, 1 clinician, 2 paramedic."""
    for _ in range(user_index):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.press(*pin)
    await pilot.press("enter")
