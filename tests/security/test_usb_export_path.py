"""The USB export cannot be pointed at the device's own files: a typed path such as
``keys/keyslots.json`` would replace every user's key slot with a bundle. Real device, real
hub keys, real files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from appliance.device import enrol_demo
from appliance.errors import ValidationError
from appliance.paths import Layout
from appliance.session import Session
from sync import hublink, usb
from sync.hub.app import create_app
from sync.hub.service import Hub
from tests.sync.conftest import enrol_with, record_encounter


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    hub = Hub.init(tmp_path / "hub")
    device = enrol_demo(Layout(tmp_path / "device"))
    s = device.login("paramedic", "111111")
    with TestClient(create_app(hub), base_url="http://testserver") as http:
        enrol_with(hub, s, http)
    record_encounter(s)
    yield s
    s.close()
    hub.close()


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(
                "records.db") and "logs" not in p.parts}


@pytest.mark.parametrize("where", ["keys/keyslots.json", "records.db", "device.json",
                                   "keys/device_ed25519.pem", "packs/x.lbundle",
                                   "exports/../config.lbundle"])
def test_the_devices_own_files_are_refused(session: Session, where: str) -> None:
    root = session.device.layout.root
    before = digests(root)
    with pytest.raises(ValidationError):
        usb.export_bundle(session, hublink.load(session.device.layout), root / where)
    assert digests(root) == before


def test_a_file_that_is_not_a_bundle_is_never_overwritten(session: Session,
                                                          tmp_path: Path) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    notes = stick / "handover-notes.lbundle"
    notes.write_text("not a bundle")
    link = hublink.load(session.device.layout)
    with pytest.raises(ValidationError, match="not a Lifeboat bundle"):
        usb.export_bundle(session, link, notes)
    with pytest.raises(ValidationError, match="must end in .lbundle"):
        usb.export_bundle(session, link, stick / "records.txt")
    assert notes.read_text() == "not a bundle"
    assert sorted(p.name for p in stick.iterdir()) == ["handover-notes.lbundle"]


def test_the_stick_and_the_exports_folder_still_work(session: Session, tmp_path: Path) -> None:
    link = hublink.load(session.device.layout)
    on_stick = tmp_path / "usb" / "amb.lbundle"
    on_stick.parent.mkdir()
    assert usb.export_bundle(session, link, on_stick)["events"] == 4
    assert usb.export_bundle(session, link, on_stick)["events"] == 4  # replaces its own bundle
    exports = session.device.layout.exports / "amb.lbundle"
    assert usb.export_bundle(session, link, exports)["events"] == 4
