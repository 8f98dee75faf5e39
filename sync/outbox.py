"""Device-side SQL over the ``events`` and ``outbox`` tables (the store's own schema).

Pending = neither acknowledged by a verified receipt nor quarantined by the hub. Marking happens
in one transaction with its audit entry, so a kill -9 leaves either the whole receipt applied or
none of it; events whose receipt was lost are simply sent again and the hub acknowledges them as
duplicates.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from appliance.store import audit
from appliance.store.database import Database
from sync.protocol import ids_digest, iso, utc_now

_PENDING = "o.acked_at IS NULL AND o.quarantined_at IS NULL"


def pending_batches(db: Database, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    """Pending events in id order, one batch at a time (keyset pagination, no OFFSET)."""
    after = ""
    while True:
        rows = db.query(
            "SELECT e.id, e.device_id, e.user_id, e.recorded_at, e.type, e.entity, e.entity_id, "
            f"e.payload FROM outbox o JOIN events e ON e.id = o.event_id WHERE {_PENDING} "
            "AND o.event_id > ? ORDER BY o.event_id LIMIT ?", (after, batch_size))
        if not rows:
            return
        for r in rows:
            r["payload"] = json.loads(r["payload"])
        yield rows
        after = rows[-1]["id"]


def all_pending(db: Database) -> list[dict[str, Any]]:
    return [e for batch in pending_batches(db, 5000) for e in batch]


def stats(db: Database, device_id: str, *, digest: bool = True) -> dict[str, Any]:
    """What the device reports to the hub: totals, pending and since when, quarantined, and
    (when asked) the digest over its event ids, which the hub compares with its own."""
    ids = [r["id"] for r in db.query("SELECT id FROM events WHERE device_id = ?",
                                     (device_id,))] if digest else None
    total = len(ids) if ids is not None else db.scalar(
        "SELECT count(*) FROM events WHERE device_id = ?", (device_id,))
    pend = db.query(f"SELECT count(*) AS n, min(o.queued_at) AS oldest FROM outbox o "
                    f"WHERE {_PENDING}")[0]
    quarantined = db.scalar("SELECT count(*) FROM outbox WHERE quarantined_at IS NOT NULL")
    acked = db.scalar("SELECT count(*) FROM outbox WHERE acked_at IS NOT NULL")
    return {"total": total, "digest": ids_digest(ids) if ids is not None else None,
            "pending": pend["n"], "oldest_pending": pend["oldest"], "quarantined": quarantined,
            "acked": acked}


def apply_receipt(db: Database, receipt: dict[str, Any], *, sent: set[str] | None,
                  user_id: str | None, via: str) -> tuple[int, int]:
    """Mark events from a *verified* receipt; returns (newly acknowledged, newly quarantined).

    ``sent`` limits marking to the ids of the request the receipt answers (HTTP); USB receipts
    pass None (any id the hub signed for is safe to mark: the hub holds it).
    """
    now = iso(utc_now())
    acked = [i for i in receipt["acked"] if sent is None or i in sent]
    quarantined = [(q["id"], str(q.get("reason", ""))[:500]) for q in receipt["quarantined"]
                   if isinstance(q, dict) and isinstance(q.get("id"), str)
                   and (sent is None or q["id"] in sent)]
    with db.transaction() as conn:
        n_acked = 0
        for start in range(0, len(acked), 500):
            chunk = acked[start:start + 500]
            marks = ",".join("?" for _ in chunk)
            n_acked += conn.execute(
                f"UPDATE outbox SET acked_at = ?, receipt_id = ? WHERE acked_at IS NULL "
                f"AND event_id IN ({marks})", [now, receipt["receipt_id"], *chunk]).rowcount
        n_quar = 0
        for eid, reason in quarantined:
            n_quar += conn.execute(
                "UPDATE outbox SET quarantined_at = ?, quarantine_reason = ?, receipt_id = ? "
                "WHERE event_id = ? AND acked_at IS NULL AND quarantined_at IS NULL",
                (now, reason, receipt["receipt_id"], eid)).rowcount
        if n_acked or n_quar:
            device_id = str(receipt["device_id"])
            audit.append(conn, device_id=device_id, user_id=user_id, action="sync.receipt",
                         subject=f"receipt:{receipt['receipt_id']}",
                         detail={"via": via, "acked": n_acked, "quarantined": n_quar,
                                 "high_water": receipt.get("high_water")})
    return n_acked, n_quar


def quarantined(db: Database) -> list[dict[str, Any]]:
    return db.query("SELECT event_id, quarantined_at, quarantine_reason FROM outbox "
                    "WHERE quarantined_at IS NOT NULL ORDER BY event_id")


def release_quarantine(db: Database, event_ids: list[str]) -> int:
    """Send quarantined events again (after the hub-side cause was fixed)."""
    with db.transaction() as conn:
        return sum(conn.execute("UPDATE outbox SET quarantined_at = NULL, quarantine_reason = "
                                "NULL WHERE event_id = ?", (i,)).rowcount for i in event_ids)
