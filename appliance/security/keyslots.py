"""Key slots: one random data key, wrapped once per user, like disk-encryption key slots.

The data key (32 random bytes) is the SQLCipher raw key. Each user's slot holds that key sealed
with AES-256-GCM under a key derived from the user's PIN by Argon2id. The username is the AEAD's
associated data, so slots cannot be swapped between users. Removing a slot revokes that user: the
PIN alone no longer opens anything. Slots live in ``keys/keyslots.json`` outside the database,
because they are needed before it can be opened; they hold no patient data.
"""

from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from appliance.errors import AuthError, StoreError
from appliance.fsutil import atomic_write_json

DATA_KEY_BYTES = 32
# Argon2id at 64 MiB and 3 passes: slow to guess PINs, still quick to sign in on 2 cores.
KDF_PARAMS = {"time_cost": 3, "memory_cost": 65536, "parallelism": 2}
FORMAT = 1


@dataclass
class Slot:
    username: str
    salt: bytes
    nonce: bytes
    wrapped: bytes
    kdf: dict[str, int]
    # When the slot was made: sign-in lists users in this order, so adding one never moves
    # the others (habit picks by position). Not secret; 0.0 for slots made before it was kept.
    created: float = 0.0
    must_change: bool = False
    """The PIN was set by an IT admin: its owner must choose their own before working, so the
    admin who knows it cannot act (and be audited) as them."""

    def to_json(self) -> dict[str, Any]:
        out = {"username": self.username, "salt": _b64(self.salt), "nonce": _b64(self.nonce),
               "wrapped": _b64(self.wrapped), "kdf": {"alg": "argon2id", **self.kdf},
               "created": self.created}
        return {**out, "must_change": True} if self.must_change else out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Slot:
        kdf = {k: int(v) for k, v in raw["kdf"].items() if k != "alg"}
        return cls(raw["username"], _unb64(raw["salt"]), _unb64(raw["nonce"]),
                   _unb64(raw["wrapped"]), kdf, float(raw.get("created", 0.0)),
                   bool(raw.get("must_change", False)))


def new_data_key() -> bytes:
    return os.urandom(DATA_KEY_BYTES)


def _derive(pin: str, salt: bytes, kdf: dict[str, int]) -> bytes:
    return hash_secret_raw(pin.encode("utf-8"), salt, time_cost=kdf["time_cost"],
                           memory_cost=kdf["memory_cost"], parallelism=kdf["parallelism"],
                           hash_len=32, type=Type.ID)


def seal(username: str, pin: str, data_key: bytes, kdf: dict[str, int] | None = None, *,
         must_change: bool = False) -> Slot:
    kdf = dict(kdf or KDF_PARAMS)
    salt, nonce = os.urandom(16), os.urandom(12)
    wrapped = AESGCM(_derive(pin, salt, kdf)).encrypt(nonce, data_key, username.encode())
    return Slot(username, salt, nonce, wrapped, kdf, time.time(), must_change)


def unseal(slot: Slot, pin: str) -> bytes:
    try:
        return AESGCM(_derive(pin, slot.salt, slot.kdf)).decrypt(
            slot.nonce, slot.wrapped, slot.username.encode())
    except InvalidTag:
        raise AuthError("Wrong PIN.", hint="Check the PIN and try again.") from None


class SlotFile:
    """The on-disk set of slots, rewritten atomically on every change."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, Slot]:
        if not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT:
                raise StoreError(f"{self.path} has an unknown format {raw.get('format')!r}.")
            return {u: Slot.from_json(s) for u, s in raw["slots"].items()}
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"The key slot file {self.path} is corrupt.",
                             hint="Restore it from backup; without it no user can unlock.") from exc

    def save(self, slots: dict[str, Slot]) -> None:
        atomic_write_json(self.path, {"format": FORMAT,
                                      "slots": {u: s.to_json() for u, s in sorted(slots.items())}})

    def put(self, slot: Slot) -> None:
        slots = self.load()
        slots[slot.username] = slot
        self.save(slots)

    def remove(self, username: str) -> bool:
        slots = self.load()
        if username not in slots:
            return False
        del slots[username]
        self.save(slots)
        return True


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))
