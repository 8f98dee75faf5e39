"""Shared by the update-apply tests: a publisher key, signed test packs, an enrolled demo
device in LIFEBOAT_HOME, and readers of an apply report."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from appliance.session import Session
from sync import apply_updates, hublink
from sync.hub.service import Hub
from tests.sync.conftest import enrol_with


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny-model.gguf"
    path.write_bytes(os.urandom(300_000))
    return path


NEW_DOC = {"sepsis-adult": ("Sepsis in adults", "medical", ["sepsis", "infection"], """
## Recognise
Suspected infection with a NEWS2 of 5 or more, new confusion or mottled skin.

## Treat
Oxygen to target saturations, fluids and a pre-alert to the receiving hospital.
""")}


@pytest.fixture(scope="module")
def publisher(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from appliance.protocols.trust import generate_keypair

    key = tmp_path_factory.mktemp("publisher") / "publisher.pem"
    generate_keypair(key)
    return key


def build_pack_file(folder: Path, key: Path, version: str, *, extra: bool = False) -> Path:
    """A signed ``test-pack`` archive; ``extra`` adds a sepsis document (only in the new one)."""
    from appliance.protocols.build import build_pack
    from tests.protocols.conftest import DOCS, write_source

    src = write_source(folder / f"src-{version}", version, {**DOCS, **(NEW_DOC if extra else {})})
    return build_pack(src, key, folder / f"test-pack-{version}.tar.gz", embed=False)


def rearchive(pack: Path, change: Callable[[Path], None]) -> None:
    """Unpack ``pack``, let ``change`` edit the tree, pack it again under the same name."""
    import shutil
    import tarfile

    work = pack.with_suffix(".work")
    with tarfile.open(pack) as tar:
        tar.extractall(work, filter="data")
    (root,) = work.iterdir()
    change(root)
    with tarfile.open(pack, "w:gz") as tar:
        tar.add(root, root.name)
    shutil.rmtree(work)


@pytest.fixture
def home_device(hub: Hub, hub_http: Any, publisher: Path) -> Iterator[Session]:
    """The demo device in LIFEBOAT_HOME (where the model registry lives), enrolled, trusting
    the test publisher; signed in as its IT admin."""
    from appliance.device import enrol_demo
    from appliance.paths import layout
    from appliance.protocols.trust import trust_key

    device = enrol_demo(layout())
    trust_key(device.layout, publisher.with_suffix(".pub"))
    session = device.login("admin", "999999")
    enrol_with(hub, session, hub_http)
    hub_http.auth = hublink.device_auth(session)  # downloads are for enrolled devices
    yield session
    session.close()


def apply(session: Session, http: Any, **kw: Any) -> apply_updates.ApplyReport:
    lay = session.device.layout
    return apply_updates.apply(http, hublink.load(lay), lay, defer_vectors=True,
                               audit=apply_updates.session_audit(session, via="test"), **kw)


def statuses(report: apply_updates.ApplyReport) -> list[tuple[str, str, str]]:
    return [(o.kind, o.version, o.status) for o in report.outcomes]


def audit_actions(session: Session) -> list[str]:
    return [r["action"] for r in session.db.query("SELECT action FROM audit_log ORDER BY rowid")
            if r["action"].startswith("update.")]
