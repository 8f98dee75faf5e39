"""Which hub a database belongs to: its id and key fingerprints, recorded at ``hub init``.

Several hub processes may share one database only if they hold the same keys: a device pins the
hub's signing key at enrolment and refuses receipts signed by any other. So the first hub to use
a database (or PostgreSQL schema) records who it is in the ``meta`` table; ``hub init`` on a
database that names another hub is refused, and a process whose keys differ refuses to start
and reports not-ready.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from appliance.errors import ConfigError
from sync.hub.storage import HubStore

_KEYS = ("hub_id", "hub_signing_key_sha256", "hub_box_key_sha256", "hub_claimed_at")


class HubIdentityError(ConfigError):
    """The database belongs to another hub (other id or other keys)."""

    exit_code = 2  # distinct, so a service manager can be told not to restart in a loop


@dataclass(frozen=True)
class Identity:
    hub_id: str
    signing_key_sha256: str
    box_key_sha256: str

    def differences(self, other: Identity) -> list[str]:
        """What differs, in words an IT admin can check ("the signing key", ...)."""
        names = (("hub_id", "hub id"), ("signing_key_sha256", "signing key"),
                 ("box_key_sha256", "USB bundle key"))
        return [label for attr, label in names if getattr(self, attr) != getattr(other, attr)]


def fingerprint(public_raw: bytes) -> str:
    """SHA-256 of a raw public key, hex (what ``hub status`` and the docs call a fingerprint)."""
    return hashlib.sha256(public_raw).hexdigest()


def _read(tx: Any) -> tuple[Identity, str] | None:
    rows = dict(tx.execute("SELECT key, value FROM meta WHERE key IN (?,?,?,?)", _KEYS))
    if "hub_id" not in rows:
        return None
    return (Identity(rows["hub_id"], rows.get("hub_signing_key_sha256", ""),
                     rows.get("hub_box_key_sha256", "")), rows.get("hub_claimed_at", "?"))


def recorded(store: HubStore) -> Identity | None:
    """The identity the database holds (None before any hub claimed it)."""
    found = store.atomic(_read)
    return found[0] if found else None


def claim(store: HubStore, mine: Identity, now: str, *, where: str) -> None:
    """Record ``mine`` if the database has no hub yet; raise :class:`HubIdentityError` if it
    names another. ``where`` names the database for the message (never its password)."""

    def run(tx: Any) -> tuple[Identity, str] | None:
        tx.lock_keys(["hub-identity"])
        found = _read(tx)
        if found is None:
            for key, value in zip(_KEYS, (mine.hub_id, mine.signing_key_sha256,
                                          mine.box_key_sha256, now), strict=True):
                tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
        return found

    found = store.atomic(run)
    if found is not None and found[0] != mine:
        theirs, since = found
        raise HubIdentityError(
            f"{where} belongs to hub {theirs.hub_id} (since {since}); this hub directory has "
            f"a different {' and '.join(mine.differences(theirs))}.",
            hint="Every process of one hub needs a copy of that hub's directory (keys/ "
                 "included): copy it from a running process. For a separate hub, use its own "
                 "database or --pg-schema.")
