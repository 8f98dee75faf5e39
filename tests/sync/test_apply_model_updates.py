"""Verified models are registered on devices, and the agent applies what its settings allow
(`lifeboat sync updates --apply`)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from appliance.session import Session
from sync import apply_updates, hublink, updates
from sync.hub import distribution
from sync.hub.service import Hub
from tests.sync.updates_support import apply, audit_actions, build_pack_file, statuses


def test_apply_registers_and_selects_a_newer_model_and_twice_is_a_no_op(
        home_device: Session, hub: Hub, hub_http: Any, tmp_path: Path) -> None:
    from models import registry
    from tests.models.conftest import gguf_bytes

    v1 = tmp_path / "trust-model-v1.gguf"
    v1.write_bytes(gguf_bytes("llama"))
    distribution.publish(hub, "model", "trust-model", "1.0", v1)
    report = apply(home_device, hub_http)
    assert statuses(report) == [("model", "1.0", "activated")]
    assert registry.active_name() == "trust-model"
    rec = registry.record("trust-model")
    assert rec is not None and rec["version"] == "1.0"
    assert rec["sha256"] == hashlib.sha256(v1.read_bytes()).hexdigest()
    assert statuses(apply(home_device, hub_http)) == [("model", "1.0", "current")]
    assert registry.record("trust-model") == rec

    registry.use(next(m.name for m in registry.installed() if m.name != "trust-model"))
    v2 = tmp_path / "trust-model-v2.gguf"
    v2.write_bytes(gguf_bytes("llama", pad=500))
    distribution.publish(hub, "model", "trust-model", "2.0", v2)
    assert statuses(apply(home_device, hub_http)) == [("model", "2.0", "activated")]
    rec2 = registry.record("trust-model")
    assert rec2 is not None and rec2["version"] == "2.0"
    assert rec2["sha256"] == hashlib.sha256(v2.read_bytes()).hexdigest()
    assert registry.active_name() == "trust-model"  # the new file is the one that loads
    assert audit_actions(home_device) == ["update.model_activated"] * 2


def test_a_rolled_back_model_is_not_forced_back_on(home_device: Session, hub: Hub,
                                                  hub_http: Any, tmp_path: Path) -> None:
    from models import registry
    from sync import fetch_updates
    from tests.models.conftest import gguf_bytes

    for version, pad in (("1.0", 64), ("2.0", 96)):
        model = tmp_path / f"trust-model-{version}.gguf"
        model.write_bytes(gguf_bytes("llama", pad=pad))
        distribution.publish(hub, "model", "trust-model", version, model)
        apply(home_device, hub_http)
    assert registry.record("trust-model")["version"] == "2.0"  # type: ignore[index]
    registry.rollback()
    [again] = apply(home_device, hub_http).outcomes
    assert (again.status, "rolled back from on purpose" in again.message) == ("current", True)
    assert registry.record("trust-model")["version"] == "1.0"  # type: ignore[index]
    lay = home_device.device.layout
    m2 = updates.manifest_of(hub_http, hublink.load(lay), "model", "trust-model", "2.0")
    assert fetch_updates.offer_state(lay, m2) == fetch_updates.FETCHED  # on the device
    assert fetch_updates.activate_fetched(lay, m2).status == "activated"  # no download
    assert registry.record("trust-model")["version"] == "2.0"  # type: ignore[index]


def test_a_model_file_that_is_not_a_usable_gguf_changes_nothing(
        home_device: Session, hub: Hub, hub_http: Any, model_file: Path) -> None:
    from models import registry

    before = (registry.active_name(), registry.record("tiny"))
    distribution.publish(hub, "model", "tiny", "1.0", model_file)  # random bytes
    (outcome,) = apply(home_device, hub_http).outcomes
    assert outcome.status == "refused" and "GGUF" in outcome.message
    assert (registry.active_name(), registry.record("tiny")) == before


def test_the_agent_applies_packs_only_as_its_settings_allow(
        home_device: Session, hub: Hub, hub_http: Any, publisher: Path, tmp_path: Path) -> None:
    from appliance import config
    from appliance.protocols.installed import active_pack
    from models import registry
    from sync.client import SyncAgent, SyncClient
    from tests.models.conftest import gguf_bytes

    model = tmp_path / "agent-model.gguf"
    model.write_bytes(gguf_bytes("llama"))
    distribution.publish(hub, "model", "agent-model", "1.0", model)
    distribution.publish(hub, "pack", "test-pack", "1.0",
                         build_pack_file(tmp_path, publisher, "1.0"))
    device = home_device.device
    agent = SyncAgent(home_device)
    text = device.layout.config.read_text()
    device.layout.config.write_text(text.replace("auto_apply_packs = true",
                                                 "auto_apply_packs = false"))
    device.config = config.load(device.layout.config)
    agent.apply_updates(SyncClient(home_device, http=hub_http))
    assert agent.state.last_updates is None and active_pack(device.layout) is None

    device.layout.config.write_text(text)  # the defaults: packs, not models
    device.config = config.load(device.layout.config)
    agent.apply_updates(SyncClient(home_device, http=hub_http))
    assert agent.state.last_updates is not None and agent.state.last_update_error is None
    assert statuses(agent.state.last_updates) == [("pack", "1.0", "activated")]
    assert active_pack(device.layout) is not None and registry.record("agent-model") is None
    rows = home_device.db.query("SELECT detail FROM audit_log WHERE action = ?",
                                ("update.pack_activated",))
    assert len(rows) == 1 and json.loads(rows[0]["detail"])["via"] == "sync-agent"


def test_newest_offers_and_versions_compare_numerically() -> None:
    key = apply_updates.version_key
    assert key("2024.10") > key("2024.9") > key("2024.2") and key("1.0") == key("1.0")
    offers = [{"kind": "pack", "name": "p", "version": v, "published_at": at}
              for v, at in (("1.10", "2"), ("1.9", "3"), ("1.2", "1"))]
    offers.append({"kind": "model", "name": "m", "version": "1", "published_at": "0"})
    assert [(m["name"], m["version"]) for m in apply_updates.newest_offers(offers)] == \
        [("m", "1"), ("p", "1.10")]
    assert apply_updates.newest_offers(offers, ["model"])[0]["name"] == "m"


@pytest.mark.slow
def test_it_applies_updates_from_a_real_hub_process_and_the_agent_does_after_a_sync(
        tmp_path: Path, publisher: Path) -> None:
    """End to end: a hub process on 127.0.0.1, the `lifeboat` command in its own processes."""
    import subprocess
    import sys

    from appliance.device import enrol_demo
    from appliance.paths import Layout
    from appliance.protocols.installed import active_pack, read_state
    from appliance.protocols.trust import generate_keypair, trust_key
    from bench.processes import REPO, HubProcess
    from sync.client import SyncAgent
    from tests.models.conftest import gguf_bytes
    from tests.sync.conftest import record_encounter

    home = tmp_path / "device"
    lay = Layout(home)

    def lifeboat(*args: str, stdin: str = "", code: int = 0) -> Any:
        env = dict(os.environ, LIFEBOAT_HOME=str(home))
        done = subprocess.run([sys.executable, "-m", "tui.cli", *args, "--json"], cwd=REPO,
                              env=env, input=stdin.encode(), capture_output=True, timeout=300)
        assert done.returncode == code, done.stderr.decode()
        return json.loads(done.stdout)

    hub = Hub.init(tmp_path / "hub")
    proc = HubProcess(hub.dir)
    proc.start()
    try:
        device = enrol_demo(lay)
        trust_key(lay, publisher.with_suffix(".pub"))
        code = hub.enrol_device(device.info.device_id, "RRV 7", device.info.public_key)
        lifeboat("sync", "enrol", "--hub", proc.url, "--code", code, "--as", "admin",
                 stdin="999999\n")
        model = tmp_path / "trust-model.gguf"
        model.write_bytes(gguf_bytes("llama"))
        for kind, name, version, path in (
                ("pack", "test-pack", "1.0", build_pack_file(tmp_path, publisher, "1.0")),
                ("model", "trust-model", "1.0", model)):
            lifeboat("hub", "publish", kind, name, version, str(path), "--dir", str(hub.dir))
        offered = lifeboat("sync", "updates", "--as", "paramedic", stdin="111111\n")
        assert {m["name"]: m["on_device"].split(":")[0] for m in offered} == \
            {"test-pack": "newer", "trust-model": "newer"}

        report = lifeboat("sync", "updates", "--apply", "--as", "admin", stdin="999999\n")
        assert sorted((o["kind"], o["status"]) for o in report["outcomes"]) == \
            [("model", "activated"), ("pack", "activated")]
        status = lifeboat("protocols", "status")["active"]
        assert (status["pack_id"], status["version"], status["integrity"]) == \
            ("test-pack", "1.0", "ok")
        assert lifeboat("protocols", "search", "wheeze", "--mode", "fts")[0]["doc_id"] == \
            "asthma-adult"
        registry_file = json.loads((lay.models / "registry.json").read_text())
        assert registry_file["active"] == "trust-model"
        assert registry_file["models"]["trust-model"]["version"] == "1.0"

        before = (read_state(lay), sorted(p.name for p in lay.packs.iterdir()),
                  (lay.models / "registry.json").read_text())
        again = lifeboat("sync", "updates", "--apply", "--as", "admin", stdin="999999\n")
        assert {o["status"] for o in again["outcomes"]} == {"current"}
        (exact,) = lifeboat("sync", "updates", "--fetch", "pack", "test-pack", "1.0",
                            "--as", "admin", stdin="999999\n")["outcomes"]
        assert exact["status"] == "current"
        cached = lifeboat("sync", "updates", "--fetch", "model", "trust-model", "1.0",
                          "--no-activate", "--as", "paramedic", stdin="111111\n")
        assert Path(cached["path"]).read_bytes() == model.read_bytes()
        assert (read_state(lay), sorted(p.name for p in lay.packs.iterdir()),
                (lay.models / "registry.json").read_text()) == before

        stranger = tmp_path / "stranger.pem"
        generate_keypair(stranger)
        lifeboat("hub", "publish", "pack", "test-pack", "2.0",
                 str(build_pack_file(tmp_path / "s", stranger, "2.0")), "--dir", str(hub.dir))
        refused = lifeboat("sync", "updates", "--apply", "--as", "admin", stdin="999999\n",
                           code=1)["outcomes"]
        assert [(o["version"], o["status"]) for o in refused if o["kind"] == "pack"] == \
            [("2.0", "refused")]
        assert read_state(lay) == before[0]

        # The background agent, after a real sync, takes the next trusted pack by itself.
        lifeboat("hub", "publish", "pack", "test-pack", "2.1",
                 str(build_pack_file(tmp_path, publisher, "2.1", extra=True)),
                 "--dir", str(hub.dir))
        session = device.login("paramedic", "111111")
        try:
            record_encounter(session)
            agent = SyncAgent(session)
            agent.attempt()
            assert agent.state.last_error is None and agent.state.last_report is not None
            assert agent.state.last_report.verified_drained
            assert agent.state.last_updates is not None
            assert statuses(agent.state.last_updates) == [("pack", "2.1", "activated")]
            actions = [r["action"] for r in session.db.query("SELECT action FROM audit_log")]
            assert "update.pack_activated" in actions
        finally:
            session.close()
        assert active_pack(lay).version == "2.1"  # type: ignore[union-attr]
        hits = lifeboat("protocols", "search", "sepsis", "--mode", "fts")
        assert hits[0]["doc_id"] == "sepsis-adult"
    finally:
        proc.stop()
        hub.close()
