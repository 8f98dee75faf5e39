"""Activate what the hub distributes: newer protocol packs installed and made active, newer model
files added to the model registry and selected.

**What is newer.** A pack is published at the hub under its ``pack_id`` and version; an offer is
skipped when any pack installed on this device (active, previous or older) has that id and an
equal or higher version, so a pack rolled back on purpose is not forced back on. A model is
matched by its registry name: skipped when the registered file already has the offered sha256 or
a recorded version at least as high, or when it is the file a model rollback left aside (not
forced back on either). Versions compare part by part, numbers numerically
(``2024.10`` > ``2024.9``). Nothing is downloaded for an offer that is not needed, so running an
update twice changes nothing.

**Verification.** :mod:`sync.updates` checks the hub-signed manifest, the size and the sha256 of
every download; activation then goes through the installers, which verify again: for a pack the
publisher's signature against this device's trust store and every file hash (and the signed pack
must be the id and version the hub named), for a model the GGUF header and any catalog pin. A
refusal at any step leaves the active pack and model as they were.

**Audit.** Every activation and refusal goes to the operational log, and to the device's
hash-chained audit log when a signed-in session is at hand: the background agent always has one;
``lifeboat sync updates`` when given ``--as USER`` (the pack and model commands need no sign-in
either, so requiring one here would only push IT to those).

**Refusals are remembered** by sha256 in ``cache/updates/refused.json``: the background agent does
not download and refuse the same file after every sync; an explicit ``--apply`` tries again (for
instance after IT trusted the publisher's key). One update runs at a time per data directory (a
file lock), so the agent and the command line never install the same thing twice.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance.errors import ConfigError, LifeboatError, ModelError, PackError, SyncError
from appliance.fsutil import atomic_write_json
from sync import updates
from sync.hublink import HubLink

if TYPE_CHECKING:
    from appliance.paths import Layout
    from appliance.session import Session

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""``(label, done, total)``: bytes while downloading, installer steps while activating."""
Audit = Callable[[str, str, dict[str, Any]], None]
"""``(action, subject, detail)`` written to the audit log."""

KINDS = ("pack", "model")


@dataclass(frozen=True)
class Outcome:
    """What happened to one offered item."""

    kind: str
    name: str
    version: str
    status: str
    """activated | fetched (verified, not active: :mod:`sync.fetch_updates`) | current (nothing
    to do) | refused (remembered) | skipped (refused earlier) | failed (download problem; tried
    again next time)."""
    message: str
    hint: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class ApplyReport:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def activated(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "activated"]

    @property
    def problems(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in ("refused", "failed", "skipped")]

    def to_json(self) -> dict[str, Any]:
        return {"outcomes": [asdict(o) for o in self.outcomes],
                "activated": len(self.activated), "problems": len(self.problems)}


def version_key(version: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key: numeric parts numerically, letters after numbers (``1.10`` > ``1.9``)."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower())
                 for part in re.findall(r"\d+|[A-Za-z]+", version))


def session_audit(session: Session, via: str) -> Audit:
    """Audit entries in the name of ``session``'s user, marked with what applied the update."""
    def audit(action: str, subject: str, detail: dict[str, Any]) -> None:
        session.audit(action, subject=subject, detail={**detail, "via": via})
    return audit


def newest_offers(items: Sequence[dict[str, Any]], kinds: Sequence[str] = KINDS
                  ) -> list[dict[str, Any]]:
    """The newest version of each offered pack and model, oldest publication first (so when
    several packs are new, the most recently published one ends up active)."""
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for m in items:
        if m.get("kind") not in kinds:
            continue
        key = (m["kind"], m["name"])
        if key not in best or _rank(m) > _rank(best[key]):
            best[key] = m
    return sorted(best.values(), key=lambda m: str(m.get("published_at", "")))


def _rank(m: dict[str, Any]) -> tuple[Any, ...]:
    return version_key(str(m["version"])), str(m.get("published_at", ""))


