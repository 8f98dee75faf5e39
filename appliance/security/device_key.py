"""The device's Ed25519 identity: signs sync requests, USB bundles and receipts it checks.

The private key is stored sealed under the data key (AES-256-GCM with a key derived from it by
HKDF), so it opens only inside a signed-in session: a copy of the disk without a user's PIN
cannot sign as this device. A key written in clear by an older Lifeboat is sealed at the next
sign-in (:func:`seal_if_plain`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from appliance.errors import StoreError
from appliance.fsutil import atomic_write_bytes

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

# cryptography is imported where a key is used, not at import: the sign-in screen needs none.

SEALED_MAGIC = b"LIFEBOAT-SEALED-ED25519-1\n"
_PEM_START = b"-----BEGIN"


def _wrapping_key(data_key: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"lifeboat device signing key v1").derive(data_key)


def _raw(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def write_sealed(path: Path, key: Ed25519PrivateKey, data_key: bytes) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    sealed = AESGCM(_wrapping_key(data_key)).encrypt(nonce, _raw(key), SEALED_MAGIC)
    atomic_write_bytes(path, SEALED_MAGIC + nonce + sealed, mode=0o600)


def generate(path: Path, data_key: bytes) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    write_sealed(path, key, data_key)
    return key


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise StoreError(f"The device key {path} is missing.",
                         hint="Restore it from backup or re-enrol with `lifeboat init`.") from None
    if os.stat(path).st_mode & 0o077:
        os.chmod(path, 0o600)
    return data


def next_path(path: Path) -> Path:
    """Where a key rollover keeps the new key (sealed) until the hub has accepted it."""
    return path.with_name(path.name + ".next")


def stage_next(path: Path, data_key: bytes) -> Ed25519PrivateKey:
    """The key a rollover moves to: the one a rollover cut short left staged, else a new one
    (sealed under the data key, durably, before the hub hears of it)."""
    staged = next_path(path)
    if staged.exists():
        try:
            return load_sealed(staged, data_key)
        except StoreError:
            pass  # staged under an earlier data key: the hub cannot have it in use yet
    return generate(staged, data_key)


def adopt_next(path: Path) -> None:
    """The staged key replaces the device key (atomically, durably)."""
    from appliance.fsutil import fsync_dir

    os.replace(next_path(path), path)
    fsync_dir(path.parent)


def is_sealed(path: Path) -> bool:
    """True when the key file is sealed (False when it is a plain PEM; StoreError if missing)."""
    return _read(path).startswith(SEALED_MAGIC)


def load_sealed(path: Path, data_key: bytes) -> Ed25519PrivateKey:
    """The device key, unsealed with the data key of a signed-in session."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    data = _read(path)
    if data.startswith(_PEM_START):
        return _load_pem(path, data)  # not yet sealed: the sign-in that follows seals it
    body = data[len(SEALED_MAGIC):]
    if not data.startswith(SEALED_MAGIC) or len(body) < 12 + 32 + 16:
        raise StoreError(f"The device key {path} is corrupt.", hint="Restore it from backup.")
    try:
        raw = AESGCM(_wrapping_key(data_key)).decrypt(body[:12], body[12:], SEALED_MAGIC)
    except InvalidTag:
        raise StoreError(f"The device key {path} does not open with this device's data key.",
                         hint="Restore the keys directory from the same backup as the "
                              "database.") from None
    return Ed25519PrivateKey.from_private_bytes(raw)


def seal_if_plain(path: Path, data_key: bytes) -> bool:
    """Seal a key an older Lifeboat wrote in clear; True when it did."""
    data = _read(path)
    if not data.startswith(_PEM_START):
        return False
    write_sealed(path, _load_pem(path, data), data_key)
    return True


def _load_pem(path: Path, data: bytes) -> Ed25519PrivateKey:
    """A key an older Lifeboat wrote in clear (``data`` is what ``path`` held)."""
    from appliance.security.key_files import load_private_key

    del data  # read again by the one PEM key loader, which names the file in its errors
    return load_private_key(path, "Ed25519", what="The device key", error=StoreError,
                            missing_hint="Restore it from backup or re-enrol with "
                                         "`lifeboat init`.")


def public_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return pub.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def load_public_pem(text: str) -> Ed25519PublicKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = serialization.load_pem_public_key(text.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key
