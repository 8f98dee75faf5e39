"""Verified packs are activated on devices (`lifeboat sync updates --apply`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from appliance.session import Session
from sync.hub import distribution
from sync.hub.service import Hub
from tests.sync.updates_support import apply, audit_actions, build_pack_file, rearchive, statuses


def test_apply_activates_the_newer_pack_which_is_then_searchable_and_twice_is_a_no_op(
        home_device: Session, hub: Hub, hub_http: Any, publisher: Path, tmp_path: Path) -> None:
    from appliance.protocols.installed import active_pack, read_state
    from appliance.protocols.search import Searcher

    lay = home_device.device.layout
    distribution.publish(hub, "pack", "test-pack", "1.0", build_pack_file(tmp_path, publisher,
                                                                         "1.0"))
    assert statuses(apply(home_device, hub_http)) == [("pack", "1.0", "activated")]
    first = active_pack(lay)
    assert first is not None and first.version == "1.0"
    distribution.publish(hub, "pack", "test-pack", "2.0",
                         build_pack_file(tmp_path, publisher, "2.0", extra=True))
    report = apply(home_device, hub_http)
    assert statuses(report) == [("pack", "2.0", "activated")]
    assert read_state(lay) == {"active": report.outcomes[0].detail["install_id"],
                               "previous": first.install_id}  # kept for rollback
    hits = Searcher.for_active(lay).search("sepsis", mode="fts")
    assert hits and hits[0].doc_id == "sepsis-adult"

    before = (read_state(lay), sorted(p.name for p in lay.packs.iterdir()))
    again = apply(home_device, hub_http)
    assert statuses(again) == [("pack", "2.0", "current")]
    assert (read_state(lay), sorted(p.name for p in lay.packs.iterdir())) == before
    assert not list((lay.cache / "downloads").iterdir())  # nothing fetched for a no-op
    assert audit_actions(home_device) == ["update.pack_activated"] * 2


def test_a_rolled_back_pack_is_not_forced_back_on(home_device: Session, hub: Hub,
                                                 hub_http: Any, publisher: Path,
                                                 tmp_path: Path) -> None:
    from appliance.protocols.installed import active_pack, rollback

    for version in ("1.0", "2.0"):
        distribution.publish(hub, "pack", "test-pack", version,
                             build_pack_file(tmp_path, publisher, version))
        apply(home_device, hub_http)
    rollback(home_device.device.layout)
    assert statuses(apply(home_device, hub_http)) == [("pack", "2.0", "current")]
    assert active_pack(home_device.device.layout).version == "1.0"  # type: ignore[union-attr]


@pytest.mark.parametrize("damage", ["untrusted publisher", "tampered document", "unsigned",
                                    "mislabelled", "corrupt download"])
def test_a_bad_pack_update_leaves_the_active_pack_untouched(
        home_device: Session, hub: Hub, hub_http: Any, publisher: Path, tmp_path: Path,
        damage: str) -> None:
    from appliance.protocols.installed import read_state
    from appliance.protocols.trust import generate_keypair

    lay = home_device.device.layout
    distribution.publish(hub, "pack", "test-pack", "1.0",
                         build_pack_file(tmp_path, publisher, "1.0"))
    apply(home_device, hub_http)
    before = (read_state(lay), sorted(p.name for p in lay.packs.iterdir()))
    version = "3.0" if damage == "mislabelled" else "2.0"
    if damage == "untrusted publisher":
        stranger = tmp_path / "stranger.pem"
        generate_keypair(stranger)
        bad = build_pack_file(tmp_path, stranger, "2.0")
    else:
        bad = build_pack_file(tmp_path, publisher, "2.0")
    if damage == "tampered document":
        rearchive(bad, lambda root: (root / "docs" / "burns.md").write_text(
            (root / "docs" / "burns.md").read_text().replace("20 minutes", "2 minutes")))
    elif damage == "unsigned":
        rearchive(bad, lambda root: (root / "manifest.sig").unlink())
    distribution.publish(hub, "pack", "test-pack", version, bad)
    if damage == "corrupt download":
        hub.store.atomic(lambda tx: tx.execute(
            "UPDATE dist_chunks SET data = ? WHERE version = '2.0' AND seq = 0",
            (bad.read_bytes()[:-10] + b"0123456789",)))

    (outcome,) = apply(home_device, hub_http).outcomes
    assert outcome.status == ("failed" if damage == "corrupt download" else "refused")
    assert outcome.message and outcome.version == version
    assert (read_state(lay), sorted(p.name for p in lay.packs.iterdir())) == before
    assert not [p for p in (lay.cache / "downloads").iterdir() if not p.name.endswith(".part")]
    if damage == "mislabelled":
        assert "the signed file is test-pack 2.0" in outcome.message
    if damage != "corrupt download":
        assert audit_actions(home_device)[-1] == "update.pack_refused"
        # The background agent does not fetch a refused file again; an explicit apply does.
        again = apply(home_device, hub_http, retry_refused=False)
        assert statuses(again) == [("pack", version, "skipped")]
        assert statuses(apply(home_device, hub_http)) == [("pack", version, "refused")]


def test_trusting_the_publisher_later_lets_the_refused_pack_in(
        home_device: Session, hub: Hub, hub_http: Any, tmp_path: Path) -> None:
    from appliance.protocols.installed import active_pack
    from appliance.protocols.trust import generate_keypair, trust_key

    other = tmp_path / "other.pem"
    generate_keypair(other)
    distribution.publish(hub, "pack", "test-pack", "1.0", build_pack_file(tmp_path, other, "1.0"))
    assert statuses(apply(home_device, hub_http)) == [("pack", "1.0", "refused")]
    assert active_pack(home_device.device.layout) is None
    trust_key(home_device.device.layout, other.with_suffix(".pub"))
    assert statuses(apply(home_device, hub_http)) == [("pack", "1.0", "activated")]
