"""Hub storage: one interface, SQLite (one file, no set-up) and PostgreSQL (many hub processes).

Both backends share every query (written with ``?`` placeholders and ``ON CONFLICT`` clauses that
SQLite and PostgreSQL both understand); they differ only in connections, transactions and locks.
Ingest is idempotent by event id: the multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING
tells which events are new, only those are projected, and an existing id with different content
is quarantined rather than overwritten. Tests run one contract suite against both backends.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from appliance.errors import StoreError, SyncError, ValidationError
from appliance.ids import new_id
from sync.hub import merge
from sync.protocol import event_hash, ids_digest, payload_json
from sync.retry import Backoff, call_with_retry

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY, label TEXT NOT NULL, public_key TEXT, code_hash TEXT,
    registered_at TEXT NOT NULL, enrolled_at TEXT, revoked_at TEXT, last_seen TEXT,
    last_sync TEXT, status TEXT);
CREATE TABLE IF NOT EXISTS device_keys_retired (
    device_id TEXT NOT NULL, public_key TEXT NOT NULL, retired_at TEXT NOT NULL,
    PRIMARY KEY (device_id, public_key));
CREATE TABLE IF NOT EXISTS nonces (
    device_id TEXT NOT NULL, nonce TEXT NOT NULL, expires_at TEXT NOT NULL,
    PRIMARY KEY (device_id, nonce));
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, device_id TEXT NOT NULL, user_id TEXT, recorded_at TEXT NOT NULL,
    type TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, payload TEXT NOT NULL,
    content_hash TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_device ON events (device_id, id);
CREATE TABLE IF NOT EXISTS quarantine (
    device_id TEXT NOT NULL, event_id TEXT NOT NULL, content_hash TEXT NOT NULL,
    reason TEXT NOT NULL, event TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (device_id, event_id, content_hash));
CREATE TABLE IF NOT EXISTS entities (
    key TEXT PRIMARY KEY, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
    device_id TEXT NOT NULL, data TEXT NOT NULL, meta TEXT NOT NULL, nhs_number TEXT,
    match_key TEXT, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entities_entity ON entities (entity, entity_id);
CREATE INDEX IF NOT EXISTS entities_nhs ON entities (nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX IF NOT EXISTS entities_match ON entities (match_key) WHERE match_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS conflicts (
    id TEXT PRIMARY KEY, key TEXT NOT NULL, field TEXT NOT NULL, value_a TEXT, device_a TEXT,
    event_a TEXT, value_b TEXT, device_b TEXT, event_b TEXT, detected_at TEXT NOT NULL,
    status TEXT NOT NULL, resolved_value TEXT, resolved_by TEXT, resolved_at TEXT,
    UNIQUE (key, field, event_a, event_b));
CREATE TABLE IF NOT EXISTS patient_matches (
    patient_a TEXT NOT NULL, patient_b TEXT NOT NULL, reason TEXT NOT NULL,
    status TEXT NOT NULL, found_at TEXT NOT NULL, decided_by TEXT, decided_at TEXT,
    PRIMARY KEY (patient_a, patient_b));
CREATE TABLE IF NOT EXISTS patient_match_history (
    id TEXT PRIMARY KEY, patient_a TEXT NOT NULL, patient_b TEXT NOT NULL,
    status TEXT NOT NULL, decided_by TEXT, decided_at TEXT NOT NULL, reason TEXT, source TEXT);
CREATE INDEX IF NOT EXISTS patient_match_history_pair
    ON patient_match_history (patient_a, patient_b, id);
CREATE TABLE IF NOT EXISTS dist_items (
    kind TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL, signed TEXT NOT NULL,
    size BIGINT NOT NULL, sha256 TEXT NOT NULL, chunk_size INTEGER NOT NULL,
    published_at TEXT NOT NULL, PRIMARY KEY (kind, name, version));
CREATE TABLE IF NOT EXISTS dist_chunks (
    kind TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL, seq INTEGER NOT NULL,
    data BYTEA NOT NULL, PRIMARY KEY (kind, name, version, seq));
"""
_EVENT_COLS = ("id", "device_id", "user_id", "recorded_at", "type", "entity", "entity_id",
               "payload", "content_hash", "received_at")
_ROWS_PER_INSERT = 200


class ReplayError(SyncError):
    """A request nonce was used before."""


class BusyError(StoreError):
    """The database aborted a transaction (deadlock, serialisation failure); safe to re-run."""


class ConnectionLostError(BusyError):
    """A pooled connection turned out dead (the database restarted, the network dropped).

    Re-running on a fresh connection is safe: the transaction did not commit, or if the
    connection broke during COMMIT, ingest is idempotent and a consumed nonce is refused.
    """