def current_reason(lay: Layout, manifest: dict[str, Any], *, exact: bool = False) -> str | None:
    """Why the device needs nothing for this offer, or None when it should be activated.

    ``exact`` (an item IT named) asks only whether this very version or file is already here.
    """
    name, version = str(manifest["name"]), str(manifest["version"])
    wanted = version_key(version)
    if manifest["kind"] == "pack":
        from appliance.protocols.installed import list_installed, read_state

        active = read_state(lay)["active"]
        for pack in list_installed(lay):
            have = version_key(pack.version)
            if pack.pack_id == name and (have == wanted if exact else have >= wanted):
                where = "active" if pack.install_id == active else \
                    f"installed ({pack.install_id}; activate it with lifeboat protocols activate)"
                return f"pack {name} {pack.version} is already {where}"
        return None
    from models import registry

    require_home(lay)
    if any(m.name == name and m.sha256 == manifest["sha256"] for m in registry.installed()):
        return f"model {name} with this sha256 is already installed"
    rec = registry.record(name)
    if not exact and rec and rec.get("version") and version_key(rec["version"]) >= wanted:
        return f"model {name} {rec['version']} is already installed"
    if not exact and registry.is_previous(name, str(manifest["sha256"])):
        return (f"model {name} {version} was rolled back from on purpose (select it again on "
                "the Updates screen)")
    return None


def apply(http: Any, link: HubLink, lay: Layout, *, kinds: Sequence[str] = KINDS,
          progress: Progress | None = None, audit: Audit | None = None,
          retry_refused: bool = True, defer_vectors: bool = False) -> ApplyReport:
    """Fetch, verify and activate every offered pack and model newer than this device's."""
    with update_lock(lay):
        offers = newest_offers(updates.catalog(http, link), kinds)
        report = ApplyReport()
        for manifest in offers:
            report.outcomes.append(_apply_offer(http, link, lay, manifest, exact=False,
                                                progress=progress, audit=audit,
                                                retry_refused=retry_refused,
                                                defer_vectors=defer_vectors))
        return report


def apply_one(http: Any, link: HubLink, lay: Layout, kind: str, name: str, version: str, *,
              progress: Progress | None = None, audit: Audit | None = None,
              defer_vectors: bool = False) -> Outcome:
    """Fetch, verify and activate exactly this item (an older version too, when IT names it)."""
    with update_lock(lay):
        manifest = updates.manifest_of(http, link, kind, name, version)
        return _apply_offer(http, link, lay, manifest, exact=True, progress=progress,
                            audit=audit, retry_refused=True, defer_vectors=defer_vectors)


def refuse(lay: Layout, manifest: dict[str, Any], path: Path, exc: LifeboatError,
           audit: Audit | None, base: dict[str, Any]) -> Outcome:
    """A downloaded file that failed its checks: deleted, remembered as refused (so it is not
    downloaded again until asked), logged and audited."""
    kind, name, version = str(manifest["kind"]), str(manifest["name"]), str(manifest["version"])
    path.unlink(missing_ok=True)
    refused = refused_files(lay)
    refused[str(manifest["sha256"])] = {"kind": kind, "name": name, "version": version,
                                        "reason": exc.message}
    save_refused(lay, refused)
    log.warning("update %s %s %s refused: %s", kind, name, version, exc.message)
    if audit:
        audit(f"update.{kind}_refused", f"{kind}:{name}@{version}",
              {**base, "reason": exc.message})
    return Outcome(kind, name, version, "refused", exc.message, exc.hint)


def _apply_offer(http: Any, link: HubLink, lay: Layout, manifest: dict[str, Any], *,
                 exact: bool, progress: Progress | None, audit: Audit | None,
                 retry_refused: bool, defer_vectors: bool) -> Outcome:
    kind, name, version = str(manifest["kind"]), str(manifest["name"]), str(manifest["version"])
    label = f"{kind} {name} {version}"
    try:
        reason = current_reason(lay, manifest, exact=exact)
    except LifeboatError as exc:  # e.g. an unreadable model registry: say so, go on with the rest
        return Outcome(kind, name, version, "failed", exc.message, exc.hint)
    if reason is not None:
        return Outcome(kind, name, version, "current", reason)
    refused = refused_files(lay)
    earlier = refused.get(str(manifest["sha256"]))
    if earlier and not retry_refused:
        return Outcome(kind, name, version, "skipped", f"{label} was refused earlier: "
                       f"{earlier['reason']}", hint="Fix the cause, then run: lifeboat sync "
                       "updates --apply")
    try:
        path = updates.download(http, manifest, lay.cache / "downloads", progress=(
            (lambda done, total: progress(label, done, total)) if progress else None))
    except LifeboatError as exc:  # interrupted or corrupt: resumes or re-downloads next time
        log.warning("update %s not downloaded: %s", label, exc.message)
        return Outcome(kind, name, version, "failed", exc.message, exc.hint)
    subject = f"{kind}:{name}@{version}"
    base = {"hub_id": link.hub_id, "sha256": manifest["sha256"]}
    try:
        if kind == "pack":
            detail = _activate_pack(lay, manifest, path, progress, label, defer_vectors)
        else:
            detail = activate_model(lay, manifest, path)
    except (PackError, ModelError) as exc:
        return refuse(lay, manifest, path, exc, audit, base)
    except LifeboatError as exc:  # disk full, settings: not the file's fault, so tried again
        log.warning("update %s not activated: %s", label, exc.message)
        return Outcome(kind, name, version, "failed", exc.message, exc.hint)
    path.unlink(missing_ok=True)  # installed copies live in packs/ and models/ now
    if refused.pop(str(manifest["sha256"]), None) is not None:
        save_refused(lay, refused)
    log.info("update %s activated: %s", label, detail)
    if audit:
        audit(f"update.{kind}_activated", subject, {**base, **detail})
    return Outcome(kind, name, version, "activated", f"{label} is now active.", detail=detail)


