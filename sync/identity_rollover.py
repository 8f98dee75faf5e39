"""Roll this device's Ed25519 identity over at its hub (IT admins, audited).

After a data-key rotation the device key is re-sealed, but a removed user who copied the key
itself while signed in could still sign as the device. A rollover replaces it: a new key is
made and sealed beside the old one, the hub is told (a request signed by the old key, carrying
a signature by the new one; ``sync.key_rollover``), and once the hub's signed answer names the
new key, device.json and the key file switch to it. The hub refuses the old key from then on.

Cut short after the hub accepted: the staged key is kept, and the next attempt, refused under
the old key, is sent again signed by the staged key, which the hub already holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from appliance.security import device_key
from appliance.security.roles import Permission
from sync import key_rollover
from sync import protocol as p
from sync.failover import HubConnection, signed_answer
from sync.hublink import HubLink
from sync.hublink import load as load_link

if TYPE_CHECKING:
    import httpx
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from appliance.session import Session


def rotate_identity(session: Session, reason: str, *, link: HubLink | None = None,
                    http: httpx.Client | None = None) -> dict[str, Any]:
    """Replace the device key at the hub and here; returns the hub's verified receipt.
    Raises SyncError (the device keeps its key) when the hub cannot be reached or refuses."""
    session.require(Permission.MANAGE_DEVICE)
    link = link or load_link(session.device.layout)
    old = session.signing_key()
    new = session.staged_device_key()
    device_id, new_public = session.device_id, device_key.public_pem(new)
    body = key_rollover.request_body(device_id, new)
    conn = HubConnection(link, http=http, timeout=30.0, retry_for_s=30.0)
    try:
        response = _post(conn, old, device_id, body)
        if response.status_code == 401:  # the hub may hold the staged key already
            response = _post(conn, new, device_id, body)
    finally:
        conn.close()
    signed = signed_answer(
        response, "The hub refused the device key rollover",
        "The device keeps its current key; nothing was changed here.",
        "The hub's answer to the key rollover was cut off.",
        "Run it again: the new key is kept until the hub confirms.")
    receipt = key_rollover.check_receipt(link.verify_key(), signed, device_id, new_public)
    session.adopt_staged_device_key()
    session.audit("device_key.rolled_over", subject=device_id,
                  detail={"reason": reason, "hub_id": link.hub_id,
                          "old": fingerprint(old), "new": fingerprint(new)})
    return receipt


def after_rotation(session: Session, reason: str) -> str:
    """After a data-key rotation, with a hub enrolled: the device key is replaced there too, so
    a copy of the old key signs nothing the hub accepts. Says what happened, or what to run."""
    from appliance.errors import LifeboatError, NotEnrolledError
    from sync.hublink import load_pinned

    try:
        load_pinned(session.device.layout)
    except NotEnrolledError:
        return "No hub enrolled: the device key only matters once it is."
    try:
        receipt = rotate_identity(session, reason)
    except LifeboatError as exc:
        return (f"The device key was not replaced at the hub ({exc.message}). Run `lifeboat "
                f"sync rotate-identity --as {session.user.username}` once the hub is reachable.")
    return f"New device key in use; hub {receipt['hub_id']} refuses the old one from now on."


def fingerprint(key: Ed25519PrivateKey) -> str:
    """A short name for a device key, for the audit log and the admin's screen."""
    import hashlib

    return hashlib.sha256(device_key.public_pem(key).encode()).hexdigest()[:16]


def _post(conn: HubConnection, key: Ed25519PrivateKey, device_id: str,
          body: bytes) -> httpx.Response:
    def send(http: httpx.Client) -> httpx.Response:
        headers = p.sign_request(key, device_id, "POST", key_rollover.ROLLOVER_PATH, body)
        headers["content-type"] = "application/json"
        return http.post(key_rollover.ROLLOVER_PATH, content=body, headers=headers)

    return conn.request(send)
