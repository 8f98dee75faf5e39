"""Where plain exports may go, and when they expire.

Handover ``.txt``/``.html`` files and a record's FHIR Bundle (``fhir-*.json``) are patient data
outside the encrypted store. They go to a
folder the user chooses (normally a removable stick), never among the device's own files, and
they are deleted at the first sign-in after ``[security] export_retention_hours``: in the
``exports/`` folder, and in every folder a recent export went to that is still mounted.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from appliance.errors import ValidationError

if TYPE_CHECKING:
    from appliance.session import Session

EXPORT_GLOBS = ("handover-*.txt", "handover-*.html", "fhir-*.json")
# Where udisks mounts removable media (a desktop or the kiosk's automounter).
REMOVABLE_ROOTS = (Path("/media"), Path("/run/media"))
_LOOK_BACK_S = 30 * 24 * 3600  # export audit entries read at sign-in: beyond the longest retention


def refuse_inside_data_dir(data_dir: Path, path: Path, what: str) -> None:
    """Refuse ``path`` when it is among the device's own files (keys, records, config...):
    only ``exports/`` inside the data directory may receive exports."""
    root = data_dir.resolve()
    resolved = Path(path).expanduser().resolve()
    if resolved.is_relative_to(root) and not resolved.is_relative_to(root / "exports"):
        inner = resolved.relative_to(root).as_posix()
        place = "the key slots and device key" if inner.startswith("keys") else \
            "the encrypted records" if inner.startswith("records.db") else \
            "Lifeboat's own data"
        raise ValidationError(
            f"{resolved} is inside Lifeboat's data directory ({place}): {what} never go "
            "there. Nothing was written.", field="path",
            hint=f"Choose the USB stick, or {root / 'exports'}.")


def check_export_folder(data_dir: Path, folder: Path) -> Path:
    """``folder`` when handover files may be written there: an existing directory (a stick
    that is not plugged in is not created as an empty folder on the disk), not among the
    device's own files."""
    folder = Path(folder).expanduser().absolute()
    refuse_inside_data_dir(data_dir, folder, "handover files")
    if folder.resolve() == (data_dir.resolve() / "exports"):
        folder.mkdir(parents=True, exist_ok=True)
    if not folder.is_dir():
        raise ValidationError(f"{folder} is not a folder that exists: is the USB stick "
                              "plugged in? Nothing was written.", field="path")
    return folder


def removable_folders(mountinfo: Path = Path("/proc/self/mountinfo")) -> list[Path]:
    """Mounted folders that look like removable media, for the export prompt's default."""
    try:
        lines = mountinfo.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        mount, _, fs = line.partition(" - ")
        fields, source = mount.split(), (fs.split() + ["", ""])[1]
        if len(fields) > 4 and source.startswith("/dev/"):
            point = Path(fields[4].replace("\\040", " "))
            if any(point.is_relative_to(r) and point != r for r in REMOVABLE_ROOTS):
                found.append(point)
    return found


def default_folder(data_dir: Path) -> Path:
    """The first removable folder mounted, else the data directory's ``exports/``."""
    sticks = removable_folders()
    return sticks[0] if sticks else data_dir / "exports"


def purge_expired(folder: Path, max_age_hours: float, *, now: float | None = None) -> list[str]:
    """Delete handover and FHIR files in ``folder`` older than ``max_age_hours``; returns
    their names."""
    names = [p.name for pattern in EXPORT_GLOBS for p in folder.glob(pattern)]
    return _purge(folder, names, max_age_hours, now)


def purge_exported(session: Session, max_age_hours: float, *,
                   now: float | None = None) -> list[str]:
    """Delete expired handover and FHIR files this device wrote anywhere still reachable (a stick
    plugged in again), found from the audit log's recent export entries; returns paths."""
    now = time.time() if now is None else now
    since = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now - _LOOK_BACK_S))
    rows = session.db.query("SELECT detail FROM audit_log WHERE action IN "
                            "('handover.exported', 'fhir.exported') AND at >= ?", (since,))
    removed = []
    for row in rows:
        try:
            detail = json.loads(row["detail"] or "{}")
        except ValueError:
            continue
        folder = detail.get("folder")
        if isinstance(folder, str):
            names = [n for n in detail.get("files", []) if isinstance(n, str)]
            removed += [str(Path(folder) / n) for n in _purge(Path(folder), names,
                                                              max_age_hours, now)]
    return removed


def _purge(folder: Path, names: list[str], max_age_hours: float,
           now: float | None) -> list[str]:
    limit = (now if now is not None else time.time()) - max_age_hours * 3600
    removed = []
    for name in names:
        path = folder / name
        if Path(name).name != name or not any(path.match(g) for g in EXPORT_GLOBS):
            continue  # only export files this device names, never a path from elsewhere
        try:
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime < limit:
                path.unlink()
                removed.append(name)
        except OSError:
            continue  # gone already, or not ours to delete: the next sign-in tries again
    return sorted(removed)
