"""What the Updates screen reads and the rollbacks it runs: this device's active and previous
protocol pack and model, and the hub's offers with their state on this device.

The hub answers signed, enrolled devices only, so reading takes the signed-in session; the
device's own state is read first, so a device with no hub (or a hub that does not answer) still
shows what it has and can roll back. Rollbacks need an IT admin and are logged and audited as
``lifeboat protocols rollback`` and ``lifeboat models rollback`` are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from appliance.errors import LifeboatError

if TYPE_CHECKING:
    from appliance.session import Session

log = logging.getLogger("lifeboat.updates")


@dataclass
class Offers:
    """This device's pack and model (active and previous), and the hub's offers."""

    active_pack: str = "none"
    previous_pack: str | None = None
    active_model: str = "none"
    previous_model: str | None = None
    offers: list[dict[str, Any]] = field(default_factory=list)
    problem: str = ""


def read_offers(session: Session) -> Offers:
    """This device's active pack and model, and every item the hub offers with its state
    (:func:`sync.fetch_updates.offer_state`, or ``"? reason"`` when it cannot be told)."""
    from appliance.protocols.installed import list_installed, read_state
    from models import registry
    from sync import hublink, updates
    from sync.fetch_updates import offer_state

    lay = session.device.layout
    out = Offers()
    state = read_state(lay)
    packs = {p.install_id: p for p in list_installed(lay)}
    if state["active"] in packs:
        p = packs[state["active"]]
        out.active_pack = f"{p.pack_id} {p.version}"
    if state["previous"] in packs:
        p = packs[state["previous"]]
        out.previous_pack = f"{p.pack_id} {p.version}"
    try:
        out.active_model = _model(registry.active_name())
        prev = registry.previous()
        if prev is not None:
            out.previous_model = _model(str(prev["active"]), prev.get("record"))
    except LifeboatError as exc:  # an unreadable registry: say so, still show the rest
        out.active_model = f"? {exc.message}"
    try:
        link = hublink.load(lay)
    except LifeboatError as exc:
        out.problem = (f"{exc.message} Enrol from the Sync screen (Home, s, then h for enrol) "
                       "to see the hub's offers.")
        return out
    try:
        with link.http_client(15.0, auth=hublink.device_auth(session)) as http:
            items = updates.catalog(http, link)
    except LifeboatError as exc:
        out.problem = f"The hub did not answer: {exc.message}"
        return out
    for m in items:
        try:
            offer = offer_state(lay, m)
        except LifeboatError as exc:
            offer = f"? {exc.message}"
        out.offers.append({**m, "state": offer})
    return out


def _model(name: str, rec: dict[str, Any] | None = None) -> str:
    """A model selection as IT reads it; for the automatic choice, also the model it picks on
    this machine now (it may be the very one a rollback would leave)."""
    from models import registry, selection

    if name:
        return registry.describe(name, rec)
    picked = selection.choose(registry.installed(), selection.this_machine()).model
    return f"chosen automatically ({picked.name if picked else 'none fits'})"


def rollback_pack(session: Session) -> str:
    """Make the previous protocol pack active again (IT admin); returns what is active now."""
    from appliance.protocols.installed import rollback
    from appliance.security.roles import Permission

    session.require(Permission.MANAGE_CONTENT)
    pack = rollback(session.device.layout)
    log.info("protocol pack rolled back to %s %s", pack.pack_id, pack.version)
    session.audit("protocols.rolled_back", subject=pack.install_id,
                  detail={"pack_id": pack.pack_id, "version": pack.version, "via": "tui"})
    return f"{pack.pack_id} {pack.version}"


def rollback_model(session: Session) -> str:
    """Select the model in use before the last change again (IT admin); returns it as
    :func:`models.registry.describe` says it. It loads the next time the assistant starts."""
    from appliance.security.roles import Permission
    from models import registry
    from sync.apply_updates import require_home

    session.require(Permission.MANAGE_CONTENT)
    require_home(session.device.layout)
    now, was = registry.rollback()
    session.audit("models.rolled_back", subject=now, detail={"instead_of": was, "via": "tui"})
    return now
