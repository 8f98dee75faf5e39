"""SVG snapshots at 80×24 and 120×40 of the Updates screen with a real hub's offers: a pack
offered and newer, one fetched and not active (the previous, so b rolls back to it), one active;
the same for a model (the older file kept for m).

The offers come from a hub process on 127.0.0.1, fetched and activated through the same calls
the screen makes. Regenerate after a deliberate UI change:
``pytest tests/tui_shell/test_updates_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from appliance.device import Device
from bench.processes import HubProcess
from sync import apply_updates, hublink
from sync.hub import distribution
from sync.hub.service import Hub
from tests.tui_shell.test_board_and_it_snapshots import SIZES, ScreenHarness, _settle


@pytest.fixture
def hub_process(tmp_path: Path) -> Iterator[HubProcess]:
    Hub.init(tmp_path / "hub").close()
    proc = HubProcess(tmp_path / "hub")
    proc.start()
    yield proc
    proc.stop()


def _publish(proc: HubProcess, tmp_path: Path, key: Path) -> None:
    from tests.models.conftest import gguf_bytes
    from tests.sync.updates_support import build_pack_file

    hub = Hub(proc.hub_dir)
    try:
        for version in ("1.0", "2.0", "3.0"):
            distribution.publish(hub, "pack", "test-pack", version,
                                 build_pack_file(tmp_path, key, version))
        for version, pad in (("1.0", 1_200_000), ("2.0", 1_400_000), ("3.0", 1_500_000)):
            model = tmp_path / f"trust-model-{version}.gguf"
            model.write_bytes(gguf_bytes("llama", pad=pad))
            distribution.publish(hub, "model", "trust-model", version, model)
    finally:
        hub.close()


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES)
def test_updates_with_offers_snapshot(snap_compare: Any, device: Device, tmp_path: Path,
                                     hub_process: HubProcess, size: tuple[int, int]) -> None:
    from appliance.protocols.trust import generate_keypair, trust_key
    from tui.screens.updates import UpdatesScreen

    key = tmp_path / "publisher.pem"
    generate_keypair(key)
    trust_key(device.layout, key.with_suffix(".pub"))
    _publish(hub_process, tmp_path, key)
    hub = Hub(hub_process.hub_dir)
    try:
        code = hub.enrol_device(device.info.device_id, label="RRV 12",
                                public_key=device.info.public_key)
    finally:
        hub.close()
    lay = device.layout
    link = hublink.enrol(lay, hub_process.url, code)
    session = device.login("admin", "999999")
    audit = apply_updates.session_audit(session, via="test")
    with link.http_client(60.0, auth=hublink.device_auth(session)) as http:
        for kind, name, version in (("pack", "test-pack", "1.0"), ("pack", "test-pack", "2.0"),
                                    ("model", "trust-model", "1.0"),
                                    ("model", "trust-model", "2.0")):
            outcome = apply_updates.apply_one(http, link, lay, kind, name, version,
                                              audit=audit, defer_vectors=True)
            assert outcome.status == "activated", outcome
    async def run_before(pilot: Any) -> None:
        from textual.widgets import DataTable

        table = pilot.app.screen.query_one("#offers", DataTable)
        for _ in range(600):  # the worker's answer, then the table's column widths
            await _settle(pilot)
            if table.row_count == 6 and table.virtual_size.width > 40:
                break
        await _settle(pilot)

    app = ScreenHarness(session, lambda a: UpdatesScreen())
    assert snap_compare(app, terminal_size=size, run_before=run_before)
