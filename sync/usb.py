"""USB bundles for when there is no network at all.

A bundle is ``MAGIC`` followed by canonical JSON ``{"header", "ciphertext", "signature"}``. The
content (the same body an HTTP sync sends) is encrypted to the hub's X25519 key: an ephemeral
X25519 key, HKDF-SHA256 and AES-256-GCM with the header as associated data. The device's Ed25519
key signs the header and the ciphertext's hash, so the hub can tell who wrote the bundle and that
no byte changed before it decrypts anything. The hub answers with a receipt file signed like an
HTTP receipt; importing the same bundle twice stores nothing new and yields the same
acknowledgements.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from appliance.errors import SyncError
from appliance.fsutil import atomic_write_bytes
from sync import outbox
from sync import protocol as p

if TYPE_CHECKING:
    from appliance.session import Session
    from sync.hublink import HubLink

MAGIC = b"LIFEBOAT-USB-BUNDLE-1\n"
RECEIPT_MAGIC = b"LIFEBOAT-USB-RECEIPT-1\n"
MAX_BUNDLE_BYTES = 512 * 1024 * 1024
_INFO = b"lifeboat usb bundle v1"


def _raw(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _aead_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient,
                info=_INFO).derive(shared)


def _signed_bytes(header: dict[str, Any], ciphertext: bytes) -> bytes:
    return p.canonical(header) + hashlib.sha256(ciphertext).digest()


def seal_bundle(content: dict[str, Any], *, device_id: str, hub_id: str,
                device_key: Ed25519PrivateKey, hub_box: X25519PublicKey) -> bytes:
    """Encrypt ``content`` to the hub and sign it as this device."""
    ephemeral = X25519PrivateKey.generate()
    eph_raw, hub_raw = _raw(ephemeral.public_key()), _raw(hub_box)
    nonce = os.urandom(12)
    header = {"v": 1, "bundle_id": p.new_nonce(), "device_id": device_id, "hub_id": hub_id,
              "created_at": p.iso(p.utc_now()), "ephemeral_key": p.b64(eph_raw),
              "nonce": p.b64(nonce), "events": len(content.get("events", []))}
    key = _aead_key(ephemeral.exchange(hub_box), eph_raw, hub_raw)
    ciphertext = AESGCM(key).encrypt(nonce, p.canonical(content), p.canonical(header))
    signature = device_key.sign(_signed_bytes(header, ciphertext))
    return MAGIC + p.canonical({"header": header, "ciphertext": p.b64(ciphertext),
                                "signature": p.b64(signature)})


def _envelope(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_BUNDLE_BYTES:
        raise SyncError("The bundle is too large to be a Lifeboat bundle.")
    if not data.startswith(MAGIC):
        raise SyncError("This file is not a Lifeboat USB bundle.",
                        hint="Use the file written by `lifeboat sync export`.")
    env = p.parse_json_object(data[len(MAGIC):], "bundle")
    header = env.get("header")
    if not isinstance(header, dict) or not isinstance(env.get("ciphertext"), str) \
            or not isinstance(env.get("signature"), str):
        raise SyncError("The bundle is damaged (missing parts).")
    if header.get("v") != 1 or not p.is_ulid(header.get("device_id")) \
            or not isinstance(header.get("bundle_id"), str):
        raise SyncError("The bundle header is damaged or from an unknown version.")
    return env


def read_header(data: bytes) -> dict[str, Any]:
    """The bundle's header (unauthenticated until :func:`open_bundle` verifies it)."""
    return dict(_envelope(data)["header"])