BUSY_RETRY = Backoff(attempts=6, base_s=0.02, cap_s=1.0)


@dataclass
class IngestResult:
    inserted: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    conflicts: int = 0

    @property
    def acked(self) -> list[str]:
        return sorted(self.inserted + self.duplicates)


class HubStore(ABC):
    """What the hub needs from a database. Backends implement connections and locking only."""

    dialect = "?"
    busy_retries = 0
    """Transactions re-run after a deadlock or serialisation failure (for tests and logs)."""

    @abstractmethod
    def transaction(self) -> Any:
        """Context manager yielding a :class:`merge.Tx`; commits on success."""

    def atomic(self, fn: Callable[[Any], T]) -> T:
        """``fn(tx)`` in one transaction, re-run from the start (bounded, jittered) when the
        database aborts it with :class:`BusyError`; ``fn`` must only touch the database."""
        def once() -> T:
            with self.transaction() as tx:
                return fn(tx)

        def count(_attempt: int, _wait: float, _exc: BaseException) -> None:
            self.busy_retries += 1

        return call_with_retry(once, retry_on=(BusyError,), backoff=BUSY_RETRY, on_retry=count)

    @abstractmethod
    def close(self) -> None: ...

    def init_schema(self) -> None:
        """Create missing tables; safe to run from several processes at once."""
        with self.transaction() as tx:
            tx.lock_keys(["schema"])
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    tx.execute(statement)

    # -- devices ----------------------------------------------------------------------------

    def register_device(self, device_id: str, label: str, public_key: str | None,
                        code_hash: str, now: str) -> None:
        with self.transaction() as tx:
            if tx.execute("SELECT 1 FROM devices WHERE device_id = ?", (device_id,)):
                raise ValidationError(f"Device {device_id} is already registered.",
                                      hint="Revoke it first to enrol it again.")
            tx.execute("INSERT INTO devices (device_id, label, public_key, code_hash, "
                       "registered_at) VALUES (?,?,?,?,?)",
                       (device_id, label, public_key, code_hash, now))

    def complete_enrolment(self, device_id: str, public_key: str, code_hash: str,
                           now: str) -> None:
        """Bind the device key once; the code cannot be used again."""
        with self.transaction() as tx:
            rows = tx.execute("SELECT public_key, code_hash, revoked_at FROM devices "
                              "WHERE device_id = ?", (device_id,))
            if not rows or rows[0][1] is None or rows[0][1] != code_hash or rows[0][2]:
                raise SyncError("Enrolment refused: unknown device, wrong or used code.",
                                hint="Ask IT for a new code (`lifeboat hub enrol-device`).")
            if rows[0][0] and rows[0][0].strip() != public_key.strip():
                raise SyncError("Enrolment refused: this is not the key IT registered.")
            tx.execute("UPDATE devices SET public_key = ?, code_hash = NULL, enrolled_at = ? "
                       "WHERE device_id = ?", (public_key, now, device_id))

    def revoke_device(self, device_id: str, now: str) -> None:
        with self.transaction() as tx:
            if not tx.execute("SELECT 1 FROM devices WHERE device_id = ?", (device_id,)):
                raise ValidationError(f"No device {device_id} at this hub.")
            tx.execute("UPDATE devices SET revoked_at = ?, code_hash = NULL "
                       "WHERE device_id = ?", (now, device_id))

    def replace_device_key(self, device_id: str, old: str, new: str,
                           nonce: tuple[str, str], now: str) -> bool:
        """Make ``new`` the device's key in place of ``old`` (consuming the request's nonce);
        ``old`` is retired, never accepted again. False when ``new`` is its key already."""
        def swap(tx: Any) -> bool:
            self._consume_nonce(tx, device_id, nonce, now)
            rows = tx.execute("SELECT public_key FROM devices WHERE device_id = ? AND "
                              "revoked_at IS NULL AND enrolled_at IS NOT NULL", (device_id,))
            current = (rows[0][0] or "").strip() if rows else ""
            if not current:
                raise SyncError("This device is not enrolled with this hub.")
            if current == new.strip():
                return False
            if current != old.strip():
                raise SyncError("The device key changed meanwhile; nothing was changed.")
            if tx.execute("SELECT 1 FROM device_keys_retired WHERE device_id = ? AND "
                          "public_key = ?", (device_id, new.strip())):
                raise SyncError("That key was retired: a device key is never used again.")
            tx.execute("INSERT INTO device_keys_retired VALUES (?,?,?) ON CONFLICT DO NOTHING",
                       (device_id, current, now))
            tx.execute("UPDATE devices SET public_key = ? WHERE device_id = ?",
                       (new.strip() + "\n", device_id))
            return True

        return self.atomic(swap)

    def get_device(self, device_id: str) -> dict[str, Any] | None:
        rows = self.query("SELECT * FROM devices WHERE device_id = ?", (device_id,))
        return rows[0] if rows else None

    def list_devices(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM devices ORDER BY label, device_id")

    # -- events -----------------------------------------------------------------------------

    def ingest(self, device_id: str, raw_events: list[Any], now: str, *,
               nonce: tuple[str, str] | None = None,
               status: dict[str, Any] | None = None) -> IngestResult:
        """Store and project a batch; never lets one bad record block the rest.

        ``nonce`` (value, expiry) is consumed and ``status`` (the device's report) recorded in
        the same transaction — one durable commit per request. A used nonce raises
        :class:`ReplayError` and nothing is stored.
        """
        good: list[dict[str, Any]] = []
        bad: list[tuple[Any, str]] = []
        for raw in raw_events:
            reason = merge.validate_event(raw, device_id)
            (bad.append((raw, reason)) if reason else good.append(raw))
        good.sort(key=lambda e: e["id"])
        return self.atomic(lambda tx: self._ingest(tx, device_id, good, list(bad), now, nonce,
                                                   status))

    def _ingest(self, tx: Any, device_id: str, good: list[dict[str, Any]],
                bad: list[tuple[Any, str]], now: str, nonce: tuple[str, str] | None,
                status: dict[str, Any] | None) -> IngestResult:
        result = IngestResult()
        if nonce is not None:
            self._consume_nonce(tx, device_id, nonce, now)
        if status is not None:
            tx.execute("UPDATE devices SET last_seen = ?, status = ? WHERE device_id = ?",
                       (now, json.dumps(status), device_id))
        texts = {e["id"]: payload_json(e["payload"]) for e in good}
        hashes = {e["id"]: event_hash(e, texts[e["id"]]) for e in good}
        inserted: set[str] = set()
        for start in range(0, len(good), _ROWS_PER_INSERT):
            chunk = good[start:start + _ROWS_PER_INSERT]
            marks = ",".join("(" + ",".join("?" * len(_EVENT_COLS)) + ")" for _ in chunk)
            params: list[Any] = []
            for e in chunk:
                params += [e["id"], e["device_id"], e["user_id"], e["recorded_at"],
                           e["type"], e["entity"], e["entity_id"],
                           texts[e["id"]], hashes[e["id"]], now]
            rows = tx.execute(f"INSERT INTO events ({','.join(_EVENT_COLS)}) VALUES {marks}"
                              " ON CONFLICT (id) DO NOTHING RETURNING id", params)
            inserted.update(r[0] for r in rows)
        existing = [e for e in good if e["id"] not in inserted]
        stored = self._hashes(tx, [e["id"] for e in existing])
        for e in existing:
            if stored.get(e["id"]) == (device_id, hashes[e["id"]]):
                result.duplicates.append(e["id"])
            else:
                bad.append((e, "an event with this id is already at the hub with "
                               "different content"))
        new_events = [e for e in good if e["id"] in inserted]
        result.inserted = [e["id"] for e in new_events]
        result.conflicts = len(merge.project(tx, new_events, now))
        for raw, reason in bad:
            eid = raw["id"][:64] if isinstance(raw, dict) and isinstance(
                raw.get("id"), str) else "?"
            body = json.dumps(raw, sort_keys=True, default=str)
            tx.execute("INSERT INTO quarantine VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                       (device_id, eid, hashlib.sha256(body.encode()).hexdigest(), reason,
                        body, now))
            result.quarantined.append((eid, reason))
        if status is not None and (result.inserted or result.duplicates
                                   or status.get("pending") == 0):
            tx.execute("UPDATE devices SET last_sync = ? WHERE device_id = ?",
                       (now, device_id))
        return result

    @staticmethod
    def _consume_nonce(tx: Any, device_id: str, nonce: tuple[str, str], now: str) -> None:
        # This device's expired nonces only: an index range, not a scan every request, and
        # no conflict with other devices' requests under SERIALIZABLE.
        tx.execute("DELETE FROM nonces WHERE device_id = ? AND expires_at < ?",
                   (device_id, now))
        if not tx.execute("INSERT INTO nonces VALUES (?,?,?) ON CONFLICT DO NOTHING "
                          "RETURNING nonce", (device_id, nonce[0], nonce[1])):
            raise ReplayError("This request was already received (a replay); it was ignored.")

    @staticmethod
    def _hashes(tx: Any, ids: list[str]) -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" for _ in chunk)
            for eid, dev, digest in tx.execute(f"SELECT id, device_id, content_hash FROM events "
                                               f"WHERE id IN ({marks})", chunk):
                out[eid] = (dev, digest)
        return out

    def device_event_stats(self, device_id: str) -> tuple[int, str]:
        """(events held for the device, digest of their ids) — the device computes the same."""
        ids = [r["id"] for r in self.query("SELECT id FROM events WHERE device_id = ?",
                                           (device_id,))]
        return len(ids), ids_digest(ids)

    def event_count(self) -> int:
        return int(self.query("SELECT count(*) AS n FROM events")[0]["n"])

    # -- records, conflicts, matches --------------------------------------------------------

    def entities(self, entity: str) -> list[dict[str, Any]]:
        rows = self.query("SELECT entity_id, device_id, data FROM entities WHERE entity = ? "
                          "ORDER BY entity_id", (entity,))
        return [{**json.loads(r["data"]), "id": r["entity_id"], "_device_id": r["device_id"]}
                for r in rows]

    def quarantined(self, device_id: str | None = None) -> list[dict[str, Any]]:
        if device_id:
            return self.query("SELECT device_id, event_id, reason, at FROM quarantine "
                              "WHERE device_id = ? ORDER BY at", (device_id,))
        return self.query("SELECT device_id, event_id, reason, at FROM quarantine ORDER BY at")

    def conflicts(self, status: str | None = "open") -> list[dict[str, Any]]:
        sql = "SELECT * FROM conflicts"
        rows = self.query(sql + " WHERE status = ? ORDER BY detected_at, id", (status,)) \
            if status else self.query(sql + " ORDER BY detected_at, id")
        for r in rows:
            for k in ("value_a", "value_b", "resolved_value"):
                r[k] = None if r[k] is None else json.loads(r[k])
        return rows

    def resolve_conflict(self, conflict_id: str, choose: str, by: str, now: str) -> None:
        """Keep value ``a`` or ``b`` for the field; both stay on record in the queue."""
        if choose not in ("a", "b"):
            raise ValidationError("Choose 'a' or 'b'.", field="choose")
        with self.transaction() as tx:
            rows = tx.execute("SELECT key, field, value_a, value_b, status FROM conflicts "
                              "WHERE id = ?", (conflict_id,))
            if not rows or rows[0][4] != "open":
                raise ValidationError(f"No open conflict {conflict_id}.")
            key, name, va, vb, _ = rows[0]
            chosen = va if choose == "a" else vb
            tx.lock_keys([key])
            doc = merge.load_docs(tx, [key])[key]
            before = doc.data.get(name)
            doc.data[name], doc.meta[name] = json.loads(chosen), [conflict_id, "hub"]
            merge.save_doc(tx, doc, now)
            if key.startswith("patient:") and name == "linked_to" and before != doc.data[name]:
                change = merge.LinkChange(key.partition(":")[2], merge.link_id(before),
                                          merge.link_id(doc.data[name]), by, conflict_id,
                                          "conflicting links resolved at the hub")
                merge.follow_links(tx, [change], now)
            tx.execute("UPDATE conflicts SET status = 'resolved', resolved_value = ?, "
                       "resolved_by = ?, resolved_at = ? WHERE id = ?",
                       (chosen, by, now, conflict_id))

    def matches(self, status: str | None = None) -> list[dict[str, Any]]:
        if status:
            return self.query("SELECT * FROM patient_matches WHERE status = ? "
                              "ORDER BY found_at", (status,))
        return self.query("SELECT * FROM patient_matches ORDER BY found_at")

    def match_history(self, patient_a: str | None = None,
                      patient_b: str | None = None) -> list[dict[str, Any]]:
        """Every link decision (linked, unlinked), oldest first; for one pair when given."""
        if patient_a and patient_b:
            a, b = sorted((patient_a, patient_b))
            return self.query("SELECT * FROM patient_match_history WHERE patient_a = ? AND "
                              "patient_b = ? ORDER BY id", (a, b))
        return self.query("SELECT * FROM patient_match_history ORDER BY id")

    def link_patients(self, a: str, b: str, by: str, now: str) -> int:
        with self.transaction() as tx:
            return len(merge.link_patients(tx, a, b, by, now))

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.atomic(lambda tx: tx.query_dicts(sql, params))
        return rows


def new_receipt_id() -> str:
    return new_id()
