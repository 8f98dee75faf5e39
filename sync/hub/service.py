"""The hub's logic behind every shell (HTTP app, USB import, CLI): keys, enrolment, sync.

A hub lives in one directory: ``hub.json`` (its id and database address), ``keys/`` (Ed25519 for
signing receipts and distribution manifests, X25519 for opening USB bundles) and, by default, the
SQLite database ``hub.db``. Several hub processes may share one PostgreSQL schema; each then
needs a copy of the same directory (same keys), which :mod:`sync.hub.identity` enforces.
"""

from __future__ import annotations

import hmac
import json
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from appliance.errors import ConfigError, LifeboatError, SyncError
from appliance.fsutil import atomic_write_bytes, atomic_write_json
from appliance.ids import new_id
from appliance.security.device_key import load_public_pem, public_pem
from appliance.security.key_files import load_private_key
from sync import protocol as p
from sync.hub import identity as hub_identity
from sync.hub.sqlitestore import SqliteHubStore
from sync.hub.storage import HubStore, IngestResult, ReplayError

HUB_FORMAT = 1
HUB_KEY_MISSING = "Restore the hub directory from backup."
IMPORT_BATCH = 500
"""Events per transaction when importing a USB bundle (the same as a network sync request)."""


def open_store(db: str, hub_dir: Path, pg_schema: str = "lifeboat_hub") -> HubStore:
    """``db`` is '' (SQLite in the hub directory), a file path, or a postgresql:// DSN."""
    if db.startswith(("postgresql://", "postgres://")):
        from sync.hub.pgstore import PostgresHubStore  # psycopg loads only for PostgreSQL hubs

        store: HubStore = PostgresHubStore(db, pg_schema)
    else:
        store = SqliteHubStore(Path(db) if db else hub_dir / "hub.db")
    store.init_schema()
    return store


