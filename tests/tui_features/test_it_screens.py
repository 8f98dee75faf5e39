"""IT screens in the app, against a real hub process on 127.0.0.1: enrolment typed in (not a
shell command), USB export refused up front without a hub, and updates offered, fetched
without activating, activated and rolled back with the keys an IT admin presses."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable

from appliance.device import Device
from bench.processes import HubProcess
from sync.hub import distribution
from sync.hub.service import Hub
from tests.tui_features.conftest import sign_in, wait_for, wait_until
from tui.app import LifeboatApp
from tui.screens.sync import NOT_ENROLLED


@pytest.fixture
def hub_process(tmp_path: Path) -> Iterator[HubProcess]:
    Hub.init(tmp_path / "hub").close()
    proc = HubProcess(tmp_path / "hub")
    proc.start()
    yield proc
    proc.stop()


def _code(device: Device, proc: HubProcess) -> str:
    hub = Hub(proc.hub_dir)
    try:
        return hub.enrol_device(device.info.device_id, label="RRV 12",
                                public_key=device.info.public_key)
    finally:
        hub.close()


def _text(app: LifeboatApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def _notes(app: LifeboatApp) -> str:
    return " ".join(n.message for n in app._notifications)


async def test_usb_export_says_at_once_that_the_device_is_not_enrolled(demo: Device) -> None:
    app = LifeboatApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, 2, "111111")
        await wait_for(pilot, app, "HomeScreen")
        await pilot.press("s")
        await wait_for(pilot, app, "SyncScreen")
        await pilot.press("e")
        await wait_until(pilot, lambda: NOT_ENROLLED in _notes(app))
        assert type(app.screen).__name__ == "SyncScreen"  # no path asked for first
        await pilot.press("h")  # enrolment is for IT
        await wait_until(pilot, lambda: "for an IT admin" in _notes(app))
        assert type(app.screen).__name__ == "SyncScreen"


@pytest.mark.slow
async def test_it_admin_enrols_in_the_app_and_sync_starts(
        demo: Device, hub_process: HubProcess, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")
    code = _code(demo, hub_process)
    app = LifeboatApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, 0, "999999")
        await wait_for(pilot, app, "HomeScreen")
        assert app.sync_agent is None
        await pilot.press("s")
        await wait_for(pilot, app, "SyncScreen")
        await wait_until(pilot, lambda: "No hub enrolled" in _text(app, "#hub-line"))
        await pilot.press("h")
        await wait_for(pilot, app, "HubEnrolScreen")
        await pilot.press(*hub_process.url, "enter", *"WRONG-CODE", "enter", "enter")
        await wait_until(pilot, lambda: "refused" in _text(app, "#enrol-message"), 400)
        assert not (demo.layout.root / "hub.json").exists()  # nothing saved
        for _ in "WRONG-CODE":
            await pilot.press("backspace")
        await pilot.press(*code, "enter", "enter")
        await wait_for(pilot, app, "SyncScreen", 400)
        await wait_until(pilot, lambda: f"Hub: {hub_process.url}" in _text(app, "#hub-line"))
        assert app.sync_agent is not None  # started at once, no restart needed
        actions = [r["action"] for r in app.session.db.query("SELECT action FROM audit_log")]
        assert "hub.enrolled" in actions
        assert "enrolled with hub" in caplog.text and hub_process.url in caplog.text
        # The background agent's first sync reaches the operational log.
        await wait_until(pilot, lambda: "synced with the hub" in caplog.text, 400)


@pytest.mark.slow
async def test_updates_offered_fetched_activated_and_rolled_back(
        demo: Device, hub_process: HubProcess, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")
    from appliance.protocols.installed import active_pack, list_installed
    from appliance.protocols.trust import generate_keypair, trust_key
    from sync import hublink
    from tests.sync.updates_support import build_pack_file
    from tui.screens.updates import Progress

    key = tmp_path / "publisher.pem"
    generate_keypair(key)
    trust_key(demo.layout, key.with_suffix(".pub"))
    hub = Hub(hub_process.hub_dir)
    try:
        for version in ("1.0", "2.0"):
            distribution.publish(hub, "pack", "test-pack", version,
                                 build_pack_file(tmp_path, key, version))
    finally:
        hub.close()
    hublink.enrol(demo.layout, hub_process.url, _code(demo, hub_process))
    # The background agent would install the newest pack itself: here IT does it by hand.
    demo.config = dataclasses.replace(
        demo.config, sync=dataclasses.replace(demo.config.sync, auto_apply_packs=False))
    steps: list[str] = []

    def seen(message: object) -> None:
        if isinstance(message, Progress):
            steps.append(message.label)

    app = LifeboatApp(demo)
    async with app.run_test(size=(80, 24), message_hook=seen) as pilot:
        await sign_in(pilot, 0, "999999")
        await wait_for(pilot, app, "HomeScreen")
        await pilot.press("i")
        await wait_for(pilot, app, "UpdatesScreen")
        table = app.screen.query_one("#offers", DataTable)
        await wait_until(pilot, lambda: table.row_count == 2, 400)

        def states() -> dict[str, str]:
            return {str(m["version"]): str(table.get_row_at(i)[0])
                    for i, m in enumerate(app.screen.offers.offers)}  # type: ignore[attr-defined]

        assert states() == {"1.0": "NEWER", "2.0": "NEWER"}
        versions = [str(m["version"]) for m in app.screen.offers.offers]  # type: ignore[attr-defined]
        for _ in range(versions.index("2.0")):
            await pilot.press("down")
        # f: fetched and verified, installed beside, nothing in use changed
        await pilot.press("f")
        await wait_until(pilot, lambda: "fetched: pack test-pack 2.0"
                         in _text(app, "#upd-message"), 600)
        assert active_pack(demo.layout) is None
        assert [p.version for p in list_installed(demo.layout)] == ["2.0"]
        await wait_until(pilot, lambda: states()["2.0"] == "fetched, not active")
        assert any(s.startswith("pack test-pack 2.0: downloading") for s in steps), steps
        assert any("search index" in s for s in steps), steps  # install steps shown too
        # Enter on the fetched row: activated, nothing downloaded again
        steps.clear()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "activated: pack test-pack 2.0"
                         in _text(app, "#upd-message"), 600)
        assert active_pack(demo.layout).version == "2.0"  # type: ignore[union-attr]
        assert not any("downloading" in s for s in steps), steps
        await wait_until(pilot, lambda: states() == {"1.0": "older", "2.0": "active"})
        await wait_until(pilot, lambda: "test-pack 2.0" in _text(app, "#on-device"))
        actions = [r["action"] for r in app.session.db.query(  # type: ignore[union-attr]
            "SELECT action FROM audit_log ORDER BY rowid")]
        assert actions.index("update.pack_fetched") < actions.index("update.pack_activated")
        # Enter on an offer not fetched: fetched and activated in one step (an older one too)
        for _ in range(abs(versions.index("2.0") - versions.index("1.0"))):
            await pilot.press("up" if versions.index("1.0") < versions.index("2.0") else "down")
        await pilot.press("enter")  # IT picks the older pack on purpose
        await wait_until(pilot, lambda: "activated: pack test-pack 1.0"
                         in _text(app, "#upd-message"), 600)
        assert active_pack(demo.layout).version == "1.0"  # type: ignore[union-attr]
        await wait_until(pilot, lambda: "previous: test-pack 2.0" in _text(app, "#on-device"))
        await pilot.press("b")
        await wait_for(pilot, app, "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: "Rolled back: test-pack 2.0" in _text(app, "#upd-message"))
        assert active_pack(demo.layout).version == "2.0"  # type: ignore[union-attr]
        assert "protocol pack rolled back to test-pack 2.0" in caplog.text
        assert "update pack test-pack 2.0 fetched, not active" in caplog.text


async def test_the_command_palette_finds_the_updates_screen(demo: Device) -> None:
    app = LifeboatApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, 0, "999999")
        await wait_for(pilot, app, "HomeScreen")
        await pilot.press("ctrl+p")
        await wait_for(pilot, app, "CommandPalette")
        await pilot.press(*"updates")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, app, "UpdatesScreen")
        await wait_until(pilot, lambda: "not enrolled" in _text(app, "#upd-summary"))


@pytest.mark.slow
async def test_the_model_is_rolled_back_and_forward_on_the_updates_screen(
        demo: Device, hub_process: HubProcess, tmp_path: Path) -> None:
    from models import registry
    from sync import hublink
    from tests.models.conftest import gguf_bytes

    sha = {}
    hub = Hub(hub_process.hub_dir)
    try:
        for version, pad in (("1.0", 64), ("2.0", 96)):
            model = tmp_path / f"trust-model-{version}.gguf"
            model.write_bytes(gguf_bytes("llama", pad=pad))
            sha[version] = distribution.publish(hub, "model", "trust-model", version,
                                                model)["manifest"]["sha256"]
    finally:
        hub.close()
    hublink.enrol(demo.layout, hub_process.url, _code(demo, hub_process))
    app = LifeboatApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, 0, "999999")
        await wait_for(pilot, app, "HomeScreen")
        await pilot.press("i")
        await wait_for(pilot, app, "UpdatesScreen")
        table = app.screen.query_one("#offers", DataTable)
        await wait_until(pilot, lambda: table.row_count == 2, 400)
        versions = [str(m["version"]) for m in app.screen.offers.offers]  # type: ignore[attr-defined]

        async def go_to(version: str) -> None:
            while versions[table.cursor_row] != version:
                await pilot.press("down" if versions.index(version) > table.cursor_row else "up")

        await go_to("1.0")
        await pilot.press("enter")  # fetched and activated in one step
        await wait_until(pilot, lambda: "activated: model trust-model 1.0"
                         in _text(app, "#upd-message"), 600)
        await go_to("2.0")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "activated: model trust-model 2.0"
                         in _text(app, "#upd-message"), 600)
        await wait_until(pilot, lambda: "previous: trust-model 1.0" in _text(app, "#on-device"))
        assert registry.record("trust-model")["sha256"] == sha["2.0"]  # type: ignore[index]

        await pilot.press("m")
        await wait_for(pilot, app, "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: "Rolled back: the model is trust-model 1.0 again"
                         in _text(app, "#upd-message"), 400)
        assert registry.active_name() == "trust-model"
        assert registry.record("trust-model")["sha256"] == sha["1.0"]  # type: ignore[index]
        await wait_until(pilot, lambda: "previous: trust-model 2.0" in _text(app, "#on-device"))
        rows = {str(m["version"]): str(table.get_row_at(i)[0])
                for i, m in enumerate(app.screen.offers.offers)}  # type: ignore[attr-defined]
        assert rows == {"1.0": "active", "2.0": "fetched, not active"}
        audit = app.session.db.query(  # type: ignore[union-attr]
            "SELECT action, subject FROM audit_log WHERE action = 'models.rolled_back'")
        assert [(r["action"], r["subject"]) for r in audit] == \
            [("models.rolled_back", "trust-model 1.0")]

        # Enter on the newer one again: selected at once, nothing downloaded again
        await go_to("2.0")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "activated: model trust-model 2.0"
                         in _text(app, "#upd-message"), 600)
        assert registry.record("trust-model")["sha256"] == sha["2.0"]  # type: ignore[index]