def _activate_pack(lay: Layout, manifest: dict[str, Any], path: Path,
                   progress: Progress | None, label: str, defer_vectors: bool) -> dict[str, Any]:
    from appliance.protocols.lifecycle import install

    verify_pack_file(lay, manifest, path)
    pack = install(lay, path, defer_vectors=defer_vectors, progress=(
        (lambda stage, done, total: progress(f"{label}: {stage}", done, total))
        if progress else None))
    return {"install_id": pack.install_id, "documents": pack.record.get("documents"),
            "vectors": pack.vectors}


def verify_pack_file(lay: Layout, manifest: dict[str, Any], path: Path) -> None:
    """Verify a downloaded pack before anything changes: the trust store and every hash, and
    that the signed pack is what the hub named (a mislabelled upload must not replace another
    pack). Raises PackError."""
    from appliance.protocols.lifecycle import verify_source

    signed = verify_source(lay, path).manifest
    if (signed.pack_id, signed.version) != (manifest["name"], manifest["version"]):
        raise PackError(
            f"The hub offers pack {manifest['name']} {manifest['version']}, but the signed file "
            f"is {signed.pack_id} {signed.version}; nothing was installed.",
            hint=f"IT: publish it under its own id and version: lifeboat hub publish pack "
                 f"{signed.pack_id} {signed.version} FILE")


def activate_model(lay: Layout, manifest: dict[str, Any], path: Path) -> dict[str, Any]:
    """Add a downloaded model file to the registry (checked again there) and select it."""
    from appliance import config
    from models import registry

    require_home(lay)
    from models.selection import automatic_choice

    in_use = automatic_choice()  # before the new file can become the automatic choice
    model = registry.add(path, str(manifest["name"]), version=str(manifest["version"]),
                         repin=True)  # the hub-signed manifest vouched for this file's hash
    registry.use(model.name, in_use=in_use)
    detail: dict[str, Any] = {"model": model.name, "path": model.path, "selected": True}
    configured = config.load(lay.config).assistant.model
    if configured and configured != model.name:
        detail["note"] = (f"[assistant] model = {configured!r} in config.toml still decides "
                          "which model loads")
    return detail


def require_home(lay: Layout) -> None:
    """The model registry lives in LIFEBOAT_HOME; refuse rather than register elsewhere."""
    from appliance.paths import layout

    if lay.root.resolve() != layout().root:
        raise ConfigError(f"Model updates for {lay.root} must run with LIFEBOAT_HOME set to it.")


def _refused_path(lay: Layout) -> Path:
    return lay.cache / "updates" / "refused.json"


def refused_files(lay: Layout) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(_refused_path(lay).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_refused(lay: Layout, refused: dict[str, dict[str, str]]) -> None:
    _refused_path(lay).parent.mkdir(parents=True, exist_ok=True)
    atomic_write_json(_refused_path(lay), refused)


@contextlib.contextmanager
def update_lock(lay: Layout) -> Iterator[None]:
    import fcntl

    lay.cache.mkdir(parents=True, exist_ok=True)
    with (lay.cache / "updates.lock").open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX)
        except OSError as exc:
            raise SyncError(f"Cannot lock {lay.cache / 'updates.lock'}: {exc.strerror}.") \
                from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