class Refused(SyncError):
    """A request the hub will not act on; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


class Hub:
    """An opened hub directory with its keys and store."""

    def __init__(self, directory: Path, *, db: str | None = None) -> None:
        self.dir = directory
        try:
            self.info = json.loads((directory / "hub.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"No hub in {directory}.",
                              hint="Run `lifeboat hub init --dir DIR` first.") from None
        except ValueError as exc:
            raise ConfigError(f"{directory / 'hub.json'} is corrupt.") from exc
        self.hub_id: str = self.info["hub_id"]
        self.signing_key = load_private_key(directory / "keys" / "hub_ed25519.pem", "Ed25519",
                                            what="The hub key", error=ConfigError,
                                            missing_hint=HUB_KEY_MISSING)
        self.box_key = load_private_key(directory / "keys" / "hub_x25519.pem", "X25519",
                                       what="The hub key", error=ConfigError,
                                       missing_hint=HUB_KEY_MISSING)
        db_address = db if db is not None else self.info.get("db", "")
        schema = self.info.get("pg_schema", "lifeboat_hub")
        self.where = _describe_db(db_address, schema)
        self.store: HubStore = open_store(db_address, directory, schema)
        try:
            # A database created before identities were recorded is claimed on first open.
            hub_identity.claim(self.store, self.identity(), p.iso(p.utc_now()),
                               where=self.where)
        except BaseException:
            self.store.close()
            raise

    @staticmethod
    def init(directory: Path, *, db: str = "", pg_schema: str = "lifeboat_hub") -> Hub:
        """Create a hub directory (refuses to overwrite one, or to take over a database that
        belongs to another hub: nothing is written then)."""
        if (directory / "hub.json").exists():
            raise ConfigError(f"A hub already exists in {directory}.",
                              hint="Use it, or choose another --dir.")
        signing, box = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
        hub_id = new_id()
        store = open_store(db, directory, pg_schema)
        try:
            hub_identity.claim(store, _identity_of(hub_id, signing, box),
                           p.iso(p.utc_now()), where=_describe_db(db, pg_schema))
        finally:
            store.close()
        (directory / "keys").mkdir(parents=True, exist_ok=True)
        for folder in (directory, directory / "keys"):
            os.chmod(folder, 0o700)
        for name, key in (("hub_ed25519.pem", signing), ("hub_x25519.pem", box)):
            pem = key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
            atomic_write_bytes(directory / "keys" / name, pem, mode=0o600)
        atomic_write_json(directory / "hub.json", {
            "format": HUB_FORMAT, "hub_id": hub_id, "db": db, "pg_schema": pg_schema,
            "created_at": p.iso(p.utc_now())})
        return Hub(directory)

    def close(self) -> None:
        self.store.close()

    # -- identity -----------------------------------------------------------------------------

    def identity(self) -> hub_identity.Identity:
        return _identity_of(self.hub_id, self.signing_key, self.box_key)

    def readiness(self) -> tuple[bool, str]:
        """(ready, why): the database answers and still names this hub with these keys."""
        try:
            found = hub_identity.recorded(self.store)
        except LifeboatError as exc:
            return False, f"database unreachable: {exc.message}"
        if found != self.identity():
            return False, f"{self.where} does not name this hub and its keys"
        return True, "ready"

    def public_keys(self) -> dict[str, str]:
        box_pub = self.box_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        return {"hub_id": self.hub_id, "signing_key": public_pem(self.signing_key),
                "box_key": box_pub}

    def sign(self, receipt: dict[str, Any]) -> dict[str, Any]:
        return p.sign_receipt(self.signing_key, receipt)

    # -- enrolment ----------------------------------------------------------------------------

    def enrol_device(self, device_id: str, label: str = "", public_key: str | None = None) -> str:
        """Register a device and return its one-time enrolment code (shown once)."""
        if not p.is_ulid(device_id):
            raise Refused(f"{device_id!r} is not a device id.",
                          hint="Copy it from `lifeboat sync status` on the device.")
        if public_key:
            try:
                load_public_pem(public_key)
            except ValueError as exc:
                raise Refused("The device public key is not an Ed25519 PEM key.") from exc
        code = "-".join(os.urandom(3).hex().upper() for _ in range(3))
        self.store.register_device(device_id, label or device_id, public_key, p.code_hash(code),
                                   p.iso(p.utc_now()))
        return code

    def complete_enrolment(self, body: dict[str, Any]) -> dict[str, Any]:
        """Bind the device's key when its request proves knowledge of the one-time code."""
        fields = ("device_id", "public_key", "nonce", "proof")
        if set(body) != set(fields) or not all(isinstance(body[f], str) for f in fields):
            raise Refused("Enrolment needs device_id, public_key, nonce and proof (a device "
                          "that sends its code in clear is too old).",
                          hint="Update Lifeboat on the device, then enrol again.")
        device_id, key, proof = body["device_id"], body["public_key"], body["proof"]
        try:
            load_public_pem(key)
        except ValueError as exc:
            raise Refused("The device public key is not an Ed25519 PEM key.") from exc
        device = self.store.get_device(device_id) if p.is_ulid(device_id) else None
        secret = (device or {}).get("code_hash")
        request = {f: body[f] for f in fields if f != "proof"}
        if not secret or not hmac.compare_digest(p.enrolment_proof(secret, request), proof):
            raise Refused("Enrolment refused: unknown device, wrong or used code.", 403,
                          hint="Ask IT for a new code (`lifeboat hub enrol-device`).")
        try:
            self.store.complete_enrolment(device_id, key, secret, p.iso(p.utc_now()))
        except SyncError as exc:
            raise Refused(exc.message, 403, hint=exc.hint) from exc
        keys = self.public_keys()
        return {"keys": keys, "mac": p.enrolment_mac(secret, proof, keys)}

    def revoke_device(self, device_id: str) -> None:
        self.store.revoke_device(device_id, p.iso(p.utc_now()))

    # -- sync ---------------------------------------------------------------------------------

    def authenticate(self, headers: Any, method: str, path: str, body: bytes) -> p.RequestAuth:
        """Check device, clock, signature and nonce; raises :class:`Refused`."""
        auth, device = self.precheck(headers)
        try:
            p.verify_request(load_public_pem(device["public_key"]), auth, method, path, body,
                             headers.get(p.H_TIMESTAMP))
        except SyncError as exc:
            raise Refused(exc.message, 401, hint=exc.hint) from exc
        return auth

    def precheck(self, headers: Any) -> tuple[p.RequestAuth, dict[str, Any]]:
        """What can be refused before reading a body: headers, device, clock."""
        try:
            auth = p.parse_auth_headers(headers)
        except SyncError as exc:
            raise Refused(exc.message, 401) from exc
        device = self.store.get_device(auth.device_id)
        if device is None or not device.get("public_key") or not device.get("enrolled_at"):
            raise Refused("This device is not enrolled with this hub.", 403,
                          hint="Ask IT to enrol it (`lifeboat hub enrol-device`).")
        if device.get("revoked_at"):
            raise Refused("This device was revoked at the hub.", 403,
                          hint="Ask IT; a revoked device cannot sync.")
        try:
            p.check_timestamp(auth.timestamp)
        except SyncError as exc:
            raise Refused(exc.message, 401, hint=exc.hint) from exc
        return auth, device

    def handle_sync(self, auth: p.RequestAuth, body: bytes) -> dict[str, Any]:
        """Ingest an authenticated sync body and return the signed receipt."""
        try:
            obj = p.parse_json_object(body, "sync request")
            events, status = p.check_sync_body(obj, auth.device_id)
        except SyncError as exc:
            raise Refused(exc.message, 400, hint=exc.hint) from exc
        return self.ingest(auth.device_id, events, status, auth.nonce)

    def rotate_device_key(self, auth: p.RequestAuth, body: bytes) -> dict[str, Any]:
        """A device replaces its key (request signed by the key known now, body by the new
        one); the old key is refused from then on. Returns the signed receipt."""
        from sync import key_rollover

        try:
            new = key_rollover.check_body(body, auth.device_id)
            device = self.store.get_device(auth.device_id) or {}
            now = p.utc_now()
            changed = self.store.replace_device_key(
                auth.device_id, str(device.get("public_key") or ""), new,
                (auth.nonce, _nonce_expiry(now)), p.iso(now))
        except ReplayError as exc:
            raise Refused(exc.message, 409) from exc
        except SyncError as exc:
            raise Refused(exc.message, 400, hint=exc.hint) from exc
        return self.sign({"v": p.VERSION, "kind": "key_rollover", "hub_id": self.hub_id,
                          "device_id": auth.device_id, "public_key": new, "changed": changed,
                          "request_nonce": auth.nonce, "issued_at": p.iso(now)})

    def ingest(self, device_id: str, events: list[Any], status: dict[str, Any],
               nonce: str) -> dict[str, Any]:
        """Store a batch (consuming its nonce) and return the signed receipt."""
        now_dt = p.utc_now()
        status = anchor_audit(self._last_status(device_id), status)
        try:
            result = self.store.ingest(device_id, events, p.iso(now_dt),
                                       nonce=(nonce, _nonce_expiry(now_dt)),
                                       status=_clean_status(status))
        except ReplayError as exc:
            raise Refused(exc.message, 409) from exc
        stored, digest = self.store.device_event_stats(device_id) if not events \
            else (None, None)
        return self._receipt(device_id, nonce, p.iso(now_dt), result, stored, digest)

    def _last_status(self, device_id: str) -> dict[str, Any]:
        device = self.store.get_device(device_id) or {}
        try:
            status = json.loads(device.get("status") or "{}")
        except ValueError:
            return {}
        return status if isinstance(status, dict) else {}

    def _receipt(self, device_id: str, nonce: str, now: str, result: IngestResult,
                 stored: int | None, digest: str | None) -> dict[str, Any]:
        acked = result.acked
        return self.sign({
            "v": p.VERSION, "receipt_id": new_id(), "hub_id": self.hub_id,
            "device_id": device_id, "request_nonce": nonce, "issued_at": now,
            "acked": acked, "high_water": max(acked) if acked else None,
            "quarantined": [{"id": i, "reason": r} for i, r in result.quarantined],
            "new": len(result.inserted), "duplicates": len(result.duplicates),
            "hub_event_count": stored, "hub_event_digest": digest,
        })

    def import_bundle(self, data: bytes, *, max_bytes: int | None = None,
                      batch_size: int = IMPORT_BATCH,
                      progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
        """Verify, decrypt and ingest a USB bundle; returns the signed receipt (idempotent).

        Events go in in batches of ``batch_size``, one transaction each, calling
        ``progress(done, total)`` after each. Ingest is idempotent by event id, so an import cut
        short is simply run again; one receipt covers the whole bundle.
        """
        from sync import usb

        limit = usb.MAX_BUNDLE_BYTES if max_bytes is None else max_bytes
        if len(data) > limit:
            raise Refused(f"The bundle is larger than {limit} bytes; nothing was imported.",
                          413)
        header = usb.read_header(data)
        device_id = header["device_id"]
        device = self.store.get_device(device_id)
        if device is None or not device.get("public_key") or device.get("revoked_at"):
            raise Refused("The bundle comes from a device that is not enrolled here or was "
                          "revoked; nothing was imported.", 403)
        content = usb.open_bundle(data, load_public_pem(device["public_key"]), self.box_key)
        events, status = p.check_sync_body(content, device_id, max_events=None)
        status = anchor_audit(self._last_status(device_id), status)
        # Id order across batches, as one big batch would be projected (malformed ones first;
        # they are quarantined wherever they fall).
        events = sorted(events, key=lambda e: str(e.get("id", "")) if isinstance(e, dict)
                        else "")
        # A fresh nonce: re-importing a bundle is harmless and re-issues its receipt.
        nonce, now_dt = p.new_nonce(), p.utc_now()
        now, total = p.iso(now_dt), len(events)
        step = max(1, batch_size)
        combined = IngestResult()
        if progress:
            progress(0, total)
        for start in range(0, max(total, 1), step):
            batch = events[start:start + step]
            last = start + step >= total
            try:
                # The nonce goes with the first batch, the device's status with the last.
                result = self.store.ingest(
                    device_id, batch, now,
                    nonce=(nonce, _nonce_expiry(now_dt)) if start == 0 else None,
                    status=_clean_status(status) if last else None)
            except ReplayError as exc:
                raise Refused(exc.message, 409) from exc
            combined.inserted += result.inserted
            combined.duplicates += result.duplicates
            combined.quarantined += result.quarantined
            combined.conflicts += result.conflicts
            if progress:
                progress(min(total, start + len(batch)), total)
        return self._receipt(device_id, nonce, now, combined, None, None)


def _nonce_expiry(now: datetime) -> str:
    return p.iso(now + timedelta(seconds=p.NONCE_TTL_S))


def anchor_audit(previous: dict[str, Any], status: dict[str, Any]) -> dict[str, Any]:
    """``status`` with the device's audit anchor carried forward and, when its audit chain
    went backwards (fewer entries, or the same entry with another hash), a lasting alert."""
    old, new = previous.get("audit_anchor"), status.get("audit_head")
    out = {**status, "audit_anchor": old}
    if previous.get("audit_alert"):
        out["audit_alert"] = previous["audit_alert"]
    if not (isinstance(new, dict) and isinstance(new.get("seq"), int)):
        return out
    if isinstance(old, dict) and isinstance(old.get("seq"), int) and (
            new["seq"] < old["seq"] or (new["seq"] == old["seq"]
                                        and new.get("hash") != old.get("hash"))):
        out["audit_alert"] = (f"audit log went back from entry {old['seq']} to {new['seq']} "
                              f"(reported {p.iso(p.utc_now())}): restored or rewritten")
        return out
    out["audit_anchor"] = {"seq": new["seq"], "hash": new.get("hash")}
    return out


def _clean_status(status: dict[str, Any]) -> dict[str, Any]:
    """Keep the device's status report small and JSON-only."""
    text = json.dumps(status, default=str)
    if len(text) < 64_000:
        return status
    return {"truncated": True, **{k: status.get(k) for k in ("audit_anchor", "audit_alert")}}


def _identity_of(hub_id: str, signing: Ed25519PrivateKey,
                 box: X25519PrivateKey) -> hub_identity.Identity:
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    return hub_identity.Identity(
        hub_id, hub_identity.fingerprint(signing.public_key().public_bytes(*raw)),
        hub_identity.fingerprint(box.public_key().public_bytes(*raw)))


def _describe_db(db: str, schema: str) -> str:
    """The database for messages, without user or password."""
    if db.startswith(("postgresql://", "postgres://")):
        host = db.split("://", 1)[1].rpartition("@")[2]
        return f"PostgreSQL schema {schema} at {host.split('?')[0]}"
    return f"The hub database {db or 'hub.db'}"