def open_bundle(data: bytes, device_public: Ed25519PublicKey,
                box_key: X25519PrivateKey) -> dict[str, Any]:
    """Verify the device's signature, then decrypt; any change to any byte is refused."""
    env = _envelope(data)
    header = env["header"]
    ciphertext = p.unb64(env["ciphertext"], "bundle content")
    try:
        device_public.verify(p.unb64(env["signature"], "bundle signature"),
                             _signed_bytes(header, ciphertext))
    except InvalidSignature:
        raise SyncError("The bundle's signature does not verify: it was altered or not "
                        "written by the device it names. Nothing was imported.") from None
    try:
        eph = X25519PublicKey.from_public_bytes(p.unb64(str(header["ephemeral_key"]), "key"))
        key = _aead_key(box_key.exchange(eph), _raw(eph), _raw(box_key.public_key()))
        plain = AESGCM(key).decrypt(p.unb64(str(header["nonce"]), "nonce"), ciphertext,
                                    p.canonical(header))
    except (InvalidTag, ValueError, KeyError) as exc:
        raise SyncError("The bundle cannot be decrypted with this hub's key: it was made "
                        "for another hub. Nothing was imported.") from exc
    return p.parse_json_object(plain, "bundle content")


def check_export_path(data_dir: Path, path: Path) -> Path:
    """``path`` when a bundle may be written there: a ``.lbundle`` name, inside the data
    directory only under ``exports/``, and never over a file that is not itself a bundle (a
    typed path like ``keys/keyslots.json`` would otherwise destroy every user's key slot)."""
    from appliance.errors import ValidationError
    from appliance.exports import refuse_inside_data_dir

    target = Path(path).expanduser().absolute()
    resolved = target.resolve()
    refuse_inside_data_dir(data_dir, target, "bundles")
    if target.suffix != ".lbundle":
        raise ValidationError(f"{target.name} is not a bundle name: it must end in .lbundle. "
                              "Nothing was written.", field="path")
    if target.is_symlink() or (resolved.exists() and not _is_bundle(resolved)):
        raise ValidationError(f"{target} exists and is not a Lifeboat bundle; it was left as "
                              "it was.", field="path", hint="Choose a new file name.")
    return target


def _is_bundle(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def export_bundle(session: Session, link: HubLink, path: Path) -> dict[str, Any]:
    """Write every pending event to ``path`` (encrypted, signed); returns a summary."""
    from sync.client import device_status

    path = check_export_path(session.device.layout.root, path)
    db, device_id = session.db, session.device_id
    events = outbox.all_pending(db)
    stats = outbox.stats(db, device_id)
    content = {"v": p.VERSION, "device_id": device_id, "events": events,
               "status": device_status(session, stats, final=False) | {"via": "usb"}}
    data = seal_bundle(content, device_id=device_id, hub_id=link.hub_id,
                       device_key=session.signing_key(),
                       hub_box=link.box_public())
    atomic_write_bytes(path, data)
    session.audit("sync.exported", subject=str(path), detail={"events": len(events),
                                                               "bytes": len(data)})
    return {"path": str(path), "events": len(events), "bytes": len(data)}


def write_receipt(path: Path, signed: dict[str, Any]) -> None:
    atomic_write_bytes(path, RECEIPT_MAGIC + p.canonical(signed), mode=0o644)


def newest_receipt(folder: Path) -> Path | None:
    """The most recently written ``*.receipt`` in ``folder`` (the stick IT brought back)."""
    try:
        found = [(f.stat().st_mtime, f) for f in folder.glob("*.receipt") if f.is_file()]
    except OSError:
        return None
    return max(found)[1] if found else None


def import_receipt(session: Session, link: HubLink, path: Path) -> dict[str, Any]:
    """Verify a hub receipt file and mark its events acknowledged (re-importing is harmless)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SyncError(f"Cannot read {path}: {exc.strerror}.") from exc
    if not data.startswith(RECEIPT_MAGIC):
        raise SyncError("This file is not a Lifeboat hub receipt.",
                        hint="Use the file written by `lifeboat hub import`.")
    signed = p.parse_json_object(data[len(RECEIPT_MAGIC):], "receipt")
    receipt = p.verify_receipt(link.verify_key(), signed, session.device_id)
    acked, quarantined = outbox.apply_receipt(session.db, receipt, sent=None,
                                              user_id=session.user.id, via="usb")
    return {"receipt_id": receipt["receipt_id"], "acked": acked, "quarantined": quarantined,
            "already_acked": len(receipt["acked"]) - acked}


def bundle_summary(data: bytes) -> dict[str, Any]:
    header = read_header(data)
    return {k: header[k] for k in ("bundle_id", "device_id", "created_at", "events")
            if k in header} | {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
