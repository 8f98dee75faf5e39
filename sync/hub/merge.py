"""Projection of device events into hub state, and the rules for merging several devices.

Events are append-only, so observations, notes and everything else created on a device simply
union at the hub. Each field of each record remembers the event that set it: a later event from
the same device wins (so replaying one device's events in any order converges), while a
*different* value from a *different* device goes to the conflict queue with both values kept and
the first value left in place until a clinician decides. Patients recorded on several devices are
offered as match candidates (same NHS number, or same family name and date of birth) and only
linked when a person says so — never merged silently.

A link made on a device (``linked_to``) follows the device's corrections: when an amendment
changes or removes it, the old pair becomes ``unlinked`` and the new pair ``linked``. Match rows
are never deleted, and every link decision is appended to ``patient_match_history``.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from appliance.ids import new_id
from appliance.store.events import CREATE_VERBS, ENTITIES, UPDATE_VERBS
from sync.protocol import is_ulid

DEMOGRAPHIC_FIELDS = ("nhs_number", "family_name", "given_name", "date_of_birth",
                      "estimated_age", "sex")
EVENT_KEYS = frozenset({"id", "device_id", "user_id", "recorded_at", "type", "entity",
                        "entity_id", "payload"})
_SCALARS = (str, int, float, bool, type(None))


class Tx(Protocol):
    """One open transaction on a hub store (``?`` placeholders in every dialect)."""

    def execute(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]: ...

    def executemany(self, sql: str, rows: list[Any]) -> None: ...

    def lock_keys(self, keys: list[str]) -> None: ...


@functools.cache
def entity_columns() -> dict[str, frozenset[str]]:
    """Fields each entity may carry: the device's own schema, so hub and device never drift."""
    import sqlcipher3

    from appliance.store import migrations

    conn = sqlcipher3.connect(":memory:")
    try:
        for _name, fn in migrations.MIGRATIONS:
            fn(conn)
        return {entity: frozenset(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))
                for entity, table in ENTITIES.items()}
    finally:
        conn.close()


def validate_event(raw: Any, device_id: str) -> str | None:
    """Why the hub cannot accept ``raw`` from ``device_id``, or None when it can."""
    if not isinstance(raw, dict) or set(raw) != EVENT_KEYS:
        return "not an event (wrong fields)"
    if not is_ulid(raw["id"]):
        return "malformed event id"
    if raw["device_id"] != device_id:
        return "event belongs to another device"
    if not isinstance(raw["user_id"], str | None) or not isinstance(raw["recorded_at"], str):
        return "malformed user or time"
    entity_id, payload, type_ = raw["entity_id"], raw["payload"], raw["type"]
    if not is_ulid(entity_id):
        return "malformed entity id (not a Lifeboat id)"
    if not isinstance(payload, dict) or not all(isinstance(v, _SCALARS) for v in payload.values()):
        return "payload must be an object of plain values"
    if not isinstance(type_, str):
        return "malformed event type"
    columns = entity_columns()
    if type_ == "record.amended":
        target = payload.get("entity")
        if target not in ENTITIES or raw["entity"] != target:
            return "amendment of an unknown entity"
        if payload.get("field") not in columns[target] or payload.get("field") == "id":
            return f"amendment of unknown field {payload.get('field')!r}"
        if not str(payload.get("reason") or "").strip():
            return "amendment without a reason"
        return None
    entity, _, verb = type_.partition(".")
    if entity not in ENTITIES or verb not in CREATE_VERBS | UPDATE_VERBS:
        return f"unknown event type {type_!r}"
    if raw["entity"] != entity:
        return "event entity does not match its type"
    unknown = set(payload) - (columns[entity] - {"id"})
    if unknown:
        return f"unknown field(s) {sorted(unknown)} for {entity}"
    return None


def entity_key(entity: str, entity_id: str) -> str:
    return f"{entity}:{entity_id}"


