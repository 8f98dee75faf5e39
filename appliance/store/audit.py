"""Hash-chained audit log: every login, read and write of patient data, export and sync.

Each entry's hash covers its own fields and the previous entry's hash, so an edited, removed or
reordered entry breaks the chain and ``verify`` names the first bad sequence number. Entries are
written in the same transaction as the change they describe.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlcipher3

GENESIS = "0" * 64


def entry_hash(prev_hash: str, seq: int, at: str, device_id: str, user_id: str | None,
               action: str, subject: str | None, detail: str | None) -> str:
    body = json.dumps([seq, at, device_id, user_id, action, subject, detail],
                      separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(conn: sqlcipher3.Connection, *, device_id: str, user_id: str | None, action: str,
           subject: str | None = None, detail: dict[str, Any] | str | None = None,
           at: str | None = None) -> int:
    """Add one entry; call inside the transaction of the change it records."""
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    at = at or datetime.now(UTC).isoformat(timespec="microseconds")
    text = detail if isinstance(detail, str) or detail is None else json.dumps(
        detail, sort_keys=True, separators=(",", ":"))
    digest = entry_hash(prev, seq, at, device_id, user_id, action, subject, text)
    conn.execute("INSERT INTO audit_log VALUES (?,?,?,?,?,?,?,?,?)",
                 (seq, at, device_id, user_id, action, subject, text, prev, digest))
    return seq


@dataclass
class VerifyResult:
    ok: bool
    entries: int
    head: str
    problem: str | None = None
    bad_seq: int | None = None


def verify(conn: sqlcipher3.Connection) -> VerifyResult:
    """Walk the chain in order; report the first entry that does not verify."""
    prev, expected_seq, count = GENESIS, 1, 0
    cur = conn.execute("SELECT seq, at, device_id, user_id, action, subject, detail, prev_hash, "
                       "hash FROM audit_log ORDER BY seq")
    for seq, at, device, user, action, subject, detail, prev_hash, digest in cur:
        if seq != expected_seq:
            return VerifyResult(False, count, prev, f"entry {expected_seq} is missing "
                                f"(next is {seq}): entries were removed or reordered", seq)
        if prev_hash != prev:
            return VerifyResult(False, count, prev, f"entry {seq} does not follow entry "
                                f"{seq - 1}: the chain was rewritten", seq)
        if entry_hash(prev, seq, at, device, user, action, subject, detail) != digest:
            return VerifyResult(False, count, prev, f"entry {seq} was edited after it was "
                                "written", seq)
        prev, expected_seq, count = digest, seq + 1, count + 1
    return VerifyResult(True, count, prev)
