"""The pack manifest (``manifest.json``) and its detached Ed25519 signature (``manifest.sig``).

The signature covers the exact bytes of ``manifest.json``; the manifest lists every other file in
the pack with its sha256, so one signature check plus the hashes proves the whole pack.
``manifest.sig`` is a small JSON object ``{"key_id": ..., "signature": <base64>}`` so a device
can tell "signed by a publisher I do not trust" from "signature does not match".

A pack that declares its own document categories carries them in the manifest (``categories``),
so they are signed with everything else; the field is left out when the pack uses the defaults.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from appliance.errors import PackError
from appliance.protocols.documents import CATEGORIES, check_categories

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

FORMAT = "lifeboat-pack/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PACK_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class Manifest:
    """What a publisher signs: who made the pack, when, and the hash of every file."""

    pack_id: str
    version: str
    publisher: str
    created: str
    content_as_of: str
    licence: str
    title: str = ""
    files: dict[str, str] = field(default_factory=dict)
    format: str = FORMAT
    categories: tuple[str, ...] = ()
    # The embedder the pack's vectors are for, {"name", "sha256"} of its weights; {}: any.
    embedder: dict[str, str] = field(default_factory=dict)

    @property
    def document_categories(self) -> tuple[str, ...]:
        """The categories this pack's documents may use."""
        return self.categories or CATEGORIES

    def to_bytes(self) -> bytes:
        """Canonical bytes: sorted keys, two-space indent, trailing newline."""
        body = asdict(self)
        if not self.categories:  # packs on the default list keep the original format
            del body["categories"]
        else:
            body["categories"] = list(self.categories)
        if not self.embedder:
            del body["embedder"]
        return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_manifest(raw: bytes) -> Manifest:
    """Parse ``manifest.json`` strictly; PackError names the problem."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackError(f"manifest.json is not valid JSON: {exc}.") from exc
    if not isinstance(data, dict):
        raise PackError("manifest.json must be a JSON object.")
    if data.get("format") != FORMAT:
        raise PackError(f"manifest.json: unsupported format {data.get('format')!r} "
                        f"(this Lifeboat reads {FORMAT}).",
                        hint="Update Lifeboat or ask the publisher for a compatible pack.")
    known = {"format", "pack_id", "version", "publisher", "created", "content_as_of", "licence",
             "title", "files", "categories", "embedder"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise PackError(f"manifest.json: unknown field(s) {unknown}.")
    for key in ("pack_id", "version", "publisher", "created", "content_as_of", "licence"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise PackError(f"manifest.json: '{key}' must be a non-empty string.")
    if not _PACK_ID.match(data["pack_id"]) or not _PACK_ID.match(data["version"]):
        raise PackError("manifest.json: pack_id and version may use only a-z, 0-9, '.', '_', '-'.")
    try:
        dt.date.fromisoformat(data["content_as_of"][:10])
    except ValueError as exc:
        raise PackError(f"manifest.json: content_as_of {data['content_as_of']!r} is not a "
                        "date.") from exc
    files = data.get("files")
    if not isinstance(files, dict):
        raise PackError("manifest.json: 'files' must map each file path to its sha256.")
    for path, digest in files.items():
        check_relpath(path)
        if path in (MANIFEST, SIGNATURE):
            raise PackError(f"manifest.json must not list {path}.")
        if not isinstance(digest, str) or not _SHA256.match(digest):
            raise PackError(f"manifest.json: {path} has no valid sha256.")
    categories: tuple[str, ...] = ()
    if "categories" in data:
        categories = check_categories(data["categories"], "manifest.json")
    embedder = check_embedder(data.get("embedder", {}), "manifest.json")
    return Manifest(**{**data, "title": data.get("title", ""), "categories": categories,
                       "embedder": embedder})


def check_embedder(value: Any, where: str) -> dict[str, str]:
    """A declared embedder: ``{name, sha256}`` of its weights file; PackError otherwise."""
    if value == {}:
        return {}
    if (not isinstance(value, dict) or set(value) != {"name", "sha256"}
            or not isinstance(value["name"], str) or not value["name"]
            or not isinstance(value["sha256"], str) or not _SHA256.match(value["sha256"])):
        raise PackError(f"{where}: 'embedder' must give the embedding model's name and the "
                        "sha256 of its weights (64 lower-case hex digits), e.g. "
                        '[embedder] name = "all-MiniLM-L6-v2", sha256 = "53aa…".')
    return {"name": value["name"], "sha256": value["sha256"]}


def check_relpath(path: str) -> str:
    """Refuse paths that could escape the pack directory (absolute, '..', backslashes)."""
    parts = path.split("/")
    if (not path or path.startswith("/") or "\\" in path or "\x00" in path
            or any(p in ("", ".", "..") for p in parts) or re.match(r"^[A-Za-z]:", path)):
        raise PackError(f"Refused path {path!r}: it could escape the pack directory.",
                        hint="The pack is malformed or malicious; ask the publisher for a new one.")
    return path


def sign(manifest_bytes: bytes, private_key: Ed25519PrivateKey) -> bytes:
    """The ``manifest.sig`` bytes for ``manifest_bytes``."""
    from appliance.protocols.trust import key_id

    sig = private_key.sign(manifest_bytes)
    body = {"key_id": key_id(private_key.public_key()),
            "signature": base64.b64encode(sig).decode("ascii")}
    return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("utf-8")


def verify_signature(manifest_bytes: bytes, sig_bytes: bytes,
                     trusted: dict[str, Ed25519PublicKey]) -> str:
    """Check ``manifest.sig`` against the trust store; returns the signer's key id."""
    from cryptography.exceptions import InvalidSignature

    try:
        body: Any = json.loads(sig_bytes.decode("utf-8"))
        kid = body["key_id"]
        sig = base64.b64decode(body["signature"], validate=True)
        if not isinstance(kid, str):
            raise TypeError("key_id")
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError,
            binascii.Error) as exc:
        raise PackError("manifest.sig is malformed: the pack signature cannot be read.") from exc
    key = trusted.get(kid)
    if key is None:
        raise PackError(f"Unknown signer: the pack is signed by key {kid}, which this device "
                        "does not trust.",
                        hint="If the publisher is genuine, an IT admin can add their public key "
                             "with: lifeboat protocols trust add KEYFILE")
    try:
        key.verify(sig, manifest_bytes)
    except InvalidSignature as exc:
        raise PackError(f"Wrong signature: manifest.json does not match the signature by key "
                        f"{kid}; the pack was altered after signing.",
                        hint="Do not use this pack; get a fresh copy from the publisher.") from exc
    return kid
