"""SVG snapshots of the protocol browser, a document and the assistant panel at 80×24 and 120×40.

Deterministic: the sample pack, no model (assistant disabled), no hub; regenerate with
``pytest tests/tui_features/test_snapshots.py --snapshot-update`` after a deliberate change.
"""

from __future__ import annotations

import dataclasses

import pytest

from appliance.device import Device
from appliance.status import StatusSnapshot
from tests.tui_features.conftest import sign_in, wait_for, wait_until
from tui.app import LifeboatApp

SIZES = [(80, 24), (120, 40)]


FIXED_STATUS = StatusSnapshot(user="Demo Paramedic", role="paramedic", device_label="DEMO",
                              demo=True, hub="no hub", unsynced=0, quarantined=0,
                              power_level="ok", power_text="Mains power", power_messages=())


def _app(device: Device) -> LifeboatApp:
    assistant = dataclasses.replace(device.config.assistant, enabled=False)
    device.config = dataclasses.replace(device.config, assistant=assistant)
    app = LifeboatApp(device)
    # Battery and disk readings change from run to run: show a fixed status line instead.
    app.refresh_status = lambda: app._show_status(FIXED_STATUS)  # type: ignore[method-assign]
    return app


async def _browser(pilot, query: str = "") -> None:  # noqa: ANN001
    app = pilot.app
    await sign_in(pilot, 2, "111111")
    await wait_for(pilot, app, "HomeScreen")
    await pilot.press("p")
    await wait_for(pilot, app, "ProtocolBrowserScreen")
    await wait_until(pilot, lambda: app.screen.source is not None)
    if query:
        await pilot.press(*query)
        await wait_until(pilot, lambda: app.screen.hits and app.screen._query == query)
    await pilot.pause(0.3)


@pytest.mark.parametrize("size", SIZES)
def test_protocol_search_snapshot(demo_with_pack: Device, snap_compare, size) -> None:  # noqa: ANN001
    async def before(pilot) -> None:  # noqa: ANN001
        await _browser(pilot, "adrenaline dose")
        await pilot.press("down")  # into the results (a blinking cursor would not be stable)
        await pilot.pause(0.3)

    assert snap_compare(_app(demo_with_pack), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_protocol_document_snapshot(demo_with_pack: Device, snap_compare, size) -> None:  # noqa: ANN001
    async def before(pilot) -> None:  # noqa: ANN001
        await _browser(pilot, "adrenaline dose")
        await pilot.press("enter")
        await wait_for(pilot, pilot.app, "ProtocolDocumentScreen")
        await wait_until(pilot, lambda: bool(pilot.app.screen.query(".cited")))
        await pilot.pause(0.3)

    assert snap_compare(_app(demo_with_pack), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_assistant_without_model_snapshot(demo_with_pack: Device, snap_compare, size) -> None:  # noqa: ANN001
    async def before(pilot) -> None:  # noqa: ANN001
        app = pilot.app
        await sign_in(pilot, 2, "111111")
        await wait_for(pilot, app, "HomeScreen")
        await wait_until(pilot, lambda: "disabled" in app.model_state)
        await pilot.press("a")
        await wait_for(pilot, app, "AssistantScreen")
        await pilot.press(*"adrenaline dose", "enter")
        await wait_until(pilot, lambda: app.screen.query_one("#answer").finished)
        await pilot.pause(0.3)

    assert snap_compare(_app(demo_with_pack), terminal_size=size, run_before=before)
