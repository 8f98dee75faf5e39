"""This device: enrolment, the DEMO set-up, and signing in.

Enrolment creates the data directory, the device's Ed25519 key pair, a random data key, the
encrypted database and the first IT admin's key slot. Signing in unwraps the data key with the
user's PIN and opens the database as that user (a :class:`~appliance.session.Session`).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from appliance import config as config_mod
from appliance.config import Config
from appliance.errors import AuthError, LifeboatError, NotEnrolledError, StoreError
from appliance.fsutil import atomic_write_bytes, atomic_write_json, wrap_os_error
from appliance.ids import new_id
from appliance.paths import Layout, layout
from appliance.security import device_key, keyslots, rotation
from appliance.security.lockout import Lockout
from appliance.security.roles import Role
from appliance.session import Session
from appliance.store import audit, migrations
from appliance.store.database import Database
from appliance.users import check_new_credentials, insert_user

log = logging.getLogger(__name__)
DEVICE_FORMAT = 1
DEMO_USERS = (  # (username, display name, role, PIN) — shown on the DEMO login screen only
    ("paramedic", "Demo Paramedic", Role.PARAMEDIC, "111111"),
    ("clinician", "Demo Clinician", Role.CLINICIAN, "222222"),
    ("admin", "Demo IT Admin", Role.IT_ADMIN, "999999"),
)


@dataclass(frozen=True)
class DeviceInfo:
    device_id: str
    label: str
    demo: bool
    created_at: str
    public_key: str
    format: int = DEVICE_FORMAT


class Device:
    """An enrolled device's files; cheap to construct (no KDF, no database)."""

    def __init__(self, lay: Layout | None = None) -> None:
        self.layout = lay or layout()
        self.info = _read_info(self.layout)
        rotation.recover(self.layout)  # a data-key rotation cut short: finish or undo it
        self.config: Config = config_mod.load(self.layout.config)
        self.slots = keyslots.SlotFile(self.layout.keyslots)
        self.lockout = Lockout(self.layout.root / "keys" / "lockout.json", self.config.security)

    def reload_info(self) -> None:
        """Read device.json again (a key rollover by another process changes it)."""
        self.info = _read_info(self.layout)

    def set_public_key(self, public_pem: str) -> None:
        """device.json names a new device key (a rollover the hub has accepted)."""
        from dataclasses import replace

        info = replace(self.info, public_key=public_pem)
        atomic_write_json(self.layout.device, asdict(info))
        self.info = info

    @staticmethod
    def is_enrolled(lay: Layout | None = None) -> bool:
        return (lay or layout()).device.exists()

    def usernames(self) -> list[str]:
        """Users who can sign in, oldest first (a new user is added at the end)."""
        slots = self.slots.load()
        return sorted(slots, key=lambda u: (slots[u].created, u))

    def login(self, username: str, pin: str) -> Session:
        """Unwrap the data key with ``pin`` and open the store as ``username``."""
        username = username.strip()
        rotation.recover(self.layout)
        slot = self.slots.load().get(username)
        if slot is None:
            raise AuthError(f"No user '{username}' can sign in on this device.",
                            hint="Check the username, or ask IT to add you.")
        try:
            self.lockout.check(username)
        except AuthError:
            log.warning("sign-in refused for %s: failed-PIN back-off running", username)
            raise
        try:
            data_key = keyslots.unseal(slot, pin)
        except AuthError:
            self.lockout.record_failure(username)
            log.warning("sign-in failed for %s: wrong PIN (%d in a row)", username,
                        self.lockout.failures(username))
            left = self.config.security.failed_attempts_before_backoff - \
                self.lockout.failures(username)
            hint = (f"{left} more attempt(s) before a wait is imposed." if left > 0
                    else "Each further wrong PIN doubles the wait.")
            raise AuthError(f"Wrong PIN for {username}.", hint=hint) from None
        failures = self.lockout.failures(username)
        self.lockout.reset(username)
        db = open_database(self.layout, data_key)
        try:
            session = Session.open(self, db, username, data_key)
            session.must_change_pin = slot.must_change
            session.audit("login", subject=username, detail={"failed_attempts_before": failures})
            if not slot.boxed:
                _upgrade_slot(self, session, slot, pin, data_key)
            if device_key.seal_if_plain(self.layout.device_key, data_key):
                session.audit("device_key.sealed", subject=self.info.device_id)
            self._expire_exports(session)
        except BaseException:
            db.close()
            raise
        log.info("signed in: %s (%s)", username, session.user.role.value)
        return session


    def _expire_exports(self, session: Session) -> None:
        from appliance.exports import purge_expired, purge_exported

        hours = self.config.security.export_retention_hours
        removed = purge_expired(self.layout.exports, hours) + purge_exported(session, hours)
        if removed:
            session.audit("exports.expired", detail={"files": removed})


