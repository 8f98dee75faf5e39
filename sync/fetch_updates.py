"""Fetch an offered update without activating it, and activate it later, when IT chooses.

``lifeboat sync updates --apply`` and the background agent fetch and activate in one go
(:mod:`sync.apply_updates`). IT may instead take three steps (the Updates screen):

* **offered**: the hub's signed catalogue (:func:`sync.updates.catalog`);
* **fetched**: downloaded and verified, nothing in use changed. A pack is checked (the
  publisher's signature against this device's trust store, every file hash, the id and version
  the hub named) and installed beside the active pack, not active, its search index built now
  so that activating it is instant. A model file is checked (size and sha256 against the
  hub-signed manifest, its GGUF header) and kept in ``cache/downloads`` until activated: the
  model registry holds one file per name, so adding it there would change what loads;
* **active**: a pack made active (:func:`appliance.protocols.installed.activate`; the pack it
  replaces becomes previous, for rollback), a model added to the registry and selected.

Every step is audited (``update.pack_fetched``, ``update.pack_activated``…) and runs under the
same per-device update lock as :mod:`sync.apply_updates`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance.errors import LifeboatError, ModelError, PackError
from sync import updates
from sync.apply_updates import (
    Audit,
    Outcome,
    Progress,
    activate_model,
    refuse,
    require_home,
    update_lock,
    verify_pack_file,
    version_key,
)
from sync.hublink import HubLink

if TYPE_CHECKING:
    from appliance.paths import Layout

log = logging.getLogger(__name__)

NEWER, OLDER, FETCHED, ACTIVE = "newer", "older", "fetched", "active"
"""An offer's state on this device (:func:`offer_state`)."""


def downloads(lay: Layout) -> Path:
    return lay.cache / "downloads"


def offer_state(lay: Layout, manifest: dict[str, Any]) -> str:
    """``active`` (this very version is in use), ``fetched`` (on the device, verified, not
    active), ``newer`` (not here, newer than what is) or ``older`` (not here, older)."""
    name, version = str(manifest["name"]), str(manifest["version"])
    wanted = version_key(version)
    if manifest["kind"] == "pack":
        from appliance.protocols.installed import list_installed, read_state

        active = read_state(lay)["active"]
        same = [p for p in list_installed(lay) if p.pack_id == name]
        exact = [p for p in same if version_key(p.version) == wanted]
        if exact:
            return ACTIVE if any(p.install_id == active for p in exact) else FETCHED
        return OLDER if any(version_key(p.version) > wanted for p in same) else NEWER
    from models import registry

    require_home(lay)
    rec = registry.record(name)
    if rec is not None and rec.get("sha256") == manifest["sha256"]:
        return ACTIVE if registry.active_name() == name else FETCHED
    if registry.is_previous(name, str(manifest["sha256"])) or \
            _fetched_model(lay, manifest) is not None:
        return FETCHED
    if rec and rec.get("version") and version_key(str(rec["version"])) > wanted:
        return OLDER
    return NEWER


def _fetched_model(lay: Layout, manifest: dict[str, Any]) -> Path | None:
    """The downloaded model file, when it is complete (its hash is checked again on adding)."""
    path = downloads(lay) / str(manifest["filename"])
    return path if path.is_file() and path.stat().st_size == int(manifest["size"]) else None


def fetch_one(http: Any, link: HubLink, lay: Layout, kind: str, name: str, version: str, *,
              progress: Progress | None = None, audit: Audit | None = None) -> Outcome:
    """Download and verify exactly this item; nothing in use changes (see the module doc)."""
    with update_lock(lay):
        manifest = updates.manifest_of(http, link, kind, name, version)
        label = f"{kind} {name} {version}"
        try:
            state = offer_state(lay, manifest)
        except LifeboatError as exc:
            return Outcome(kind, name, version, "failed", exc.message, exc.hint)
        if state in (ACTIVE, FETCHED):
            return Outcome(kind, name, version, "current", f"{label} is already {state}.")
        report: Callable[[int, int], None] | None = (
            (lambda done, total: progress(f"{label}: downloading", done, total))
            if progress else None)
        try:
            path = updates.download(http, manifest, downloads(lay), progress=report)
        except LifeboatError as exc:  # interrupted or corrupt: resumes next time
            return Outcome(kind, name, version, "failed", exc.message, exc.hint)
        subject = f"{kind}:{name}@{version}"
        base = {"hub_id": link.hub_id, "sha256": manifest["sha256"]}
        try:
            detail = _verify_and_keep(lay, manifest, path, progress, label)
        except (PackError, ModelError) as exc:
            return refuse(lay, manifest, path, exc, audit, base)
        except LifeboatError as exc:  # disk full and the like: not the file's fault
            return Outcome(kind, name, version, "failed", exc.message, exc.hint)
        log.info("update %s fetched, not active: %s", label, detail)
        if audit:
            audit(f"update.{kind}_fetched", subject, {**base, **detail})
        return Outcome(kind, name, version, "fetched",
                       f"{label} is fetched and verified; not active yet.", detail=detail)


