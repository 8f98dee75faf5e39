"""The device → hub wire format: canonical JSON, signed requests, signed receipts.

A sync request is an HTTP POST whose body is canonical JSON. The signature travels in headers and
covers the method, path, device id, nonce, timestamp and the SHA-256 of the body, so the hub can
refuse an unknown device, a stale timestamp, an oversized body or a bad signature before it parses
a single byte of JSON. Receipts are canonical JSON signed by the hub's Ed25519 key; a device
marks events acknowledged only from a receipt whose signature verifies against the key it pinned
at enrolment.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from appliance.errors import SyncError

VERSION = 1
MAX_BODY_BYTES = 8 * 1024 * 1024
"""Largest request body the hub reads; larger ones are refused before parsing."""
MAX_EVENTS_PER_REQUEST = 2000
CLOCK_WINDOW_S = 300.0
"""Requests whose timestamp is further than this from the hub's clock are refused."""
NONCE_TTL_S = 2 * CLOCK_WINDOW_S
"""Nonces are remembered this long: any older request is already refused by its timestamp."""

H_DEVICE = "x-lifeboat-device"
H_NONCE = "x-lifeboat-nonce"
H_TIMESTAMP = "x-lifeboat-timestamp"
H_SIGNATURE = "x-lifeboat-signature"

_NONCE_RE = re.compile(r"^[0-9a-f]{32}$")
_ULID_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


def canonical(obj: Any) -> bytes:
    """Deterministic JSON bytes: sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise SyncError(f"The {what} is not valid base64.") from exc


def new_nonce() -> str:
    return os.urandom(16).hex()


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="milliseconds")


def is_ulid(text: object) -> bool:
    return isinstance(text, str) and bool(_ULID_RE.match(text))


def ids_digest(ids: Iterable[str]) -> str:
    """SHA-256 over sorted event ids; device and hub compare it to prove nothing is missing.

    Contents need no second comparison: the hub acknowledges an id only when the content it
    holds has the same hash as the content sent (anything else is quarantined).
    """
    h = hashlib.sha256()
    for event_id in sorted(ids):
        h.update(event_id.encode("ascii") + b"\n")
    return h.hexdigest()


_PAYLOAD_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                                 allow_nan=False)


def payload_json(payload: dict[str, Any]) -> str:
    return _PAYLOAD_JSON.encode(payload)


def event_hash(event: dict[str, Any], payload_text: str | None = None) -> str:
    """Content hash of one event: the same id with another hash is a conflict, not a duplicate.

    Equal to SHA-256 of ``canonical(event)``; assembled by hand so the hub encodes each payload
    once (``payload_text``) for both storing and hashing.
    """
    text = payload_text if payload_text is not None else payload_json(event["payload"])
    head = _PAYLOAD_JSON.encode({k: event[k] for k in ("device_id", "entity", "entity_id", "id")})
    tail = _PAYLOAD_JSON.encode({k: event[k] for k in ("recorded_at", "type", "user_id")})
    body = f'{head[:-1]},"payload":{text},{tail[1:]}'
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


# -- requests ---------------------------------------------------------------------------------

def signing_bytes(method: str, path: str, device_id: str, nonce: str, timestamp: str,
                  body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join(["lifeboat-sync-v1", method.upper(), path, device_id, nonce, timestamp,
                      digest]).encode("utf-8")


def sign_request(key: Ed25519PrivateKey, device_id: str, method: str, path: str,
                 body: bytes, *, nonce: str | None = None,
                 timestamp: str | None = None) -> dict[str, str]:
    """Headers that authenticate one request."""
    nonce = nonce or new_nonce()
    timestamp = timestamp or iso(utc_now())
    sig = key.sign(signing_bytes(method, path, device_id, nonce, timestamp, body))
    return {H_DEVICE: device_id, H_NONCE: nonce, H_TIMESTAMP: timestamp, H_SIGNATURE: b64(sig)}


@dataclass(frozen=True)
class RequestAuth:
    device_id: str
    nonce: str
    timestamp: datetime
    signature: bytes


def parse_auth_headers(headers: Any) -> RequestAuth:
    """Check the shape of the authentication headers (not yet the signature)."""
    device_id = headers.get(H_DEVICE) or ""
    nonce = headers.get(H_NONCE) or ""
    stamp = headers.get(H_TIMESTAMP) or ""
    sig = headers.get(H_SIGNATURE) or ""
    if not (device_id and nonce and stamp and sig):
        raise SyncError("The request is not signed (missing device, nonce, timestamp or "
                        "signature header).")
    if not is_ulid(device_id):
        raise SyncError("The device id in the request is malformed.")
    if not _NONCE_RE.match(nonce):
        raise SyncError("The request nonce is malformed.")
    try:
        ts = datetime.fromisoformat(stamp)
    except ValueError as exc:
        raise SyncError("The request timestamp is malformed.") from exc
    if ts.tzinfo is None:
        raise SyncError("The request timestamp has no time zone.")
    return RequestAuth(device_id, nonce, ts, unb64(sig, "request signature"))


def check_timestamp(ts: datetime, now: datetime | None = None,
                    window_s: float = CLOCK_WINDOW_S) -> None:
    skew = abs(((now or utc_now()) - ts).total_seconds())
    if skew > window_s:
        raise SyncError(f"The request timestamp is {skew:.0f} s away from the hub's clock.",
                        hint="Set this device's clock (date/time settings) and sync again.")


def verify_request(public: Ed25519PublicKey, auth: RequestAuth, method: str, path: str,
                   body: bytes, stamp_text: str) -> None:
    try:
        public.verify(auth.signature, signing_bytes(method, path, auth.device_id, auth.nonce,
                                                    stamp_text, body))
    except InvalidSignature:
        raise SyncError("The request signature does not verify: it was altered in transit "
                        "or signed by another key.") from None


def parse_json_object(body: bytes, what: str) -> dict[str, Any]:
    try:
        obj = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SyncError(f"The {what} is not valid JSON (truncated or corrupted).") from exc
    if not isinstance(obj, dict):
        raise SyncError(f"The {what} must be a JSON object.")
    return obj


def check_sync_body(obj: dict[str, Any], device_id: str, *,
                    max_events: int | None = MAX_EVENTS_PER_REQUEST,
                    ) -> tuple[list[Any], dict[str, Any]]:
    """Validate the envelope of a sync body; individual events are checked one by one later.

    USB bundles pass ``max_events=None``: one bundle carries a whole outage's records.
    """
    if obj.get("v") != VERSION:
        raise SyncError(f"Unsupported sync protocol version {obj.get('v')!r}.",
                        hint="Update Lifeboat on this device or the hub.")
    if obj.get("device_id") != device_id:
        raise SyncError("The body names a different device than the signature.")
    events = obj.get("events")
    status = obj.get("status", {})
    if not isinstance(events, list) or not isinstance(status, dict):
        raise SyncError("The sync body needs an 'events' list and a 'status' object.")
    if max_events is not None and len(events) > max_events:
        raise SyncError(f"Too many events in one request ({len(events)} > {max_events}).",
                        hint="Lower [sync] batch_size.")
    return events, status


# -- receipts ---------------------------------------------------------------------------------

def sign_receipt(key: Ed25519PrivateKey, receipt: dict[str, Any]) -> dict[str, Any]:
    return {"receipt": receipt, "signature": b64(key.sign(canonical(receipt)))}


def verify_receipt(public: Ed25519PublicKey, signed: Any, device_id: str) -> dict[str, Any]:
    """The receipt inside ``signed`` when the hub's signature verifies and it is for us."""
    if not isinstance(signed, dict) or not isinstance(signed.get("receipt"), dict) \
            or not isinstance(signed.get("signature"), str):
        raise SyncError("The receipt is malformed.")
    receipt: dict[str, Any] = signed["receipt"]
    try:
        public.verify(unb64(signed["signature"], "receipt signature"), canonical(receipt))
    except InvalidSignature:
        raise SyncError("The receipt's signature does not verify: it was not issued by the "
                        "hub this device is enrolled with, or it was altered.",
                        hint="Nothing was marked as synced. Sync again or ask IT.") from None
    if receipt.get("device_id") != device_id:
        raise SyncError("The receipt is for another device.")
    acked = receipt.get("acked")
    quarantined = receipt.get("quarantined")
    if not isinstance(acked, list) or not all(is_ulid(i) for i in acked) \
            or not isinstance(quarantined, list):
        raise SyncError("The receipt is malformed.")
    return receipt


