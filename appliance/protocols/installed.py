"""Installed packs on this device: the active pointer, rollback, removal and the start-up check.

Each install lives in ``packs/<install_id>/`` (``content/`` as signed, ``search.db``,
``vectors/``, and ``install.json`` written last). ``packs/state.json`` names the active and the
previous install and is replaced atomically, so a crash at any point leaves either the old or
the new pack active, never a half-built one. Directories without ``install.json`` are leftovers
of an interrupted install and are cleaned up by the next one.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance.errors import PackError
from appliance.fsutil import atomic_write_json
from appliance.protocols.manifest import MANIFEST, SIGNATURE, sha256_hex, verify_signature

if TYPE_CHECKING:
    from appliance.paths import Layout

STATE = "state.json"
RECORD = "install.json"
CONTENT = "content"


@dataclass(frozen=True)
class InstalledPack:
    """One installed pack as recorded at install time."""

    install_id: str
    directory: Path
    record: dict[str, Any]

    @property
    def pack_id(self) -> str:
        return str(self.record["pack_id"])

    @property
    def version(self) -> str:
        return str(self.record["version"])

    @property
    def content_as_of(self) -> str:
        return str(self.record["content_as_of"])

    @property
    def vectors(self) -> str:
        """'ready', 'pending' (embed later with build_vectors) or 'unavailable' (no model)."""
        marker = self.directory / "vectors.json"
        if marker.is_file():
            return str(json.loads(marker.read_text()).get("state", "pending"))
        return "pending"

    def summary(self) -> dict[str, Any]:
        keys = ("pack_id", "version", "title", "publisher", "licence", "created", "content_as_of",
                "installed_at", "key_id", "documents", "sections")
        return {"install_id": self.install_id, **{k: self.record.get(k) for k in keys},
                "vectors": self.vectors}


def read_state(lay: Layout) -> dict[str, str | None]:
    path = lay.packs / STATE
    if not path.is_file():
        return {"active": None, "previous": None}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PackError(f"{path} is unreadable: {exc}.",
                        hint="Re-activate a pack: lifeboat protocols list, then activate "
                             "ID") from exc
    return {"active": data.get("active"), "previous": data.get("previous")}


def write_state(lay: Layout, active: str | None, previous: str | None) -> None:
    atomic_write_json(lay.packs / STATE, {"active": active, "previous": previous})


def load_installed(lay: Layout, install_id: str) -> InstalledPack:
    directory = lay.packs / install_id
    record_path = directory / RECORD
    if "/" in install_id or install_id.startswith(".") or not record_path.is_file():
        raise PackError(f"No installed pack {install_id!r}.",
                        hint="See installed packs with: lifeboat protocols list")
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PackError(f"The install record of {install_id} is unreadable: {exc}.") from exc
    return InstalledPack(install_id, directory, record)


def list_installed(lay: Layout) -> list[InstalledPack]:
    """Complete installs, newest first."""
    if not lay.packs.is_dir():
        return []
    packs = [load_installed(lay, d.name) for d in lay.packs.iterdir()
             if d.is_dir() and (d / RECORD).is_file()]
    return sorted(packs, key=lambda p: str(p.record.get("installed_at")), reverse=True)


def active_pack(lay: Layout) -> InstalledPack | None:
    """The active install (not verified; see verify_active_quick), or None."""
    active = read_state(lay)["active"]
    return load_installed(lay, active) if active else None


def stat_snapshot(directory: Path, relpaths: list[str]) -> dict[str, list[int]]:
    """relpath -> [size, mtime_ns]: what the cheap start-up check compares."""
    out = {}
    for rel in relpaths:
        st = (directory / rel).stat()
        out[rel] = [st.st_size, st.st_mtime_ns]
    return out


def check_installed(lay: Layout, pack: InstalledPack) -> None:
    """Cheap tamper check: manifest hash and signature, sizes and mtimes of every file."""
    from appliance.protocols.trust import trusted_keys

    content = pack.directory / CONTENT
    try:
        manifest_bytes = (content / MANIFEST).read_bytes()
        sig_bytes = (content / SIGNATURE).read_bytes()
    except OSError as exc:
        raise _tampered(pack, f"its manifest is missing ({exc.strerror})") from exc
    if sha256_hex(manifest_bytes) != pack.record.get("manifest_sha256"):
        raise _tampered(pack, "manifest.json changed")
    try:
        verify_signature(manifest_bytes, sig_bytes, trusted_keys(lay))
    except PackError as exc:
        raise _tampered(pack, exc.message) from exc
    for rel, (size, mtime) in pack.record.get("stat", {}).items():
        try:
            st = (pack.directory / rel).stat()
        except OSError:
            raise _tampered(pack, f"{rel} is missing") from None
        if st.st_size != size or st.st_mtime_ns != mtime:
            raise _tampered(pack, f"{rel} changed")


def verify_active_quick(lay: Layout) -> InstalledPack | None:
    """Start-up check of the active pack (no full re-hash); PackError if it was tampered with."""
    pack = active_pack(lay)
    if pack is not None:
        check_installed(lay, pack)
    return pack


def _tampered(pack: InstalledPack, what: str) -> PackError:
    return PackError(f"The active protocol pack {pack.pack_id} {pack.version} failed its "
                     f"integrity check ({what.rstrip('.')}); it will not be used.",
                     hint="Reinstall the pack from a trusted copy (lifeboat protocols install "
                          "PACK) or roll back (lifeboat protocols rollback).")


def activate(lay: Layout, install_id: str) -> InstalledPack:
    """Make an installed pack active (after the cheap integrity check); the old one -> previous."""
    pack = load_installed(lay, install_id)
    check_installed(lay, pack)
    state = read_state(lay)
    if state["active"] != install_id:
        write_state(lay, install_id, state["active"])
    return pack


def rollback(lay: Layout) -> InstalledPack:
    """Swap the active and previous packs."""
    state = read_state(lay)
    if not state["previous"]:
        raise PackError("There is no previous pack to roll back to.",
                        hint="See installed packs with: lifeboat protocols list")
    pack = load_installed(lay, state["previous"])
    check_installed(lay, pack)
    write_state(lay, state["previous"], state["active"])
    return pack


def remove(lay: Layout, install_id: str) -> None:
    """Delete an installed pack that is not active."""
    pack = load_installed(lay, install_id)
    state = read_state(lay)
    if state["active"] == install_id:
        raise PackError(f"{install_id} is the active pack and cannot be removed.",
                        hint="Activate or roll back to another pack first.")
    if state["previous"] == install_id:
        write_state(lay, state["active"], None)
    shutil.rmtree(pack.directory)


def overdue_documents(pack: InstalledPack, today: dt.date | None = None) -> list[dict[str, str]]:
    """Documents past their review date, checked against today (not the install date)."""
    today = today or dt.date.today()
    return [d for d in pack.record.get("review_dates", [])
            if dt.date.fromisoformat(d["review_date"]) < today]
