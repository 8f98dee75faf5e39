"""Key slots: one random data key, wrapped once per user, like disk-encryption key slots.

The data key (32 random bytes) is the SQLCipher raw key. Each user's slot holds an X25519 key
pair: the private half sealed with AES-256-GCM under a key derived from the user's PIN by
Argon2id, the public half in clear, and the data key boxed to that public key (ephemeral X25519,
HKDF-SHA256, AES-256-GCM). The username is the associated data of both, so slots cannot be
swapped between users. Because the data key is boxed to a public key, an IT admin can re-wrap a
NEW data key for every remaining user without knowing their PINs (:func:`rewrap`): that is what
lets removing a user rotate the data key, so an old copy of this file and an old PIN stop opening
the records. Slots from before that (``public`` absent) wrap the data key under the PIN directly;
each is upgraded at its user's next sign-in, when the PIN is at hand.

Removing a slot revokes that user: the PIN alone no longer opens anything. Slots live in
``keys/keyslots.json`` outside the database, because they are needed before it can be opened;
they hold no patient data.
"""

from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance.errors import AuthError, StoreError
from appliance.fsutil import atomic_write_json

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

# argon2 and cryptography are imported where a slot is sealed or opened, not at import: the
# sign-in screen lists users (the slot file) long before anyone types a PIN.

DATA_KEY_BYTES = 32
# Argon2id at 64 MiB and 3 passes: slow to guess PINs, still quick to sign in on 2 cores.
KDF_PARAMS = {"time_cost": 3, "memory_cost": 65536, "parallelism": 2}
FORMAT = 2  # 2: slots may hold boxed keys, which a Lifeboat reading format 1 cannot open
READABLE_FORMATS = (1, 2)
_BOX_INFO = b"lifeboat keyslot box v1"


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
    public: bytes = b""
    """The slot's X25519 public key (``wrapped`` then seals its private half); empty in a slot
    that wraps the data key under the PIN directly."""
    box: bytes = b""
    """The data key boxed to ``public``: ephemeral public key, nonce, ciphertext."""

    @property
    def boxed(self) -> bool:
        """Whether the data key can be re-wrapped into this slot without its user's PIN."""
        return bool(self.public)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "username": self.username, "salt": _b64(self.salt), "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped), "kdf": {"alg": "argon2id", **self.kdf},
            "created": self.created}
        if self.boxed:
            out |= {"public": _b64(self.public), "box": _b64(self.box)}
        return {**out, "must_change": True} if self.must_change else out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Slot:
        kdf = {k: int(v) for k, v in raw["kdf"].items() if k != "alg"}
        return cls(raw["username"], _unb64(raw["salt"]), _unb64(raw["nonce"]),
                   _unb64(raw["wrapped"]), kdf, float(raw.get("created", 0.0)),
                   bool(raw.get("must_change", False)), _unb64(raw.get("public", "")),
                   _unb64(raw.get("box", "")))


def new_data_key() -> bytes:
    return os.urandom(DATA_KEY_BYTES)


def _derive(pin: str, salt: bytes, kdf: dict[str, int]) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(pin.encode("utf-8"), salt, time_cost=kdf["time_cost"],
                           memory_cost=kdf["memory_cost"], parallelism=kdf["parallelism"],
                           hash_len=32, type=Type.ID)


def _private_aad(username: str) -> bytes:
    # Differs from a direct slot's associated data, so neither kind opens as the other.
    return b"lifeboat-slot-x25519:" + username.encode()


def seal(username: str, pin: str, data_key: bytes, kdf: dict[str, int] | None = None, *,
         must_change: bool = False, created: float | None = None) -> Slot:
    """A new slot for ``username``: a fresh key pair, its private half sealed under ``pin``."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kdf = dict(kdf or KDF_PARAMS)
    salt, nonce = os.urandom(16), os.urandom(12)
    private = X25519PrivateKey.generate()
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    wrapped = AESGCM(_derive(pin, salt, kdf)).encrypt(nonce, raw, _private_aad(username))
    public = private.public_key().public_bytes(serialization.Encoding.Raw,
                                               serialization.PublicFormat.Raw)
    return Slot(username, salt, nonce, wrapped, kdf,
                time.time() if created is None else created, must_change, public,
                _box(username, public, data_key))


def rewrap(slot: Slot, data_key: bytes) -> Slot:
    """``slot`` opening ``data_key`` instead, for the same PIN (no PIN needed to do it)."""
    if not slot.boxed:
        raise StoreError(f"{slot.username}'s key slot is of the older kind, which only their "
                         "PIN can re-wrap.",
                         hint=f"Ask {slot.username} to sign in once (that upgrades it), or "
                              "disable the account.")
    return Slot(slot.username, slot.salt, slot.nonce, slot.wrapped, slot.kdf, slot.created,
                slot.must_change, slot.public, _box(slot.username, slot.public, data_key))


def unseal(slot: Slot, pin: str) -> bytes:
    """The data key, or AuthError when ``pin`` is wrong."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kek = AESGCM(_derive(pin, slot.salt, slot.kdf))
    try:
        if not slot.boxed:
            return kek.decrypt(slot.nonce, slot.wrapped, slot.username.encode())
        raw = kek.decrypt(slot.nonce, slot.wrapped, _private_aad(slot.username))
    except InvalidTag:
        raise AuthError("Wrong PIN.", hint="Check the PIN and try again.") from None
    return _unbox(slot, X25519PrivateKey.from_private_bytes(raw))


def _box_key(shared: bytes, ephemeral: bytes, public: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=_BOX_INFO + ephemeral + public).derive(shared)


def _box(username: str, public: bytes, data_key: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    ephemeral = X25519PrivateKey.generate()
    eph = ephemeral.public_key().public_bytes(serialization.Encoding.Raw,
                                              serialization.PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    nonce = os.urandom(12)
    sealed = AESGCM(_box_key(shared, eph, public)).encrypt(nonce, data_key, username.encode())
    return eph + nonce + sealed


def _unbox(slot: Slot, private: X25519PrivateKey) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    eph, nonce, sealed = slot.box[:32], slot.box[32:44], slot.box[44:]
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(eph))
        return AESGCM(_box_key(shared, eph, slot.public)).decrypt(nonce, sealed,
                                                                  slot.username.encode())
    except (InvalidTag, ValueError):
        raise StoreError(f"{slot.username}'s key slot is damaged: the PIN is right but the "
                         "data key in the slot does not open.",
                         hint="Restore keys/keyslots.json from the same backup as the "
                              "database.") from None


class SlotFile:
    """The on-disk set of slots, rewritten atomically on every change."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, Slot]:
        if not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if raw.get("format") not in READABLE_FORMATS:
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
