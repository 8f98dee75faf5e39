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
from sync.hub import distribution, distribution_store
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
    signed = distribution.publish(hub, "pack", "jrcalc", "2024.2", model_file)
    signed["manifest"]["sha256"] = "0" * 64
    hub.store.atomic(lambda tx: tx.execute("UPDATE dist_items SET signed = ?",
                                           (json.dumps(signed),)))
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


def test_items_an_older_hub_kept_on_disk_move_into_the_database_if_they_verify(
        hub: Hub, model_file: Path) -> None:
    from sync import protocol as p

    def old_style(name: str, data: bytes, *, sign_with: Any) -> None:
        folder = hub.dir / "dist" / "model" / name / "1.0"
        folder.mkdir(parents=True)
        (folder / "m.gguf").write_bytes(data)
        manifest = {"kind": "model", "name": name, "version": "1.0", "filename": "m.gguf",
                    "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                    "hub_id": hub.hub_id, "published_at": p.iso(p.utc_now())}
        (folder / "manifest.json").write_text(json.dumps(
            {"manifest": manifest, "signature": p.b64(sign_with.sign(p.canonical(manifest)))}))

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    old_style("kept", model_file.read_bytes(), sign_with=hub.signing_key)
    old_style("forged", b"x" * 100, sign_with=Ed25519PrivateKey.generate())
    assert distribution.adopt_folders(hub) == 1
    assert distribution.adopt_folders(hub) == 0  # once only
    assert [m["manifest"]["name"] for m in distribution_store.catalog(hub.store)] == ["kept"]
