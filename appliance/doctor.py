"""Self-check: is this device ready to work when the lights go out?

Each check returns ok, warn or fail with what to do. ``lifeboat doctor`` exits non-zero on any
failure. Checks never need a PIN and never read patient data.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from appliance.checks import Check
from appliance.health import doctor as health_doctor
from appliance.paths import Layout, layout
from appliance.protocols import doctor as protocols_doctor
from models import doctor as models_doctor

SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"


def _data_dir(lay: Layout) -> Check:
    if not lay.root.exists():
        return Check("data directory", "fail", f"{lay.root} does not exist",
                     "Run `lifeboat init` (or `lifeboat` for a DEMO device).")
    if not os.access(lay.root, os.W_OK):
        return Check("data directory", "fail", f"{lay.root} is not writable",
                     "Check LIFEBOAT_HOME and the directory's owner.")
    mode = lay.root.stat().st_mode & 0o077
    if mode:
        return Check("data directory", "warn", f"{lay.root} is readable by other users",
                     f"chmod 700 {lay.root}")
    return Check("data directory", "ok", str(lay.root))


def _device(lay: Layout) -> Check:
    from appliance.device import Device
    from appliance.errors import LifeboatError

    try:
        device = Device(lay)
    except LifeboatError as exc:
        return Check("device", "fail", exc.message, exc.hint or "")
    label = " (DEMO)" if device.info.demo else ""
    users = device.usernames()
    if not users:
        return Check("device", "fail", "no user can sign in (no key slots)",
                     "Restore keys/keyslots.json from backup.")
    older = sorted(u for u, slot in device.slots.load().items() if not slot.boxed)
    if older:
        return Check("device", "warn", f"{len(older)} key slot(s) of the older kind "
                     f"({', '.join(older)}): the data key cannot be rotated until they go",
                     "Each of those users signs in once (that upgrades their slot).")
    return Check("device", "warn" if device.info.demo else "ok",
                 f"{device.info.device_id}{label}, {len(users)} user(s) can sign in",
                 "This is a DEMO device: enrol a real one with `lifeboat init` before clinical "
                 "use." if device.info.demo else "")


def _key(lay: Layout) -> Check:
    from appliance.errors import LifeboatError
    from appliance.security import device_key

    if not lay.device.exists():
        return Check("device key", "fail", "device not enrolled", "Run `lifeboat init`.")
    try:
        sealed = device_key.is_sealed(lay.device_key)
    except LifeboatError as exc:
        return Check("device key", "fail", exc.message, exc.hint or "")
    if not sealed:
        return Check("device key", "warn", "the device signing key is stored in clear",
                     "Sign in once: the key is then sealed under the data key.")
    return Check("device key", "ok", "Ed25519 key present, sealed under the data key")


def _database(lay: Layout) -> Check:
    path = lay.database
    if not path.exists():
        return Check("database", "fail", f"{path} is missing",
                     "Restore it from backup, or enrol with `lifeboat init`.")
    with path.open("rb") as fh:
        header = fh.read(16)
    if header == SQLITE_PLAIN_HEADER:
        return Check("database", "fail", "the record database is NOT encrypted",
                     "Stop using this device and call IT: patient data is exposed.")
    size_mb = path.stat().st_size / 1e6
    return Check("database", "ok", f"encrypted (SQLCipher), {size_mb:.1f} MB")


CHECKS: list[Callable[[Layout], Check]] = [_data_dir, _device, _key, _database]
# Checks contributed by other areas (packs, models, health), each returning its own list.
CONTRIBUTED: list[tuple[str, Callable[[Layout], list[Check]]]] = [
    ("protocols", protocols_doctor.checks), ("models", models_doctor.checks),
    ("health", health_doctor.checks)]


def ready(checks: list[Check]) -> bool:
    """Ready for clinical use: nothing failed and nothing warns (a warning needs acting on)."""
    return all(c.status == "ok" for c in checks)


def run(lay: Layout | None = None,
        extra: Sequence[tuple[str, Callable[[Layout], list[Check]]]] = ()) -> list[Check]:
    """Every check; ``extra`` are checks of layers above the domain (sync), passed in by the
    shell that runs the doctor, since the domain may not import them."""
    lay = lay or layout()
    results = [check(lay) for check in CHECKS]
    for area, checks in [*CONTRIBUTED, *extra]:
        try:
            results.extend(checks(lay))
        except Exception as exc:  # a broken check must not hide the others
            results.append(Check(area, "fail", f"the check itself failed: {exc}"))
    return results
