"""The Sync screen's keys as an IT admin presses them: with no hub enrolled s, e and i say
plainly why they cannot run and what to do, and change nothing; with a hub enrolled but out of
reach, e writes the encrypted USB bundle and i takes the hub's receipt back."""

from __future__ import annotations

from pathlib import Path

from appliance.device import Device
from sync import outbox, usb
from sync.hub.service import Hub
from tests.sync.conftest import record_encounter
from tests.tui_features.conftest import sign_in, wait_for, wait_until
from tui.app import LifeboatApp
from tui.screens.sync import NOT_ENROLLED, RECEIPT_NOT_ENROLLED, SYNC_NOT_ENROLLED


def _notes(app: LifeboatApp) -> str:
    return " ".join(n.message for n in app._notifications)


def _audit(app: LifeboatApp) -> list[str]:
    return [r["action"] for r in app.session.db.query(  # type: ignore[union-attr]
        "SELECT action FROM audit_log ORDER BY rowid")]


def _files(root: Path, pattern: str) -> list[Path]:
    return sorted(root.rglob(pattern))


async def test_without_a_hub_s_e_and_i_say_why_and_change_nothing(demo: Device) -> None:
    session = demo.login("paramedic", "111111")
    record_encounter(session)
    session.close()
    app = LifeboatApp(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, 0, "999999")
        await wait_for(pilot, app, "HomeScreen")
        await pilot.press("s")
        await wait_for(pilot, app, "SyncScreen")
        await wait_until(pilot, lambda: "Pending 4" in str(app.screen.query_one("#counts")
                                                           .render()))
        before = outbox.stats(app.session.db, app.session.device_id,  # type: ignore[union-attr]
                              digest=False)
        audit_before = _audit(app)

        await pilot.press("s")
        await wait_until(pilot, lambda: SYNC_NOT_ENROLLED in _notes(app))
        assert "not enrolled with a hub" in SYNC_NOT_ENROLLED and "press h" in SYNC_NOT_ENROLLED
        assert not app.screen.query_one("#progress").display  # no transfer started

        await pilot.press("e")
        await wait_until(pilot, lambda: NOT_ENROLLED in _notes(app))
        await pilot.press("i")
        await wait_until(pilot, lambda: RECEIPT_NOT_ENROLLED in _notes(app))
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "SyncScreen"  # no path was asked for

        assert _files(demo.layout.root, "*.lbundle") == []
        assert outbox.stats(app.session.db, app.session.device_id,  # type: ignore[union-attr]
                            digest=False) == before
        assert _audit(app) == audit_before


async def test_with_the_hub_out_of_reach_usb_export_and_receipt_work(
        demo: Device, tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from sync import hublink
    from sync.hub.app import create_app

    session = demo.login("paramedic", "111111")
    record_encounter(session)
    session.close()
    hub = Hub.init(tmp_path / "hub")
    try:
        code = hub.enrol_device(demo.info.device_id, label="RRV 12",
                                public_key=demo.info.public_key)
        with TestClient(create_app(hub), base_url="http://testserver") as http:
            # Enrolled once; the hub's address then answers nothing (port 9, discard).
            hublink.enrol(demo.layout, "http://127.0.0.1:9", code, client=http)
        app = LifeboatApp(Device(demo.layout))
        async with app.run_test(size=(80, 24)) as pilot:
            await sign_in(pilot, 0, "999999")
            await wait_for(pilot, app, "HomeScreen")
            await pilot.press("s")
            await wait_for(pilot, app, "SyncScreen")
            await pilot.press("e")
            await wait_for(pilot, app, "PathPrompt")
            await pilot.press("enter")  # the offered file in the exports folder
            await wait_until(pilot, lambda: "Exported 4 events" in _notes(app), 400)
            [bundle] = _files(demo.layout.root / "exports", "*.lbundle")
            assert bundle.read_bytes().startswith(usb.MAGIC)
            assert "sync.exported" in _audit(app)

            # IT carries the stick to the hub: `lifeboat hub import` writes the receipt beside it
            usb.write_receipt(bundle.with_suffix(".receipt"),
                              hub.import_bundle(bundle.read_bytes()))
            await pilot.press("i")
            await wait_for(pilot, app, "PathPrompt")
            await pilot.press("enter")  # the newest receipt there is offered
            await wait_until(pilot, lambda: "Receipt applied: 4 acknowledged" in _notes(app),
                             400)
            await wait_until(pilot, lambda: "Pending 0" in str(app.screen.query_one("#counts")
                                                               .render()))
    finally:
        hub.close()
