"""Whether the hub's directory sits on an encrypted volume.

The hub keeps patient records (its database, quarantined raw bodies) and its private keys in
its directory in plain files; it protects them at rest by refusing to run anywhere but on a
dm-crypt (LUKS) volume or in memory (tmpfs). A PostgreSQL hub database lives on its server's
disk, which this check cannot see: that server needs the same protection.
"""

from __future__ import annotations

import os
from pathlib import Path

from appliance.errors import ConfigError

ALLOW_ENV = "LIFEBOAT_HUB_ALLOW_UNENCRYPTED_DISK"
"""Set to 1 to run on an unencrypted disk anyway: development and tests only."""

_IN_MEMORY = {"tmpfs", "ramfs"}


def _mount_of(path: Path, mountinfo: str) -> tuple[str, str]:
    """(``major:minor``, file-system type) of the mount holding ``path``."""
    best: tuple[int, str, str] = (-1, "", "")
    target = str(path)
    for line in mountinfo.splitlines():
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(fields) < 5 or not tail:
            continue
        point = fields[4].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > best[0]:
            best = (len(point), fields[2], tail[0])
    return best[1], best[2]


def _is_crypt(dev: str, sys_block: Path, depth: int = 0) -> bool:
    """dm-crypt itself, or a device built on one (LVM on LUKS)."""
    node = sys_block / dev
    try:
        if (node / "dm" / "uuid").read_text().startswith("CRYPT-"):
            return True
    except OSError:
        pass
    if depth > 8:
        return False
    slaves = node / "slaves"
    for slave in (slaves.iterdir() if slaves.is_dir() else []):
        try:
            number = (slave / "dev").read_text().strip()
        except OSError:
            continue
        if _is_crypt(number, sys_block, depth + 1):
            return True
    return False


def encrypted_at_rest(path: Path, *, mountinfo: str | None = None,
                      sys_block: Path = Path("/sys/dev/block")) -> tuple[bool, str]:
    """(protected, what it is on) for the volume holding ``path``."""
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text()
        except OSError:
            return False, "an unknown volume (no /proc/self/mountinfo)"
    dev, fstype = _mount_of(path.resolve(), mountinfo)
    if fstype in _IN_MEMORY:
        return True, f"{fstype} (memory)"
    if dev and _is_crypt(dev, sys_block):
        return True, f"an encrypted volume ({fstype}, device {dev})"
    return False, f"an unencrypted volume ({fstype or 'unknown'}, device {dev or '?'})"


def require_encrypted(path: Path, *, allow: bool = False) -> str | None:
    """Refuse (ConfigError) to serve from an unencrypted volume; returns a warning to print
    when that was allowed explicitly, else None."""
    ok, what = encrypted_at_rest(path)
    if ok:
        return None
    if allow or os.environ.get(ALLOW_ENV) == "1":
        return (f"WARNING: the hub directory {path} is on {what}: patient records and the "
                "hub's keys are stored in clear. Allowed for development only.")
    raise ConfigError(
        f"Refusing to serve: the hub directory {path} is on {what}, so its patient records "
        "and keys would be readable by anyone with the disk.",
        hint="Move the hub directory onto a LUKS-encrypted volume (or, for development only, "
             f"pass --allow-unencrypted-disk or set {ALLOW_ENV}=1).")
