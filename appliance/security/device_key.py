"""The device's Ed25519 identity: signs sync requests, USB bundles and receipts it checks."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from appliance.errors import StoreError
from appliance.fsutil import atomic_write_bytes
from appliance.security.key_files import load_private_key


def generate(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    atomic_write_bytes(path, pem, mode=0o600)
    return key


def load_private(path: Path) -> Ed25519PrivateKey:
    key = load_private_key(path, "Ed25519", what="The device key", error=StoreError,
                           missing_hint="Restore it from backup or re-enrol with `lifeboat init`.")
    if os.stat(path).st_mode & 0o077:
        os.chmod(path, 0o600)
    return key


def public_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return pub.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def load_public_pem(text: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(text.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key
