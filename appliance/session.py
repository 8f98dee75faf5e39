"""A signed-in user on this device: the only way to read or write patient data.

Every clinical write goes through :meth:`Session.write`: one transaction holds the event, its
sync-outbox row, the projected state change and the audit entry, so either all of it reaches the
disk or none of it does. Reads of patient data are audited through :meth:`Session.audit`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from appliance.errors import AuthError, LifeboatError, ValidationError
from appliance.security import device_key, keyslots
from appliance.security.roles import Permission, Role, parse_role, require
from appliance.store import audit, events
from appliance.store.audit import VerifyResult
from appliance.store.database import Database
from appliance.users import check_new_credentials, insert_user

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from appliance.device import Device


@dataclass(frozen=True)
class User:
    id: str
    username: str
    display_name: str
    role: Role
    disabled_at: str | None = None


class Session:
    def __init__(self, device: Device, db: Database, user: User, data_key: bytes) -> None:
        self.device = device
        self.db = db
        self.user = user
        self._data_key = data_key
        self.last_activity = time.monotonic()
        self.must_change_pin = False
        """Signed in with a PIN an IT admin set: :meth:`change_pin` before anything else."""

    @classmethod
    def open(cls, device: Device, db: Database, username: str, data_key: bytes) -> Session:
        rows = db.query("SELECT * FROM users WHERE username = ?", (username,))
        if not rows:
            raise AuthError(f"User '{username}' has a key slot but no account record.",
                            hint="Ask IT to re-add the user.")
        row = rows[0]
        if row["disabled_at"]:
            raise AuthError(f"User '{username}' was disabled on {row['disabled_at'][:10]}.",
                            hint="Ask IT if you need access again.")
        device_id = db.scalar("SELECT value FROM meta WHERE key = 'device_id'")
        if device_id != device.info.device_id:
            raise AuthError("This database belongs to a different device.",
                            hint="The data directory was mixed up: restore the right files.")
        user = User(row["id"], row["username"], row["display_name"], Role(row["role"]))
        return cls(device, db, user, data_key)

    # -- identity -----------------------------------------------------------------------------

    @property
    def device_id(self) -> str:
        return self.device.info.device_id

    def require(self, permission: Permission) -> None:
        if self.must_change_pin:
            raise AuthError(f"{self.user.username} must choose their own PIN first (IT set "
                            "this one).", hint="Change the PIN, then try again.")
        require(self.user.role, permission)

    def touch(self) -> None:
        """Note user activity (for the idle lock)."""
        self.last_activity = time.monotonic()

    def idle_seconds(self) -> float:
        return time.monotonic() - self.last_activity

    def is_idle_expired(self) -> bool:
        return self.idle_seconds() >= self.device.config.security.idle_lock_minutes * 60

    def signing_key(self) -> Ed25519PrivateKey:
        """The device's Ed25519 key, unsealed with this session's data key."""
        from appliance.errors import StoreError

        path = self.device.layout.device_key
        key = device_key.load_sealed(path, self._data_key)
        if device_key.public_pem(key) != self.device.info.public_key:
            self.device.reload_info()  # another process may have rolled the key over
        if device_key.public_pem(key) != self.device.info.public_key \
                and device_key.next_path(path).exists():
            # A key rollover stopped after device.json named the new key: finish it.
            staged = device_key.load_sealed(device_key.next_path(path), self._data_key)
            if device_key.public_pem(staged) == self.device.info.public_key:
                device_key.adopt_next(path)
                key = staged
        if device_key.public_pem(key) != self.device.info.public_key:
            raise StoreError("The device key does not match device.json.",
                             hint="Restore the keys directory from the same backup as "
                                  "device.json.")
        return key

    def staged_device_key(self) -> Ed25519PrivateKey:
        """The key a device-identity rollover moves to (IT admins), sealed beside the device
        key until the hub has accepted it (``sync.identity_rollover``)."""
        self.require(Permission.MANAGE_DEVICE)
        return device_key.stage_next(self.device.layout.device_key, self._data_key)

    def adopt_staged_device_key(self) -> None:
        """The hub has accepted the staged key: device.json names it, then it replaces the
        old key file (a stop between the two is finished by :meth:`signing_key`)."""
        self.require(Permission.MANAGE_DEVICE)
        path = self.device.layout.device_key
        staged = device_key.load_sealed(device_key.next_path(path), self._data_key)
        self.device.set_public_key(device_key.public_pem(staged))
        device_key.adopt_next(path)

    def close(self) -> None:
        """Sign out: leave the sync backlog for `lifeboat doctor` (which has no PIN), forget
        the data key and close the database."""
        from appliance import backlog

        try:
            backlog.save(self.device.layout, backlog.count(self.db))
        except Exception:  # noqa: BLE001 - signing out must not fail over a status file
            pass
        self._data_key = b""
        self.db.close()

    # -- writing ------------------------------------------------------------------------------

    def write(self, type_: str, entity_id: str | None, payload: dict[str, Any]) -> events.Event:
        """Record one clinical event durably with its state change, outbox row and audit."""
        return self.write_all([(type_, entity_id, payload)])[0]

    def write_all(self, changes: list[tuple[str, str | None, dict[str, Any]]]
                  ) -> list[events.Event]:
        """Record several events in ONE transaction: all of them reach the disk or none does
        (e.g. an assessment and the encounter priority it sets)."""
        self.require(Permission.WRITE_RECORDS)
        made = [events.make_event(self.device_id, self.user.id, t, eid, p)
                for t, eid, p in changes]
        with self.db.transaction() as conn:
            for event in made:
                events.insert(conn, event)
                events.project(conn, event)
                audit.append(conn, device_id=self.device_id, user_id=self.user.id,
                             action=event.type, subject=f"{event.entity}:{event.entity_id}",
                             detail={"event": event.id}, at=event.recorded_at)
        self.touch()
        return made

    def audit(self, action: str, subject: str | None = None,
              detail: dict[str, Any] | str | None = None) -> None:
        """Record a read, export, sync or login in the audit log (durably)."""
        with self.db.transaction() as conn:
            audit.append(conn, device_id=self.device_id, user_id=self.user.id, action=action,
                         subject=subject, detail=detail)

    def verify_audit(self) -> VerifyResult:
        self.require(Permission.VERIFY_AUDIT)
        with self.db.lock:
            result = audit.verify(self.db.conn)
        self.audit("audit.verified", detail={"ok": result.ok, "entries": result.entries})
        return result

    # -- users --------------------------------------------------------------------------------

    def add_user(self, username: str, display_name: str, role: Role | str, pin: str,
                 *, _demo: bool = False) -> User:
        """Create an account and its key slot (IT admins only)."""
        self.require(Permission.MANAGE_USERS)
        role = parse_role(role) if isinstance(role, str) else role
        check_new_credentials(username, pin, self.device.config, _demo)
        if self.db.query("SELECT 1 FROM users WHERE username = ?", (username,)):
            raise ValidationError(f"User '{username}' already exists (usernames are never "
                                  "reused, so audit entries stay unambiguous).", field="username")
        slot = keyslots.seal(username, pin, self._data_key, must_change=not _demo)
        with self.db.transaction() as conn:
            uid = insert_user(conn, username, display_name or username, role, self.user.id)
            audit.append(conn, device_id=self.device_id, user_id=self.user.id,
                         action="user.added", subject=username, detail={"role": role.value})
            # The slot is written inside the transaction: if it fails, the account rolls back.
            self.device.slots.put(slot)
        return User(uid, username, display_name or username, role)

    def change_pin(self, current_pin: str, new_pin: str) -> None:
        """Replace the signed-in user's own PIN; only their key slot is re-sealed."""

        username = self.user.username
        slot = self.device.slots.load().get(username)
        if slot is None:
            raise AuthError(f"No key slot for '{username}'.", hint="Ask IT to re-add you.")
        self.device.lockout.check(username)
        try:
            keyslots.unseal(slot, current_pin)
        except AuthError:
            self.device.lockout.record_failure(username)
            raise AuthError("The current PIN is wrong; the PIN was not changed.") from None
        check_new_credentials(username, new_pin, self.device.config, False)
        if new_pin == current_pin:
            raise ValidationError("Choose a PIN different from the current one.", field="pin")
        # A fresh key pair too, so the old PIN with an old copy of the slot file cannot open
        # a data key rotated after this change.
        new_slot = keyslots.seal(username, new_pin, self._data_key, created=slot.created)
        with self.db.transaction() as conn:
            audit.append(conn, device_id=self.device_id, user_id=self.user.id,
                         action="pin.changed", subject=username,
                         detail={"was_set_by_admin": slot.must_change})
            self.device.slots.put(new_slot)
        self.must_change_pin = False

    def disable_user(self, username: str, *, rotate: bool = False,
                     reissue: dict[str, str] | None = None) -> None:
        """Revoke a user's key slot and mark the account disabled (records stay attributed).

        With ``rotate``, the data key is then replaced (:meth:`rotate_data_key`), so a copy of
        the slot file taken earlier, with the user's PIN, no longer opens the records."""
        self.require(Permission.MANAGE_USERS)
        if username == self.user.username:
            # Also guarantees an active IT admin always remains (the one doing this).
            raise LifeboatError("You cannot disable yourself.",
                                hint="Ask another IT admin to do it.")
        rows = self.db.query("SELECT role, disabled_at FROM users WHERE username = ?", (username,))
        if not rows:
            raise ValidationError(f"No user '{username}'.", field="username")
        if rows[0]["disabled_at"]:
            raise LifeboatError(f"User '{username}' is already disabled.")
        now = datetime.now(UTC).isoformat()
        with self.db.transaction() as conn:
            conn.execute("UPDATE users SET disabled_at = ?, disabled_by = ? WHERE username = ?",
                         (now, self.user.id, username))
            audit.append(conn, device_id=self.device_id, user_id=self.user.id,
                         action="user.disabled", subject=username, detail={"rotate": rotate})
            self.device.slots.remove(username)
        if rotate:
            try:
                self.rotate_data_key(f"user {username} disabled", reissue)
            except LifeboatError as exc:
                raise LifeboatError(
                    f"{username} was disabled, but the data key was not rotated: {exc.message}",
                    hint=(exc.hint or "") + " Then run `lifeboat user rotate-key` (or r on "
                    "the Users screen).") from exc

    def rotate_data_key(self, reason: str, reissue: dict[str, str] | None = None) -> list[str]:
        """Re-encrypt the records, the device key and every key slot under a NEW data key
        (IT admins only); returns the users whose slots were re-wrapped.

        No PIN is needed: slots box the data key to each user's public key. An old copy of
        ``keys/keyslots.json`` with any PIN it held opens only the old key, which opens
        nothing on this device any more. Refused with nothing changed while another process
        has the records open, or while a slot of the older kind remains that ``reissue`` gives
        no one-time PIN for (``appliance.security.reissue``)."""
        from appliance.security import reissue as reissue_mod
        from appliance.security import rotation

        self.require(Permission.MANAGE_USERS)
        lay = self.device.layout
        signing = self.signing_key()
        new_key = keyslots.new_data_key()
        with self.db.exclusive():
            slots = self.device.slots.load()
            older = reissue_mod.older_kind(slots)
            for username in older:
                if reissue and username in reissue:  # one-time PINs follow the PIN rules
                    check_new_credentials(username, reissue[username], self.device.config,
                                          False)
            new_slots = reissue_mod.rewrapped(slots, new_key, reissue)

            def entry(conn: Any) -> int:
                audit.append(conn, device_id=self.device_id, user_id=self.user.id,
                             action="datakey.rotated", subject=self.device_id,
                             detail={"reason": reason, "slots": sorted(slots),
                                     "reissued": older})
                for username in older:  # the admin chose their one-time PIN
                    audit.append(conn, device_id=self.device_id, user_id=self.user.id,
                                 action="keyslot.reissued", subject=username,
                                 detail={"must_change": True})
                return 1 + len(older)

            rotation.discard(lay)
            try:
                rotation.stage_database(self.db, new_key, entry)
                device_key.write_sealed(rotation.staged(lay.device_key), signing, new_key)
                keyslots.SlotFile(rotation.staged(lay.keyslots)).save(new_slots)
                rotation.commit(lay)
            except BaseException:
                if not rotation.marker(lay).exists():
                    rotation.discard(lay)
                raise
            self.db.disconnect()
            rotation.roll_forward(lay)
            self.db.reconnect(new_key)
        self._data_key = new_key
        return sorted(slots)

    def older_slots(self) -> list[str]:
        """Users whose key slot a rotation cannot re-wrap without re-issuing it."""
        from appliance.security.reissue import older_kind

        self.require(Permission.MANAGE_USERS)
        return older_kind(self.device.slots.load())

    def list_users(self) -> list[dict[str, Any]]:
        self.require(Permission.MANAGE_USERS)
        rows = self.db.query("SELECT username, display_name, role, created_at, disabled_at "
                             "FROM users ORDER BY username")
        slots = set(self.device.usernames())
        for r in rows:
            r["can_sign_in"] = r["username"] in slots and not r["disabled_at"]
        return rows