# -- enrolment --------------------------------------------------------------------------------
# The one-time code never travels. The hub keeps only SHA-256 of it (as before); both sides
# derive two keys from that hash: the device proves it knows the code with one, the hub proves
# with the other that its keys come from the hub that issued the code. An eavesdropper sees
# MACs only, and the code's 72 random bits make guessing it from them offline hopeless.

_ENROL_SALT = b"lifeboat-enrol-v1"


def code_hash(code: str) -> str:
    """What the hub stores for a one-time enrolment code (normalised, SHA-256, hex)."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def _enrolment_keys(stored_hash: str) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    okm = HKDF(algorithm=hashes.SHA256(), length=64, salt=_ENROL_SALT,
               info=b"device-proof|hub-proof").derive(bytes.fromhex(stored_hash))
    return okm[:32], okm[32:]


def enrolment_proof(stored_hash: str, request: dict[str, Any]) -> str:
    """The device's proof that it knows the code, over its enrolment request."""
    device_key, _ = _enrolment_keys(stored_hash)
    return hmac.new(device_key, canonical(request), hashlib.sha256).hexdigest()


def enrolment_mac(stored_hash: str, proof: str, keys: dict[str, Any]) -> str:
    """The hub's proof, bound to this request, that ``keys`` come from the code's issuer."""
    _, hub_key = _enrolment_keys(stored_hash)
    return hmac.new(hub_key, canonical({"keys": keys, "proof": proof}),
                    hashlib.sha256).hexdigest()


_LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def is_loopback_host(host: str | None) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1: traffic that never leaves this machine."""
    import ipaddress

    if not host:
        return False
    host = host.strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_secure_url(url: str, what: str = "the hub") -> str:
    """``url`` when it is HTTPS, or plain HTTP to this machine; otherwise refuse."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and is_loopback_host(parts.hostname):
        return url
    raise SyncError(f"Refusing to talk to {what} at {url!r}: only https:// addresses are "
                    "allowed (plain http:// only to this machine), because records and keys "
                    "would cross the network readable by anyone on the path.",
                    hint="Use the https:// address (for the hub, with --ca if the Trust runs "
                         "its own certificate authority).")
