"""The device's pinned knowledge of its hub, stored in ``hub.json`` beside ``config.toml``.

Enrolment (``lifeboat sync enrol --hub URL --code CODE``) writes it: the hub's URL, id, Ed25519
key (receipts, manifests) and X25519 key (USB bundles). The code itself never leaves the device:
the request carries a MAC keyed from it, and the hub answers with a MAC keyed from it too, so a
machine in the middle can neither learn the code nor substitute its own keys. Only https:// hubs
are reached (plain http:// to this machine only, for tests and a hub on the same box). A non-empty
``[sync] hub_url`` in config.toml no longer redirects the device: one that differs from the pinned
address is refused with what to do, and a hub that moved is re-pointed by an IT admin
(``lifeboat sync hub-urls URL --as ITADMIN``, audited). The keys only ever come from
``hub.json``.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from appliance.errors import ConfigError, NotEnrolledError, StoreError, SyncError
from appliance.fsutil import atomic_write_json
from appliance.paths import Layout
from sync import protocol as p

if TYPE_CHECKING:
    from appliance.session import Session


@dataclass(frozen=True)
class HubLink:
    url: str
    hub_id: str
    signing_key: str
    box_key: str
    enrolled_at: str
    ca_cert: str = ""
    """PEM of the CA that signed the hub's TLS certificate ("" = the system's trusted CAs)."""
    alternates: tuple[str, ...] = ()
    """More addresses of the same hub (other processes), tried in turn when ``url`` fails."""

    def all_urls(self) -> list[str]:
        """Every address of the hub, ``url`` first, without repeats."""
        return list(dict.fromkeys([self.url, *self.alternates]))

    def http_client(self, timeout: Any = 30.0, *, url: str | None = None,
                    auth: Any = None) -> Any:
        """An httpx client for the hub (at ``url``, default the first address), trusting
        ``ca_cert`` when one was pinned; ``auth`` (:func:`device_auth`) signs every request as
        this device."""
        import httpx

        p.require_secure_url(self.url)
        verify: Any = True
        if self.ca_cert:
            import ssl

            verify = ssl.create_default_context(cadata=self.ca_cert)
        return httpx.Client(base_url=url or self.url, timeout=timeout, verify=verify, auth=auth)

    def verify_key(self) -> Ed25519PublicKey:
        key = serialization.load_pem_public_key(self.signing_key.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise StoreError("The pinned hub signing key is not Ed25519.")
        return key

    def box_public(self) -> X25519PublicKey:
        key = serialization.load_pem_public_key(self.box_key.encode())
        if not isinstance(key, X25519PublicKey):
            raise StoreError("The pinned hub USB key is not X25519.")
        return key


def device_auth(session: Session) -> Any:
    """httpx auth signing each request as the session's device, as sync requests are: the hub
    serves its downloads only to enrolled devices. Requests signed already are left alone."""
    key, device_id = session.signing_key(), session.device_id

    def sign(request: Any) -> Any:  # a plain callable: httpx and the test client take both
        if p.H_SIGNATURE not in request.headers:
            request.headers.update(p.sign_request(key, device_id, request.method,
                                                  request.url.path, request.content))
        return request

    return sign


def path_for(lay: Layout) -> Any:
    return lay.root / "hub.json"


def load_pinned(lay: Layout) -> HubLink:
    """``hub.json`` as enrolment wrote it, or NotEnrolledError with what to do."""
    try:
        raw = json.loads(path_for(lay).read_text(encoding="utf-8"))
        raw["alternates"] = tuple(raw.get("alternates", ()))
        link = HubLink(**raw)
    except FileNotFoundError:
        raise NotEnrolledError("This device is not enrolled with a hub.",
                               hint="Ask IT for an enrolment code, then run `lifeboat sync "
                                    "enrol --hub URL --code CODE --as ITADMIN`.") from None
    except (ValueError, TypeError) as exc:
        raise StoreError(f"{path_for(lay)} is corrupt.",
                         hint="Enrol with the hub again.") from exc
    return link


def load(lay: Layout) -> HubLink:
    """The pinned hub, checked against config.toml (which may not redirect it)."""
    from appliance import config as config_mod

    link = load_pinned(lay)

    settings = config_mod.load(lay.config).sync
    if settings.hub_public_key.strip() and \
            settings.hub_public_key.strip() != link.signing_key.strip():
        raise ConfigError("[sync] hub_public_key in config.toml is not the key this device "
                          "pinned when it enrolled.",
                          hint="Remove hub_public_key from config.toml, or enrol again.")
    wanted = settings.hub_url.strip().rstrip("/")
    if wanted and wanted != link.url.rstrip("/"):
        raise ConfigError(f"[sync] hub_url in config.toml ({wanted}) is not the hub this device "
                          f"enrolled with ({link.url}); records are not sent to it.",
                          hint="Remove hub_url from config.toml. If the hub moved, an IT admin "
                               "runs `lifeboat sync hub-urls URL --as ITADMIN`.")
    return link


def enrol(lay: Layout, url: str, code: str, *, client: Any | None = None,
          ca_cert: str = "") -> HubLink:
    """Present this device's key and the one-time code to the hub; pin the keys it returns.

    ``ca_cert`` (PEM) is the CA that signed the hub's TLS certificate, when it is the Trust's
    own CA rather than one the system already trusts.
    """
    import httpx

    from appliance.device import Device

    p.require_secure_url(url)
    device = Device(lay)
    secret = p.code_hash(code)
    body = {"device_id": device.info.device_id, "public_key": device.info.public_key,
            "nonce": p.new_nonce()}
    proof = p.enrolment_proof(secret, body)
    http = client or HubLink(url, "", "", "", "", ca_cert).http_client(15.0)
    try:
        response = http.post("/v1/enrol", content=p.canonical({**body, "proof": proof}),
                             headers={"content-type": "application/json"})
    except httpx.HTTPError as exc:
        raise SyncError(f"Cannot reach the hub at {url}: {exc}.",
                        hint="Check the address and the network, then try again.") from exc
    finally:
        if client is None:
            http.close()
    if response.status_code != 200:
        raise SyncError(f"The hub refused enrolment: {_error_text(response)}",
                        hint="Ask IT for a new enrolment code.")
    data = response.json()
    keys, mac = data.get("keys"), data.get("mac")
    if not isinstance(keys, dict) or not isinstance(mac, str) or not hmac.compare_digest(
            p.enrolment_mac(secret, proof, keys), mac):
        raise SyncError("The hub's answer does not match the enrolment code: it may not be "
                        "your hospital's hub. Nothing was saved.")
    link = HubLink(url=url.rstrip("/"), hub_id=keys["hub_id"], signing_key=keys["signing_key"],
                   box_key=keys["box_key"], enrolled_at=p.iso(p.utc_now()), ca_cert=ca_cert)
    link.verify_key()
    link.box_public()
    atomic_write_json(path_for(lay), asdict(link))
    return link


def _error_text(response: Any) -> str:
    try:
        return str(response.json().get("error"))
    except ValueError:
        return f"HTTP {response.status_code}"
