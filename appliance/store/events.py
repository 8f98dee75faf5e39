"""Append-only clinical events and the state they project into.

Every clinical write is one event (time-ordered id, device, user, wall-clock time, type, entity,
payload) written in the same transaction as the state it changes, its outbox row and its audit
entry. The projection is a pure function of the event, so the hub can rebuild the same state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlcipher3

from appliance.errors import ValidationError
from appliance.ids import new_id

# entity -> (table, primary key column)
ENTITIES: dict[str, str] = {
    "patient": "patients",
    "encounter": "encounters",
    "observation": "observations",
    "assessment": "assessments",
    "intervention": "interventions",
    "note": "notes",
}

# verbs that create a row vs. change fields of an existing one
CREATE_VERBS = {"registered", "opened", "recorded", "added"}
UPDATE_VERBS = {"updated", "closed", "decided", "linked"}


@dataclass(frozen=True)
class Event:
    id: str
    device_id: str
    user_id: str | None
    recorded_at: str
    type: str
    entity: str
    entity_id: str
    payload: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "device_id": self.device_id, "user_id": self.user_id,
                "recorded_at": self.recorded_at, "type": self.type, "entity": self.entity,
                "entity_id": self.entity_id, "payload": self.payload}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Event:
        payload = row["payload"]
        return cls(row["id"], row["device_id"], row["user_id"], row["recorded_at"], row["type"],
                   row["entity"], row["entity_id"],
                   json.loads(payload) if isinstance(payload, str) else payload)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def make_event(device_id: str, user_id: str | None, type_: str, entity_id: str | None,
               payload: dict[str, Any]) -> Event:
    entity, _, verb = type_.partition(".")
    if entity not in ENTITIES and type_ != "record.amended":
        raise ValidationError(f"Unknown event type {type_!r}.")
    if entity != "record" and verb not in CREATE_VERBS | UPDATE_VERBS:
        raise ValidationError(f"Unknown event verb in {type_!r}.")
    if entity == "record":
        entity = str(payload.get("entity", ""))
    return Event(new_id(), device_id, user_id, now_iso(), type_, entity,
                 entity_id or new_id(), payload)


_columns_cache: dict[str, set[str]] = {}


def _columns(conn: sqlcipher3.Connection, table: str) -> set[str]:
    if table not in _columns_cache:
        _columns_cache[table] = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    return _columns_cache[table]


def project(conn: sqlcipher3.Connection, event: Event) -> None:
    """Apply one event to the state tables. Unknown payload keys are refused, not dropped."""
    if event.type == "record.amended":
        _amend(conn, event)
        return
    table = ENTITIES[event.entity]
    cols = _columns(conn, table)
    payload = event.payload
    unknown = set(payload) - cols
    if unknown:
        raise ValidationError(f"{event.type}: unknown field(s) {sorted(unknown)}.")
    verb = event.type.partition(".")[2]
    if verb in CREATE_VERBS:
        row = dict(payload)
        row["id"] = event.entity_id
        names = ",".join(row)
        marks = ",".join("?" for _ in row)
        conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))
    else:
        if not payload:
            return
        sets = ",".join(f"{k} = ?" for k in payload)
        cur = conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?",
                           [*payload.values(), event.entity_id])
        if cur.rowcount == 0:
            raise ValidationError(f"{event.type}: no {event.entity} {event.entity_id}.")


def _amend(conn: sqlcipher3.Connection, event: Event) -> None:
    p = event.payload
    table = ENTITIES.get(str(p.get("entity")))
    fld = str(p.get("field"))
    if table is None or fld not in _columns(conn, table) or fld == "id":
        raise ValidationError(f"Cannot amend {p.get('entity')}.{fld}.")
    if not str(p.get("reason", "")).strip():
        raise ValidationError("An amendment needs a reason.", field="reason")
    old = conn.execute(f"SELECT {fld} FROM {table} WHERE id = ?", (event.entity_id,)).fetchone()
    if old is None:
        raise ValidationError(f"No {p['entity']} {event.entity_id} to amend.")
    conn.execute(f"UPDATE {table} SET {fld} = ? WHERE id = ?", (p.get("new"), event.entity_id))
    conn.execute("INSERT INTO amendments VALUES (?,?,?,?,?,?,?,?,?)",
                 (event.id, p["entity"], event.entity_id, fld,
                  None if old[0] is None else str(old[0]),
                  None if p.get("new") is None else str(p.get("new")), p["reason"],
                  event.user_id, event.recorded_at))


def insert(conn: sqlcipher3.Connection, event: Event) -> None:
    """Store the event and queue it for sync (inside the caller's transaction)."""
    conn.execute("INSERT INTO events VALUES (?,?,?,?,?,?,?,?)",
                 (event.id, event.device_id, event.user_id, event.recorded_at, event.type,
                  event.entity, event.entity_id,
                  json.dumps(event.payload, sort_keys=True, separators=(",", ":"))))
    conn.execute("INSERT INTO outbox (event_id, queued_at) VALUES (?, ?)",
                 (event.id, event.recorded_at))