def _upgrade_slot(device: Device, session: Session, slot: keyslots.Slot, pin: str,
                  data_key: bytes) -> None:
    """Re-seal a slot of the older kind (data key under the PIN) as a boxed one, which an IT
    admin can re-wrap when the data key is rotated; only its owner's PIN can do this."""
    device.slots.put(keyslots.seal(slot.username, pin, data_key, must_change=slot.must_change,
                                   created=slot.created))
    session.audit("keyslot.upgraded", subject=slot.username)


def open_database(lay: Layout, data_key: bytes, *, create: bool = False) -> Database:
    if rotation.marker(lay).exists():
        raise StoreError("A data-key rotation is being finished by another Lifeboat program.",
                         hint="Wait a moment and try again; if it persists, close every "
                              "Lifeboat program and start it again.")
    db = Database(lay.database, data_key, create=create)
    try:
        migrations.apply(db)
    except BaseException:
        db.close()
        raise
    return db


def enrol(admin_username: str, admin_pin: str, *, display_name: str = "", label: str = "",
          demo: bool = False, lay: Layout | None = None) -> Device:
    """Set up a new device. Refuses to overwrite an enrolled one; cleans up if interrupted."""
    lay = lay or layout()
    if Device.is_enrolled(lay):
        raise LifeboatError(f"This device is already enrolled ({lay.root}).",
                            hint="Use `lifeboat user add` to add users; to start again, move the "
                                 "data directory away first.")
    cfg = config_mod.load(lay.config) if lay.config.exists() else Config()
    check_new_credentials(admin_username, admin_pin, cfg, demo)
    if lay.database.exists():
        raise StoreError(f"{lay.database} exists but the device is not enrolled.",
                         hint="A previous set-up was interrupted or files were moved: move the "
                              "data directory away and run `lifeboat init` again.")
    try:
        lay.ensure()
    except OSError as exc:
        raise wrap_os_error(exc, lay.root) from exc
    created: list[Path] = []
    try:
        if not lay.config.exists():
            atomic_write_bytes(lay.config, config_mod.default_toml().encode(), mode=0o600)
            created.append(lay.config)
        data_key = keyslots.new_data_key()
        key = device_key.generate(lay.device_key, data_key)
        created.append(lay.device_key)
        info = DeviceInfo(device_id=new_id(), label=label or ("DEMO device" if demo else ""),
                          demo=demo, created_at=datetime.now(UTC).isoformat(),
                          public_key=device_key.public_pem(key))
        created.append(lay.database)
        db = open_database(lay, data_key, create=True)
        try:
            with db.transaction() as conn:
                conn.execute("INSERT INTO meta VALUES ('device_id', ?)", (info.device_id,))
                uid = insert_user(conn, admin_username, display_name or admin_username,
                                   Role.IT_ADMIN, None)
                audit.append(conn, device_id=info.device_id, user_id=uid,
                             action="device.enrolled", subject=info.device_id,
                             detail={"label": info.label, "demo": demo})
        finally:
            db.close()
        slots = keyslots.SlotFile(lay.keyslots)
        slots.put(keyslots.seal(admin_username, admin_pin, data_key))
        created.append(lay.keyslots)
        # device.json last: its presence is what "enrolled" means.
        atomic_write_json(lay.device, asdict(info))
    except BaseException:
        for path in created:
            for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                p.unlink(missing_ok=True)
        raise
    return Device(lay)


def enrol_demo(lay: Layout | None = None) -> Device:
    """A clearly labelled DEMO device with demo users whose PINs the login screen shows."""
    lay = lay or layout()
    admin = DEMO_USERS[2]
    device = enrol(admin[0], admin[3], display_name=admin[1], label="DEMO device", demo=True,
                   lay=lay)
    session = device.login(admin[0], admin[3])
    try:
        # Added in alphabetical order: sign-in lists users oldest first, and the demo list
        # stays as it always was (admin, clinician, paramedic).
        for username, name, role, pin in sorted(DEMO_USERS[:2]):
            session.add_user(username, name, role, pin, _demo=True)
    finally:
        session.close()
    return device


def _read_info(lay: Layout) -> DeviceInfo:
    if not lay.root.exists():
        raise NotEnrolledError(f"The data directory {lay.root} does not exist.",
                               hint="Run `lifeboat init` (or `lifeboat` for a DEMO device).")
    try:
        raw = json.loads(lay.device.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotEnrolledError(f"This device is not enrolled ({lay.root}).",
                               hint="Run `lifeboat init` (or `lifeboat` for a DEMO device).") \
            from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise StoreError(f"{lay.device} is corrupt.", hint="Restore it from backup.") from exc
    if raw.get("format", 0) > DEVICE_FORMAT:
        raise StoreError(f"{lay.device} was written by a newer Lifeboat.",
                         hint="Upgrade Lifeboat on this device.")
    try:
        return DeviceInfo(**raw)
    except TypeError as exc:
        raise StoreError(f"{lay.device} is corrupt.", hint="Restore it from backup.") from exc