def _verify_and_keep(lay: Layout, manifest: dict[str, Any], path: Path,
                     progress: Progress | None, label: str) -> dict[str, Any]:
    if manifest["kind"] == "pack":
        from appliance.protocols.lifecycle import install

        verify_pack_file(lay, manifest, path)
        pack = install(lay, path, activate=False, progress=(
            (lambda stage, done, total: progress(f"{label}: {stage}", done, total))
            if progress else None))
        path.unlink(missing_ok=True)  # the installed copy lives in packs/ now
        return {"install_id": pack.install_id, "documents": pack.record.get("documents")}
    from models.gguf import check_architecture, read_header

    if progress:
        progress(f"{label}: checking the file", 0, 1)
    check_architecture(read_header(path), path)
    if progress:
        progress(f"{label}: checking the file", 1, 1)
    return {"path": str(path)}


def activate_fetched(lay: Layout, manifest: dict[str, Any], *,
                     progress: Progress | None = None, audit: Audit | None = None) -> Outcome:
    """Make a fetched item active (for a pack, the one it replaces becomes previous)."""
    kind, name, version = str(manifest["kind"]), str(manifest["name"]), str(manifest["version"])
    label = f"{kind} {name} {version}"
    subject = f"{kind}:{name}@{version}"
    with update_lock(lay):
        try:
            state = offer_state(lay, manifest)
            if state == ACTIVE:
                return Outcome(kind, name, version, "current", f"{label} is already active.")
            if state != FETCHED:
                return Outcome(kind, name, version, "failed", f"{label} is not fetched yet.",
                               hint="Fetch it first (f), or install it in one step (Enter).")
            if progress:
                progress(f"{label}: activating", 0, 1)
            detail = _activate(lay, manifest)
            if progress:
                progress(f"{label}: activating", 1, 1)
        except LifeboatError as exc:
            log.warning("update %s not activated: %s", label, exc.message)
            if audit:
                audit(f"update.{kind}_refused", subject, {"reason": exc.message})
            return Outcome(kind, name, version, "failed", exc.message, exc.hint)
    log.info("update %s activated: %s", label, detail)
    if audit:
        audit(f"update.{kind}_activated", subject, {"sha256": manifest["sha256"], **detail})
    return Outcome(kind, name, version, "activated", f"{label} is now active.", detail=detail)


def _activate(lay: Layout, manifest: dict[str, Any]) -> dict[str, Any]:
    name, wanted = str(manifest["name"]), version_key(str(manifest["version"]))
    if manifest["kind"] == "pack":
        from appliance.protocols.installed import activate, list_installed

        pack = next(p for p in list_installed(lay)
                    if p.pack_id == name and version_key(p.version) == wanted)
        activate(lay, pack.install_id)  # the cheap integrity check runs first
        return {"install_id": pack.install_id}
    from models import registry

    rec = registry.record(name)
    if rec is not None and rec.get("sha256") == manifest["sha256"]:
        from models.selection import automatic_choice

        registry.use(name, in_use=automatic_choice())
        return {"model": name, "selected": True}
    if registry.is_previous(name, str(manifest["sha256"])):  # rolled back from: roll forward
        registry.rollback()
        return {"model": name, "selected": True}
    path = _fetched_model(lay, manifest)
    if path is None:
        raise ModelError(f"The fetched file of model {name} is gone.",
                         hint="Fetch it again (f).")
    detail = activate_model(lay, manifest, path)
    path.unlink(missing_ok=True)  # the registry holds its own copy now
    return detail
