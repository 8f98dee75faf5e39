"""Installed models: the bundled ones plus files a Trust added, each pinned by sha256.

State lives in ``layout().models``: added files are stored as ``<sha256>.gguf`` and
``registry.json`` records names, hashes, sizes, the active choice and pins for catalog entries
whose published hash was not known offline. A file whose hash does not match its pin is refused.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from appliance.errors import LifeboatError, ModelError
from appliance.fsutil import atomic_write_json, sha256_file
from appliance.paths import layout
from models import catalog
from models.gguf import check_architecture, read_header

log = logging.getLogger(__name__)

REGISTRY_FILE = "registry.json"


@dataclass(frozen=True)
class InstalledModel:
    """A model file present on this device, with the hash it was verified against."""

    name: str
    role: str
    path: str
    sha256: str
    size_bytes: int
    bundled: bool
    architecture: str
    context_length: int
    chat_format: str
    ram_mb: int
    rank: int
    cpu: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _state_path() -> Path:
    return layout().models / REGISTRY_FILE


def _load_state() -> dict[str, Any]:
    import json

    path = _state_path()
    if not path.exists():
        return {"models": {}, "active": "", "verified": {}}
    try:
        state: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"The model registry {path} is unreadable.",
                         hint="Delete it and add the models again.") from exc
    state.setdefault("models", {})
    state.setdefault("active", "")
    state.setdefault("verified", {})
    return state


def _save_state(state: dict[str, Any]) -> None:
    layout().models.mkdir(parents=True, exist_ok=True)
    atomic_write_json(_state_path(), state)


def verified_hash(path: Path, state: dict[str, Any] | None = None) -> str:
    """sha256 of ``path``, remembered by (size, mtime) so start-up does not rehash 100 MB."""
    st = path.stat()
    key = f"{path}|{st.st_size}|{st.st_mtime_ns}"
    own = state is None
    state = _load_state() if state is None else state
    cached = state["verified"].get(key)
    if cached:
        return str(cached)
    digest = sha256_file(path)
    state["verified"] = {k: v for k, v in state["verified"].items()
                         if not k.startswith(f"{path}|")} | {key: digest}
    if own:
        try:
            _save_state(state)
        except (OSError, LifeboatError):  # a read-only or full home must not stop the loading
            pass
    return digest


def installed(verify: bool = False) -> list[InstalledModel]:
    """Models usable on this device. ``verify`` rehashes every file instead of trusting the cache.

    Bundled files whose hash does not match the catalog are left out (and reported by
    :func:`verify_all`).
    """
    state = _load_state()
    if verify:
        state["verified"] = {}
    out: list[InstalledModel] = []
    for entry in catalog.load_catalog():
        path = entry.bundled_path()
        if path is None or not path.exists():
            continue
        if verified_hash(path, state) != entry.sha256:
            continue
        out.append(_installed(entry.name, entry, path, entry.sha256))
    for name, rec in state["models"].items():
        path = Path(rec["path"])
        known = catalog.find(name)
        if not path.exists() or (verify and sha256_file(path) != rec["sha256"]):
            continue
        out.append(InstalledModel(
            name=name, role=rec.get("role", "generator"), path=str(path), sha256=rec["sha256"],
            size_bytes=int(rec["size_bytes"]), bundled=False,
            architecture=rec.get("architecture", ""),
            context_length=int(rec.get("context_length") or (known.context_length if known
                                                              else 2048)),
            chat_format=rec.get("chat_format") or (known.chat_format if known else ""),
            ram_mb=int(rec.get("ram_mb") or (known.ram_mb if known else 0)),
            rank=int(known.rank if known else 20), cpu=tuple(known.cpu if known else ())))
    _save_state(state)
    return out


def _installed(name: str, entry: catalog.CatalogEntry, path: Path, digest: str) -> InstalledModel:
    return InstalledModel(name=name, role=entry.role, path=str(path), sha256=digest,
                          size_bytes=path.stat().st_size, bundled=entry.bundled,
                          architecture=entry.architecture, context_length=entry.context_length,
                          chat_format=entry.chat_format, ram_mb=entry.ram_mb, rank=entry.rank,
                          cpu=entry.cpu)


def verify_all() -> list[dict[str, Any]]:
    """Rehash every known model file; one row per file with ok and a reason."""
    state = _load_state()
    rows: list[dict[str, Any]] = []
    for entry in catalog.load_catalog():
        path = entry.bundled_path()
        if path is None:
            continue
        if not path.exists():
            rows.append({"name": entry.name, "ok": False, "path": str(path),
                         "reason": "bundled file missing (reinstall the package)"})
            continue
        digest = sha256_file(path)
        ok = digest == entry.sha256
        rows.append({"name": entry.name, "ok": ok, "path": str(path), "sha256": digest,
                     "reason": "" if ok else f"hash mismatch: catalog pins {entry.sha256}"})
    for name, rec in state["models"].items():
        path = Path(rec["path"])
        if not path.exists():
            rows.append({"name": name, "ok": False, "path": str(path), "reason": "file missing"})
            continue
        digest = sha256_file(path)
        ok = digest == rec["sha256"]
        rows.append({"name": name, "ok": ok, "path": str(path), "sha256": digest,
                     "reason": "" if ok else f"hash mismatch: pinned {rec['sha256']}"})
    return rows


def add(file: Path, name: str | None = None, *, version: str = "",
        repin: bool = False) -> InstalledModel:
    """Check, hash and store ``file``; refuse it if its hash contradicts a pin.

    The name comes from ``name``, else from a catalog entry with the same file name. A catalog
    entry with a pinned sha256 must match; one without gets pinned now (recorded in the registry).
    ``repin`` lets a newer file replace the pin of a name the catalog does not pin: only for
    files whose hash a signed source vouched for (a hub update, see ``sync.apply_updates``).
    ``version`` is recorded so later updates can tell newer from older.
    """
    file = Path(file).expanduser().resolve()
    if not file.is_file():
        raise ModelError(f"No such model file: {file}.", hint="Give the path to a .gguf file.")
    header = read_header(file)
    check_architecture(header, file)
    entry = catalog.find(name) if name else catalog.by_file_name(file.name)
    name = name or (entry.name if entry else file.stem.lower())
    if entry is not None and entry.role != "generator":
        raise ModelError(f"'{name}' is an embedder; only generator GGUFs are added here.")
    digest = sha256_file(file)
    state = _load_state()
    pinned = (entry.sha256 if entry and entry.sha256 else
              "" if repin else state["models"].get(name, {}).get("sha256", ""))
    if pinned and digest != pinned:
        raise ModelError(
            f"Refused {file.name}: its sha256 is {digest}, but '{name}' is pinned to {pinned}.",
            hint="The file is corrupt, a different build, or tampered with. Get the published "
                 "file again and compare its hash with the publisher's page.")
    if entry is not None and header.architecture != entry.architecture:
        raise ModelError(f"{file.name} is a '{header.architecture}' model but '{name}' is "
                         f"'{entry.architecture}' in the catalog.",
                         hint="Check you picked the right file for this name.")
    dest = layout().models / f"{digest}.gguf"
    layout().models.mkdir(parents=True, exist_ok=True)
    if not dest.exists():
        _copy_in(file, dest)
    replaced = state["models"].get(name)
    if name == state["active"] and replaced and replaced.get("sha256") != digest:
        # The active name now loads another file: the one it replaces is what rollback restores.
        state["previous"] = {"active": name, "record": replaced}
    state["models"][name] = {
        "sha256": digest, "path": str(dest), "size_bytes": dest.stat().st_size,
        "architecture": header.architecture, "role": "generator",
        "context_length": entry.context_length if entry else min(header.context_length or 2048,
                                                                 4096),
        "chat_format": entry.chat_format if entry else "",
        "ram_mb": entry.ram_mb if entry else int(dest.stat().st_size / 1e6 * 1.5 + 300),
        "original_name": file.name, "version": version,
        "added_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    _save_state(state)
    log.info("model installed: %s %s (sha256 %s)", name, version, digest[:12])
    return next(m for m in installed() if m.name == name)


def _copy_in(src: Path, dest: Path) -> None:
    """Hard-link when on the same file system (no second copy of gigabytes), else copy."""
    from appliance.fsutil import open_new, temp_beside, wrap_os_error

    tmp = temp_beside(dest)
    try:
        try:
            os.link(src, tmp, follow_symlinks=True)
        except OSError:
            with src.open("rb") as fin, os.fdopen(open_new(tmp), "wb") as fout:
                shutil.copyfileobj(fin, fout, 1 << 20)
        os.replace(tmp, dest)
    except OSError as exc:
        if tmp.is_file() and not tmp.is_symlink():
            tmp.unlink()
        raise wrap_os_error(exc, dest) from exc


def use(name: str, *, in_use: str = "") -> None:
    """Make ``name`` the model loaded at start-up (it must be installed and verified).

    ``in_use`` is the model the automatic choice loads now (``selection.automatic_choice``,
    taken before a new file was added): when nothing was named, a rollback restores that model
    by name, not the automatic choice, which may pick the very model rolled back from.
    """
    names = {m.name for m in installed() if m.role == "generator"}
    if name not in names:
        raise ModelError(f"'{name}' is not an installed generator model.",
                         hint=f"Installed: {', '.join(sorted(names)) or 'none'}; "
                              "add one with `lifeboat models add FILE --name NAME`.")
    state = _load_state()
    if state["active"] != name:
        current = state["active"] or (in_use if in_use != name else "")
        state["previous"] = {"active": current, "record": state["models"].get(current)}
    state["active"] = name
    _save_state(state)


def active_name() -> str:
    return str(_load_state().get("active", ""))


def record(name: str) -> dict[str, Any] | None:
    """The registry entry of an added model (sha256, path, version, ...), or None."""
    rec = _load_state()["models"].get(name)
    return dict(rec) if rec is not None else None


def previous() -> dict[str, Any] | None:
    """The selection :func:`rollback` would restore: ``{"active": name ("" = chosen
    automatically), "record": its registry entry then, or None}``; None when there is none."""
    prev = _load_state().get("previous")
    return dict(prev) if isinstance(prev, dict) and "active" in prev else None


def is_previous(name: str, sha256: str) -> bool:
    """Whether the selection a rollback restores is ``name`` with this very file: on the
    device, not in use (a newer file rolled back from on purpose)."""
    prev = previous()
    return bool(prev and prev["active"] == name
                and (prev.get("record") or {}).get("sha256") == sha256)


def describe(name: str, rec: dict[str, Any] | None = None) -> str:
    """A model selection as IT reads it: name and version, or "chosen automatically"."""
    if not name:
        return "chosen automatically"
    rec = rec if rec is not None else record(name)
    version = str((rec or {}).get("version") or "")
    return f"{name} {version}".strip()


def rollback() -> tuple[str, str]:
    """Select the model (and, for a name whose file an update replaced, the file) that was in
    use before the last change; the one replaced becomes the previous, so a second rollback
    undoes the first. Returns (now active, was active), each as :func:`describe` says it.

    The restored file is rehashed against the hash it was pinned to; a missing or changed file
    changes nothing.
    """
    state = _load_state()
    prev = state.get("previous")
    if not isinstance(prev, dict) or "active" not in prev:
        raise ModelError("There is no previous model to go back to.",
                         hint="See installed models with: lifeboat models list")
    name, rec = str(prev["active"]), prev.get("record")
    current = str(state["active"])
    current_rec = state["models"].get(current)
    if rec:
        path = Path(rec["path"])
        if not path.is_file() or sha256_file(path) != rec["sha256"]:
            raise ModelError(f"The previous file of model {name} ({path}) is missing or no "
                             "longer matches its pinned sha256; nothing was changed.",
                             hint="Fetch the model again from the Updates screen.")
        state["models"][name] = rec
    elif name and name not in {m.name for m in installed() if m.role == "generator"}:
        raise ModelError(f"The previous model {name} is no longer installed; nothing was "
                         "changed.", hint="See installed models with: lifeboat models list")
    state["previous"] = {"active": current, "record": current_rec}
    state["active"] = name
    _save_state(state)
    was, now = describe(current, current_rec), describe(name, rec)
    log.info("model rolled back: %s is selected again (instead of %s)", now, was)
    return now, was
