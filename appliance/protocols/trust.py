"""Publisher keys: Ed25519 key files, key ids, and the device's trust store.

The trust store is ``layout().trust_store``: one PEM public key per file. A device trusts only the
keys its IT admin adds (``lifeboat protocols trust add KEYFILE``). The sample publisher key in
``sample_keys/`` is for DEMO devices and tests only: its private half is public in this repo.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from appliance.errors import PackError
from appliance.fsutil import atomic_write_bytes

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

    from appliance.paths import Layout

SAMPLE_KEYS = Path(__file__).resolve().parent / "sample_keys"
SAMPLE_PRIVATE_KEY = SAMPLE_KEYS / "sample_publisher_DEMO_ONLY.pem"
SAMPLE_PUBLIC_KEY = SAMPLE_KEYS / "sample_publisher_DEMO_ONLY.pub"


def key_id(public_key: Ed25519PublicKey) -> str:
    """Short stable id of a public key: the first 16 hex digits of sha256(raw key)."""
    from cryptography.hazmat.primitives import serialization

    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Read an Ed25519 public key (PEM), or the public half of a private key file."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    data = _read(path)
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:  # not a public key: perhaps the private key it belongs to
        return load_private_key(path).public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise PackError(f"{path} is not an Ed25519 key.", hint="Packs are signed with Ed25519.")
    return key


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Read an unencrypted Ed25519 private key (PEM) used to sign packs."""
    from appliance.security.key_files import load_private_key as load

    return load(path, "Ed25519", what="The key file", error=PackError,
                corrupt_hint="Make one with: lifeboat protocols keygen NAME")


def generate_keypair(private_path: Path) -> Path:
    """Write a new Ed25519 key pair: ``private_path`` (PEM, 0600) and the same name ``.pub``
    (0644)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if private_path.exists():
        raise PackError(f"{private_path} already exists; refusing to overwrite a key.")
    key = Ed25519PrivateKey.generate()
    atomic_write_bytes(private_path, key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    public_path = private_path.with_suffix(".pub")
    atomic_write_bytes(public_path, _public_pem(key.public_key()), mode=0o644)
    os.chmod(public_path, 0o644)  # handed out to devices: readable whatever the umask
    return public_path


def trusted_keys(lay: Layout) -> dict[str, Ed25519PublicKey]:
    """Key id -> public key for every key in the trust store (unreadable files are skipped)."""
    keys: dict[str, Ed25519PublicKey] = {}
    if not lay.trust_store.is_dir():
        return keys
    for path in sorted(lay.trust_store.glob("*.pem")):
        try:
            key = load_public_key(path)
        except PackError:
            continue
        keys[key_id(key)] = key
    return keys


def trust_key(lay: Layout, path: Path, name: str | None = None) -> str:
    """Add a publisher's public key to the trust store; returns its key id."""
    key = load_public_key(path)
    kid = key_id(key)
    label = re.sub(r"[^A-Za-z0-9_.-]+", "_", name or path.name.split(".")[0])[:40]
    lay.trust_store.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(lay.trust_store / f"{label}-{kid}.pem", _public_pem(key), mode=0o644)
    return kid


def untrust_key(lay: Layout, kid: str) -> None:
    """Remove a key from the trust store by key id."""
    found = [p for p in lay.trust_store.glob(f"*-{kid}.pem")] if lay.trust_store.is_dir() else []
    if not found:
        raise PackError(f"No trusted key with id {kid}.", hint="See: lifeboat protocols trust list")
    for p in found:
        p.unlink()


def trust_sample_key(lay: Layout) -> str:
    """Trust the DEMO sample publisher (demo devices and tests only)."""
    return trust_key(lay, SAMPLE_PUBLIC_KEY, name="sample_publisher_DEMO_ONLY")


def _public_pem(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PackError(f"Cannot read key file {path}: {exc.strerror or exc}.") from exc
