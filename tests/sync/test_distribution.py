"""Signed packs and models reach devices in resumable chunks and are verified before use."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from appliance.errors import SyncError
from appliance.session import Session
from sync import hublink, updates
from sync.hub import distribution
from sync.hub.service import Hub
from tests.sync.conftest import enrol_with


@pytest.fixture
def device(make_device: Any, hub: Hub, hub_http: Any) -> Session:
    session = make_device("a")
    enrol_with(hub, session, hub_http)
    hub_http.auth = hublink.device_auth(session)  # downloads are for enrolled devices
    return session


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny-model.gguf"
    path.write_bytes(os.urandom(300_000))
    return path


def test_an_interrupted_download_resumes_and_is_verified_before_activation(
        device: Session, hub: Hub, hub_http: Any, model_file: Path, tmp_path: Path) -> None:
    distribution.publish(hub, "model", "tiny", "1.0", model_file)
    link = hublink.load(device.device.layout)
    dest = tmp_path / "downloads"
    part = updates.fetch(hub_http, link, "model", "tiny", "1.0", dest, chunk=64_000,
                         max_chunks=2)
    assert part.name.endswith(".part") and part.stat().st_size == 128_000
    assert not (dest / "tiny-model.gguf").exists()  # nothing usable until verified
    seen: list[int] = []
    final = updates.fetch(hub_http, link, "model", "tiny", "1.0", dest, chunk=64_000,
                          progress=lambda done, total: seen.append(done))
    assert seen[0] == 192_000  # resumed after the two chunks already on disk
    assert hashlib.sha256(final.read_bytes()).digest() == \
        hashlib.sha256(model_file.read_bytes()).digest()


def test_a_corrupted_download_is_deleted_not_activated(
        device: Session, hub: Hub, hub_http: Any, model_file: Path, tmp_path: Path) -> None:
    distribution.publish(hub, "pack", "jrcalc", "2024.2", model_file)
    link = hublink.load(device.device.layout)
    dest = tmp_path / "downloads"
    part = updates.fetch(hub_http, link, "pack", "jrcalc", "2024.2", dest, chunk=100_000,
                         max_chunks=1)
    part.write_bytes(b"\0" * 100_000)  # a bad sector, or a tampered partial file
    with pytest.raises(SyncError, match="does not match its signed hash"):
        updates.fetch(hub_http, link, "pack", "jrcalc", "2024.2", dest, chunk=100_000)
    assert list(dest.iterdir()) == []


def test_a_manifest_not_signed_by_the_pinned_hub_is_refused(
        device: Session, hub: Hub, hub_http: Any, model_file: Path, tmp_path: Path) -> None:
    distribution.publish(hub, "pack", "jrcalc", "2024.2", model_file)
    manifest_path = distribution.folder(hub.dir, "pack", "jrcalc", "2024.2") / "manifest.json"
    signed = json.loads(manifest_path.read_text())
    signed["manifest"]["sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(signed))
    with pytest.raises(SyncError, match="not signed by this device's hub"):
        updates.fetch(hub_http, hublink.load(device.device.layout), "pack", "jrcalc",
                      "2024.2", tmp_path / "dl")


def test_unsafe_names_are_refused(hub: Hub, model_file: Path) -> None:
    from appliance.errors import ValidationError

    with pytest.raises(ValidationError):
        distribution.publish(hub, "pack", "../etc", "1", model_file)
    with pytest.raises(ValidationError):
        distribution.publish(hub, "firmware", "x", "1", model_file)


def test_the_catalog_lists_only_verified_manifests(device: Session, hub: Hub, hub_http: Any,
                                                   model_file: Path) -> None:
    distribution.publish(hub, "model", "tiny", "1.0", model_file)
    distribution.publish(hub, "pack", "jrcalc", "2024.2", model_file)
    items = updates.catalog(hub_http, hublink.load(device.device.layout))
    assert sorted((m["kind"], m["name"]) for m in items) == [("model", "tiny"),
                                                            ("pack", "jrcalc")]
