"""Plain exports go to a folder the user chooses (a USB stick), never among the device's own
files, and expire there too. The path prompts refuse ``keys/``, the records and the rest of the
data directory in the prompt itself, with the reason, and write nothing; a stick that is not
plugged in is not created as a folder on the disk. Real app screens driven with Pilot, real
handover export, real files."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from appliance.device import Device
from appliance.session import Session
from bench.seed import FixedClock, seed_encounter
from sync.usb import check_export_path
from tests.tui.conftest import settle
from tui.screens.handover import HandoverScreen
from tui.screens.path_prompt import PathPrompt


class Harness(App[None]):
    def __init__(self, session: Session, screen: Callable[[App[None]], Any]) -> None:
        super().__init__()
        self.session = session
        self.clock = FixedClock()
        self._make = screen

    def on_mount(self) -> None:
        self.push_screen(self._make(self))


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()
            and not p.name.startswith(("records.db", "backlog.json", "lockout.json"))
            and "logs" not in p.parts}


async def answer(pilot: Pilot[object], path: Path | str) -> str:
    """Put ``path`` in the open prompt and press Enter; the prompt's refusal, if any."""
    box = pilot.app.screen.query_one("#path", Input)
    box.value = str(path)
    box.focus()
    await pilot.press("enter")
    await settle(pilot)
    if isinstance(pilot.app.screen, PathPrompt):
        return str(pilot.app.screen.query_one("#path-error").render())
    return ""


async def test_handover_goes_to_the_chosen_stick_never_the_data_dir_and_expires(
        device: Device, tmp_path: Path) -> None:
    root = device.layout.root
    stick = tmp_path / "media" / "STICK"
    stick.mkdir(parents=True)
    session = device.login("paramedic", "111111")
    eid = seed_encounter(session, opened_min_ago=5, family="Zebedee", complaint="chest pain")
    before = digests(root)
    app = Harness(session, lambda a: HandoverScreen(session, eid, a.clock))
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, PathPrompt)
        for inside, says in ((root / "keys", "key slots"), (root / "keys" / "keyslots.json",
                             "key slots"), (root / "records.db", "encrypted records"),
                             (root, "data directory"), (root / "exports" / ".." / "packs",
                                                        "data directory")):
            text = await answer(pilot, inside)
            assert says in text and "Nothing was written" in text, (inside, text)
            assert isinstance(app.screen, PathPrompt)
        missing = tmp_path / "media" / "UNPLUGGED"
        assert "plugged in" in await answer(pilot, missing)
        assert not missing.exists()
        assert await answer(pilot, stick) == ""
        await settle(pilot)
    session.close()
    assert digests(root) == before
    written = sorted(p.name for p in stick.iterdir())
    assert [Path(n).suffix for n in written] == [".html", ".txt"]
    assert "ZEBEDEE" in (stick / written[1]).read_text().upper()

    # A day later, with the stick plugged in again, the next sign-in deletes them.
    day_ago = time.time() - 24 * 3600
    for name in written:
        os.utime(stick / name, (day_ago, day_ago))
    unrelated = stick / "holiday.txt"
    unrelated.write_text("not ours")
    os.utime(unrelated, (day_ago, day_ago))
    session = device.login("clinician", "222222")
    try:
        expired = [json.loads(r["detail"]) for r in session.db.query(
            "SELECT detail FROM audit_log WHERE action = 'exports.expired'")]
    finally:
        session.close()
    assert sorted(stick.iterdir()) == [unrelated]
    assert expired == [{"files": [str(stick / n) for n in written]}]


async def test_the_usb_bundle_prompt_refuses_the_key_slots(device: Device,
                                                         tmp_path: Path) -> None:
    root = device.layout.root
    session = device.login("paramedic", "111111")
    before = digests(root)
    chosen: list[str | None] = []
    app = Harness(session, lambda a: PathPrompt(
        "Write unsynced records to:", "", lambda p: check_export_path(root, p)))
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(pilot)
        app.screen.dismiss = chosen.append  # type: ignore[method-assign,assignment]
        text = await answer(pilot, root / "keys" / "keyslots.json")
        assert "key slots" in text and "Nothing was written" in text
        assert "must end in .lbundle" in await answer(pilot, tmp_path / "notes.txt")
        assert chosen == []
        await answer(pilot, tmp_path / "amb.lbundle")
    session.close()
    assert chosen == [str(tmp_path / "amb.lbundle")]
    assert digests(root) == before
