"""Ed25519 keys and signatures for installer bundles (run with a Python that has ``cryptography``).

    bundle_sign.py keygen KEY.pem            new private key (0600) and KEY.pem.pub
    bundle_sign.py pubkey KEY.pem OUT.pub    public key (PEM) of a private key
    bundle_sign.py sign KEY.pem FILE SIG     raw 64-byte signature of FILE
    bundle_sign.py verify PUB FILE SIG       exit 0 if SIG is PUB's signature of FILE, else 1
    bundle_sign.py fingerprint PUB           SHA-256 of the public key (what IT publishes)

Signatures are raw Ed25519, so ``openssl pkeyutl -verify -pubin -rawin`` checks them too.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def _private(path: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise SystemExit(f"bundle_sign: cannot read an unencrypted Ed25519 PEM key from "
                         f"{path}: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SystemExit(f"bundle_sign: {path} is not an Ed25519 key")
    return key


def _public(path: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise SystemExit(f"bundle_sign: cannot read a public key from {path}: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise SystemExit(f"bundle_sign: {path} is not an Ed25519 public key")
    return key


def _public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


def fingerprint(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    cmd, args = argv[0], argv[1:]
    if cmd == "keygen" and len(args) == 1:
        out = Path(args[0])
        if out.exists():
            raise SystemExit(f"bundle_sign: {out} exists; refusing to overwrite a signing key")
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        Path(f"{out}.pub").write_bytes(_public_pem(key.public_key()))
        print(fingerprint(key.public_key()))
    elif cmd == "pubkey" and len(args) == 2:
        Path(args[1]).write_bytes(_public_pem(_private(args[0]).public_key()))
    elif cmd == "sign" and len(args) == 3:
        Path(args[2]).write_bytes(_private(args[0]).sign(Path(args[1]).read_bytes()))
    elif cmd == "verify" and len(args) == 3:
        try:
            _public(args[0]).verify(Path(args[2]).read_bytes(), Path(args[1]).read_bytes())
        except InvalidSignature:
            return 1
    elif cmd == "fingerprint" and len(args) == 1:
        print(fingerprint(_public(args[0])))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
