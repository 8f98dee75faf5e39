"""Changing where a device finds its hub (IT admin only, audited); the pinned keys never change.

A hub that runs as several processes, or moves, keeps its keys: a device that is told a new or an
extra address still accepts only receipts and updates signed by the key it pinned at enrolment,
so a wrong address can delay a sync but never redirect the records to someone else.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from appliance.errors import ValidationError
from appliance.fsutil import atomic_write_json
from appliance.security.roles import Permission
from sync import hublink
from sync.protocol import is_loopback_host

if TYPE_CHECKING:
    from appliance.session import Session

MAX_URLS = 8


def check_url(url: str) -> str:
    """``url`` normalised (no trailing slash), or ValidationError saying what is wrong."""
    text = url.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError(f"{url!r} is not a hub address.",
                              hint="Write it as https://host:port, e.g. "
                                   "https://hub.trust.nhs.uk:8765.")
    if parts.username or parts.password or parts.query or parts.fragment or parts.path:
        raise ValidationError(f"{url!r} has more than a scheme, host and port.",
                              hint="Write it as https://host:port.")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ValidationError(f"{url!r} is not encrypted: records would cross the network "
                              "in the clear.", hint="Use the https:// address of the hub or "
                                                    "of its load balancer.")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        raise ValidationError(f"{url!r} has an invalid port.") from exc
    return text


def change(session: Session, urls: list[str]) -> dict[str, Any]:
    """Set the hub's addresses on this device (first one tried first); returns what changed."""
    session.require(Permission.MANAGE_DEVICE)
    clean = list(dict.fromkeys(check_url(u) for u in urls))
    if not clean:
        raise ValidationError("Give at least one hub address.")
    if len(clean) > MAX_URLS:
        raise ValidationError(f"At most {MAX_URLS} hub addresses.")
    lay = session.device.layout
    hublink.load(lay)  # enrolled, readable and consistent with config.toml, or a clear error
    path = hublink.path_for(lay)
    raw = json.loads(path.read_text(encoding="utf-8"))
    before = [raw["url"], *raw.get("alternates", [])]
    raw["url"], raw["alternates"] = clean[0], clean[1:]
    atomic_write_json(path, raw)
    session.audit("sync.hub_urls_changed", subject=f"hub:{raw['hub_id']}",
                  detail={"from": before, "to": clean})
    from appliance import config as config_mod

    override = config_mod.load(lay.config).sync.hub_url
    return {"hub_id": raw["hub_id"], "from": before, "to": clean,
            "config_override": override or None}