def event_changes(event: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(entity key, fields set) for one validated event."""
    payload = event["payload"]
    if event["type"] == "record.amended":
        return (entity_key(payload["entity"], event["entity_id"]),
                {payload["field"]: payload.get("new")})
    return entity_key(event["entity"], event["entity_id"]), dict(payload)


@dataclass
class Doc:
    key: str
    device_id: str
    data: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, list[str]] = field(default_factory=dict)  # field -> [event_id, device_id]
    dirty: bool = False


@dataclass(frozen=True)
class LinkChange:
    """A patient's ``linked_to`` taking a new value at the hub: a link made, changed or removed."""

    patient_id: str
    old: str | None
    new: str | None
    decided_by: str
    source: str  # the event (or conflict resolution) that made the change
    reason: str | None = None


@dataclass
class Conflict:
    key: str
    field: str
    value_a: Any
    device_a: str
    event_a: str
    value_b: Any
    device_b: str
    event_b: str


def set_field(doc: Doc, name: str, value: Any, event_id: str, device_id: str,
              conflicts: list[Conflict]) -> None:
    """Apply one field write under the merge rules (see the module docstring)."""
    current = doc.meta.get(name)
    if current is None:
        doc.data[name], doc.meta[name], doc.dirty = value, [event_id, device_id], True
        return
    cur_event, cur_device = current
    if cur_device == device_id:
        if event_id > cur_event:  # last writer wins within one device, whatever the order
            doc.data[name], doc.meta[name], doc.dirty = value, [event_id, device_id], True
        return
    if doc.data.get(name) == value:  # two devices agree: nothing to decide
        return
    conflicts.append(Conflict(doc.key, name, doc.data.get(name), cur_device, cur_event,
                              value, device_id, event_id))


def apply_events(docs: dict[str, Doc], events: list[dict[str, Any]],
                 conflicts: list[Conflict]) -> list[LinkChange]:
    """Pure in-memory projection of validated events onto ``docs``; returns, in order, every
    patient link the events made, changed or removed (for :func:`follow_links`)."""
    links: list[LinkChange] = []
    for event in sorted(events, key=lambda e: e["id"]):
        key, changes = event_changes(event)
        doc = docs.get(key)
        if doc is None:
            doc = docs[key] = Doc(key, event["device_id"], dirty=True)
        before = doc.data.get("linked_to")
        for name, value in sorted(changes.items()):
            set_field(doc, name, value, event["id"], event["device_id"], conflicts)
        after = doc.data.get("linked_to")
        if key.startswith("patient:") and "linked_to" in changes and after != before:
            reason = event["payload"].get("reason") if event["type"] == "record.amended" else None
            links.append(LinkChange(key.partition(":")[2], link_id(before),
                                    link_id(after), f"device:{event['device_id']}",
                                    event["id"], reason))
    return links


def link_id(value: Any) -> str | None:
    """A stored ``linked_to`` value as a patient id (None when there is no link)."""
    return str(value) if value else None


def lock_id(key: str) -> int:
    """A signed 64-bit number for a PostgreSQL advisory lock on one record."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


def project(tx: Tx, events: list[dict[str, Any]], now: str) -> list[Conflict]:
    """Project newly stored events into the hub's record state inside ``tx``."""
    if not events:
        return []
    keys = sorted({event_changes(e)[0] for e in events})
    tx.lock_keys(keys)
    docs = load_docs(tx, keys)
    conflicts: list[Conflict] = []
    links = apply_events(docs, events, conflicts)
    save_docs(tx, [d for d in docs.values() if d.dirty], now)
    for c in conflicts:
        insert_conflict(tx, c, now)
    patients = [d for d in docs.values() if d.dirty and d.key.startswith("patient:")]
    find_matches(tx, patients, now)
    follow_links(tx, links, now)
    return conflicts


_LINKED = ("INSERT INTO patient_matches (patient_a, patient_b, reason, status, found_at, "
           "decided_by, decided_at) VALUES (?,?,?,'linked',?,?,?) ON CONFLICT (patient_a, "
           "patient_b) DO UPDATE SET status = 'linked', decided_by = excluded.decided_by, "
           "decided_at = excluded.decided_at")


def follow_links(tx: Tx, changes: list[LinkChange], now: str) -> None:
    """Make the hub's matches follow link changes, in order: the old pair is no longer linked
    (``unlinked``: the row stays), the new pair is; each decision goes to the history."""
    for ch in changes:
        if ch.old:
            a, b = sorted((ch.patient_id, ch.old))
            tx.execute("UPDATE patient_matches SET status = 'unlinked', decided_by = ?, "
                       "decided_at = ? WHERE patient_a = ? AND patient_b = ? AND "
                       "status = 'linked'", (ch.decided_by, now, a, b))
            record_decision(tx, a, b, "unlinked", ch.decided_by, now, ch.reason, ch.source)
        if ch.new:
            a, b = sorted((ch.patient_id, ch.new))
            why = "linked on device" if ch.decided_by.startswith("device:") else "linked at the hub"
            tx.execute(_LINKED, (a, b, why, now, ch.decided_by, now))
            record_decision(tx, a, b, "linked", ch.decided_by, now, ch.reason or why, ch.source)


def record_decision(tx: Tx, a: str, b: str, status: str, by: str | None, now: str,
                    reason: str | None, source: str | None) -> None:
    """Append one link decision on the pair (a, b) to ``patient_match_history``."""
    tx.execute("INSERT INTO patient_match_history (id, patient_a, patient_b, status, "
               "decided_by, decided_at, reason, source) VALUES (?,?,?,?,?,?,?,?)",
               (new_id(), a, b, status, by, now, reason, source))


def load_docs(tx: Tx, keys: list[str]) -> dict[str, Doc]:
    docs: dict[str, Doc] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        marks = ",".join("?" for _ in chunk)
        for key, device, data, meta in tx.execute(
                f"SELECT key, device_id, data, meta FROM entities WHERE key IN ({marks})", chunk):
            docs[key] = Doc(key, device, json.loads(data), json.loads(meta))
    return docs


def match_fields(doc: Doc) -> tuple[str | None, str | None]:
    nhs = "".join(ch for ch in str(doc.data.get("nhs_number") or "") if ch.isdigit()) or None
    family, dob = doc.data.get("family_name"), doc.data.get("date_of_birth")
    key = f"{str(family).strip().lower()}|{dob}" if family and dob else None
    return nhs, key


_SAVE = ("INSERT INTO entities (key, entity, entity_id, device_id, data, meta, nhs_number, "
         "match_key, updated_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (key) DO UPDATE SET "
         "data = excluded.data, meta = excluded.meta, nhs_number = excluded.nhs_number, "
         "match_key = excluded.match_key, updated_at = excluded.updated_at")


def save_docs(tx: Tx, docs: list[Doc], now: str) -> None:
    rows = []
    for doc in docs:
        entity, _, entity_id = doc.key.partition(":")
        nhs, mkey = match_fields(doc) if entity == "patient" else (None, None)
        rows.append((doc.key, entity, entity_id, doc.device_id, json.dumps(doc.data),
                     json.dumps(doc.meta), nhs, mkey, now))
    if rows:
        tx.executemany(_SAVE, rows)


def save_doc(tx: Tx, doc: Doc, now: str) -> None:
    save_docs(tx, [doc], now)


def insert_conflict(tx: Tx, c: Conflict, now: str) -> None:
    tx.execute(
        "INSERT INTO conflicts (id, key, field, value_a, device_a, event_a, value_b, device_b, "
        "event_b, detected_at, status) VALUES (?,?,?,?,?,?,?,?,?,?,'open') "
        "ON CONFLICT (key, field, event_a, event_b) DO NOTHING",
        (new_id(), c.key, c.field, json.dumps(c.value_a), c.device_a, c.event_a,
         json.dumps(c.value_b), c.device_b, c.event_b, now))


def find_matches(tx: Tx, docs: list[Doc], now: str) -> None:
    """Record candidate matches for patients; a clinician links or rejects them.

    One query per batch for each kind of match (round trips matter on PostgreSQL).
    """
    for column, reason, pick in (("nhs_number", "same NHS number", 0),
                                 ("match_key", "same family name and date of birth", 1)):
        wanted: dict[str, list[str]] = {}
        for doc in docs:
            value = match_fields(doc)[pick]
            if value is not None:
                wanted.setdefault(value, []).append(doc.key)
        values = sorted(wanted)
        pairs: set[tuple[str, str]] = set()
        for start in range(0, len(values), 500):
            chunk = values[start:start + 500]
            marks = ",".join("?" for _ in chunk)
            for other, value in tx.execute(f"SELECT key, {column} FROM entities WHERE "
                                           f"entity = 'patient' AND {column} IN ({marks})",
                                           chunk):
                for key in wanted[value]:
                    if key != other:
                        a, b = sorted((key.partition(":")[2], str(other).partition(":")[2]))
                        pairs.add((a, b))
        if pairs:
            tx.executemany("INSERT INTO patient_matches (patient_a, patient_b, reason, status, "
                           "found_at) VALUES (?,?,?,'candidate',?) "
                           "ON CONFLICT (patient_a, patient_b) DO NOTHING",
                           [(a, b, reason, now) for a, b in sorted(pairs)])


def link_patients(tx: Tx, a: str, b: str, by: str, now: str) -> list[Conflict]:
    """Link two patient records (kept separate) and queue every demographic disagreement."""
    a, b = sorted((a, b))
    keys = [entity_key("patient", a), entity_key("patient", b)]
    tx.lock_keys(keys)
    docs = load_docs(tx, keys)
    if len(docs) != 2:
        from appliance.errors import ValidationError

        raise ValidationError(f"Both patients must exist at the hub to link them ({a}, {b}).")
    da, db_ = docs[keys[0]], docs[keys[1]]
    tx.execute(_LINKED, (a, b, "linked by hand", now, by, now))
    record_decision(tx, a, b, "linked", by, now, "linked by hand", None)
    conflicts = []
    for name in DEMOGRAPHIC_FIELDS:
        va, vb = da.data.get(name), db_.data.get(name)
        if va is not None and vb is not None and _normal(name, va) != _normal(name, vb):
            ea, eb = da.meta.get(name, ["", da.device_id]), db_.meta.get(name, ["", db_.device_id])
            conflicts.append(Conflict(da.key, name, va, ea[1], ea[0], vb, eb[1], eb[0]))
    for c in conflicts:
        insert_conflict(tx, c, now)
    return conflicts


def _normal(name: str, value: Any) -> Any:
    """Compare demographics as a person would: spacing and case are not disagreements."""
    if name == "nhs_number":
        return "".join(ch for ch in str(value) if ch.isdigit())
    return value.strip().lower() if isinstance(value, str) else value
