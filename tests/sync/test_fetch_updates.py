"""Fetch without activating, then activate (sync.fetch_updates): what changes at each step."""
# The enrolled device, publisher and model-file fixtures are test_apply_updates' own, imported.
# ruff: noqa: F811

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from appliance.session import Session
from sync import apply_updates, fetch_updates, hublink
from sync.hub import distribution
from sync.hub.service import Hub
from tests.sync.updates_support import audit_actions, build_pack_file


def _fetch(session: Session, http: Any, kind: str, name: str, version: str
           ) -> fetch_updates.Outcome:
    lay = session.device.layout
    return fetch_updates.fetch_one(http, hublink.load(lay), lay, kind, name, version,
                                   audit=apply_updates.session_audit(session, via="test"))


def _manifest(http: Any, session: Session, kind: str, name: str, version: str
              ) -> dict[str, Any]:
    from sync import updates

    return updates.manifest_of(http, hublink.load(session.device.layout), kind, name, version)


def test_a_fetched_pack_is_installed_beside_the_active_one_then_activated(
        home_device: Session, hub: Hub, hub_http: Any, publisher: Path,
        tmp_path: Path) -> None:
    from appliance.protocols.installed import active_pack, list_installed, read_state

    lay = home_device.device.layout
    for version in ("1.0", "2.0"):
        distribution.publish(hub, "pack", "test-pack", version,
                             build_pack_file(tmp_path, publisher, version))
    first = _fetch(home_device, hub_http, "pack", "test-pack", "1.0")
    assert first.status == "fetched"
    fetch_updates.activate_fetched(lay, _manifest(hub_http, home_device, "pack", "test-pack",
                                                  "1.0"))
    assert active_pack(lay).version == "1.0"  # type: ignore[union-attr]
    state_before = read_state(lay)

    second = _fetch(home_device, hub_http, "pack", "test-pack", "2.0")
    assert second.status == "fetched", second
    assert read_state(lay) == state_before  # nothing in use changed
    assert sorted(p.version for p in list_installed(lay)) == ["1.0", "2.0"]
    m2 = _manifest(hub_http, home_device, "pack", "test-pack", "2.0")
    assert fetch_updates.offer_state(lay, m2) == fetch_updates.FETCHED
    assert _fetch(home_device, hub_http, "pack", "test-pack", "2.0").status == "current"
    assert not list((lay.cache / "downloads").glob("*.tar.gz"))  # the install holds the copy

    outcome = fetch_updates.activate_fetched(
        lay, m2, audit=apply_updates.session_audit(home_device, via="test"))
    assert outcome.status == "activated"
    assert read_state(lay) == {"active": second.detail["install_id"],
                               "previous": state_before["active"]}  # kept for rollback
    assert fetch_updates.offer_state(lay, m2) == fetch_updates.ACTIVE
    m1 = _manifest(hub_http, home_device, "pack", "test-pack", "1.0")
    assert fetch_updates.offer_state(lay, m1) == fetch_updates.FETCHED  # still on the device
    assert audit_actions(home_device) == ["update.pack_fetched", "update.pack_fetched",
                                          "update.pack_activated"]


def test_activating_what_was_not_fetched_changes_nothing(
        home_device: Session, hub: Hub, hub_http: Any, publisher: Path,
        tmp_path: Path) -> None:
    from appliance.protocols.installed import read_state

    lay = home_device.device.layout
    distribution.publish(hub, "pack", "test-pack", "1.0",
                         build_pack_file(tmp_path, publisher, "1.0"))
    m = _manifest(hub_http, home_device, "pack", "test-pack", "1.0")
    assert fetch_updates.offer_state(lay, m) == fetch_updates.NEWER
    outcome = fetch_updates.activate_fetched(lay, m)
    assert outcome.status == "failed" and "not fetched" in outcome.message
    assert read_state(lay) == {"active": None, "previous": None}


def test_an_untrusted_pack_is_refused_at_fetch_and_nothing_is_installed(
        home_device: Session, hub: Hub, hub_http: Any, tmp_path: Path) -> None:
    from appliance.protocols.installed import list_installed
    from appliance.protocols.trust import generate_keypair

    other = tmp_path / "other.pem"
    generate_keypair(other)
    distribution.publish(hub, "pack", "test-pack", "1.0",
                         build_pack_file(tmp_path, other, "1.0"))
    outcome = _fetch(home_device, hub_http, "pack", "test-pack", "1.0")
    assert outcome.status == "refused"
    assert list_installed(home_device.device.layout) == []
    assert audit_actions(home_device) == ["update.pack_refused"]


def test_a_fetched_model_is_kept_aside_until_activated(
        home_device: Session, hub: Hub, hub_http: Any, tmp_path: Path) -> None:
    from models import registry
    from tests.models.conftest import gguf_bytes

    lay = home_device.device.layout
    before = registry.active_name()
    v1 = tmp_path / "trust-model-v1.gguf"
    v1.write_bytes(gguf_bytes("llama"))
    distribution.publish(hub, "model", "trust-model", "1.0", v1)
    assert _fetch(home_device, hub_http, "model", "trust-model", "1.0").status == "fetched"
    assert registry.record("trust-model") is None and registry.active_name() == before
    m = _manifest(hub_http, home_device, "model", "trust-model", "1.0")
    assert fetch_updates.offer_state(lay, m) == fetch_updates.FETCHED
    assert fetch_updates.activate_fetched(lay, m).status == "activated"
    rec = registry.record("trust-model")
    assert rec is not None and rec["sha256"] == hashlib.sha256(v1.read_bytes()).hexdigest()
    assert registry.active_name() == "trust-model"
    assert fetch_updates.offer_state(lay, m) == fetch_updates.ACTIVE


def test_a_model_file_that_is_not_gguf_is_refused_at_fetch(
        home_device: Session, hub: Hub, hub_http: Any, model_file: Path) -> None:
    distribution.publish(hub, "model", "tiny", "1.0", model_file)  # random bytes
    outcome = _fetch(home_device, hub_http, "model", "tiny", "1.0")
    assert outcome.status == "refused" and "GGUF" in outcome.message
    assert not (home_device.device.layout.cache / "downloads" / model_file.name).exists()
