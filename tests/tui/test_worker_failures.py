"""A background task that fails is shown on screen; the app stays up and what was typed stays.

The fault is real: the encrypted record store is damaged on disk while the app is open, so the
next read in a thread worker fails inside SQLCipher.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Input

from appliance.device import Device
from tests.tui.conftest import make_app, settle, sign_in


def damage_store(database: Path) -> None:
    """Overwrite the database and its WAL files in place, as a failing disk would."""
    for path in (database, database.with_name(database.name + "-wal"),
                 database.with_name(database.name + "-shm")):
        if path.exists():
            with path.open("r+b") as fh:
                fh.write(os.urandom(path.stat().st_size))


async def test_a_store_read_error_in_a_worker_is_shown_and_the_typed_record_is_kept(
        device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await pilot.press(*"Smith", "enter")  # the patient is saved: the record exists
        await settle(pilot)
        record = app.screen
        assert record.__class__.__name__ == "EncounterScreen"
        await pilot.press("f4", *"24")  # typed, not saved
        await settle(pilot)
        assert record.query_one("#respiratory_rate", Input).value == "24"

        damage_store(device.layout.database)
        await pilot.press("f8")  # the handover is built from the store in a thread worker
        await settle(pilot)

        assert app.is_running and app.return_code is None
        assert any("damaged" in str(n.message) for n in app._notifications), \
            [str(n.message) for n in app._notifications]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is record
        assert record.query_one("#respiratory_rate", Input).value == "24"


async def test_an_unexpected_error_in_a_worker_is_shown_and_the_app_stays_up(
        device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await pilot.press(*"Smith", "enter")
        await settle(pilot)
        record = app.screen
        await pilot.press("f4", *"24")
        await settle(pilot)
        assert app.session is not None
        app.session.db.conn.close()  # not a disk fault: a programming error, not wrapped
        await pilot.press("f8")
        await settle(pilot)

        assert app.is_running and app.return_code is None
        shown = [str(n.message) for n in app._notifications]
        assert any("Something went wrong" in m and "What you typed is kept" in m
                   for m in shown), shown
        await pilot.press("escape")
        await settle(pilot)
        assert record.query_one("#respiratory_rate", Input).value == "24"
