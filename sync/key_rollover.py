"""Device identity rollover: the device replaces its Ed25519 key at the hub.

The request is a normal signed request (headers signed by the key the hub knows now) whose body
names the new public key and carries a signature by the new key over the same statement, so the
hub learns that whoever holds the old key also holds the new one. The hub swaps the key, keeps
the old one as retired (never accepted again) and answers with a receipt signed by its key.

A removed user who copied the old key can then sign nothing the hub accepts; the device signs
with the new key, sealed under the data key of the session that rolled it over.
"""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from appliance.errors import SyncError
from appliance.security.device_key import load_public_pem, public_pem
from sync import protocol as p

ROLLOVER_PATH = "/v1/identity/rotate"
_PURPOSE = "lifeboat device key rollover v1"
_FIELDS = ("v", "device_id", "new_public_key", "nonce", "issued_at")


def _statement(fields: dict[str, Any]) -> bytes:
    return p.canonical({"purpose": _PURPOSE, **{k: fields[k] for k in _FIELDS}})


def request_body(device_id: str, new_key: Ed25519PrivateKey) -> bytes:
    """The body of a rollover request: the new public key, signed by the new key."""
    fields = {"v": p.VERSION, "device_id": device_id, "new_public_key": public_pem(new_key),
              "nonce": p.new_nonce(), "issued_at": p.iso(p.utc_now())}
    return p.canonical({**fields,
                        "new_key_signature": p.b64(new_key.sign(_statement(fields)))})


def check_body(body: bytes, device_id: str) -> str:
    """The new public key (PEM) when the body is for ``device_id`` and the new key signed it;
    raises SyncError otherwise."""
    obj = p.parse_json_object(body, "key rollover request")
    if set(obj) != {*_FIELDS, "new_key_signature"} or obj["device_id"] != device_id \
            or obj["v"] != p.VERSION or not all(isinstance(obj[k], str) for k in _FIELDS[1:]):
        raise SyncError("The key rollover request is malformed or for another device.")
    try:
        new = load_public_pem(obj["new_public_key"])
    except (ValueError, TypeError):
        raise SyncError("The new device key is not an Ed25519 public key.") from None
    try:
        new.verify(p.unb64(obj["new_key_signature"], "new key signature"), _statement(obj))
    except InvalidSignature:
        raise SyncError("The new key did not sign the rollover request.") from None
    return public_pem(new)


def check_receipt(hub_key: Ed25519PublicKey, signed: Any, device_id: str,
                  new_public: str) -> dict[str, Any]:
    """The hub's signed answer, when it names this device and the new key."""
    if not isinstance(signed, dict) or not isinstance(signed.get("receipt"), dict) \
            or not isinstance(signed.get("signature"), str):
        raise SyncError("The hub's answer to the key rollover is malformed.")
    receipt: dict[str, Any] = signed["receipt"]
    try:
        hub_key.verify(p.unb64(signed["signature"], "receipt signature"), p.canonical(receipt))
    except InvalidSignature:
        raise SyncError("The hub's answer to the key rollover is not signed by the hub this "
                        "device is enrolled with.") from None
    if receipt.get("device_id") != device_id or receipt.get("kind") != "key_rollover" \
            or str(receipt.get("public_key", "")).strip() != new_public.strip():
        raise SyncError("The hub's answer names another device or key.")
    return receipt
