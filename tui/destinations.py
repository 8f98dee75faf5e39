"""Where the home screen can take each role: one entry per screen, with its key.

Each screen module lives in ``tui/screens/`` with its own ``.tcss``; ``factory`` names a function
``(app) -> Screen`` imported only when the user opens it, so start-up stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass

from appliance.security.roles import Role

CARE = (Role.PARAMEDIC, Role.CLINICIAN)
ADMIN = (Role.IT_ADMIN,)
ALL = CARE + ADMIN


@dataclass(frozen=True)
class Destination:
    key: str
    label: str
    roles: tuple[Role, ...]
    factory: str  # "module:function"


# In the order each role needs them: care first for crews, administration first for IT.
DESTINATIONS: list[Destination] = [
    Destination("n", "New patient record", CARE, "tui.screens.record_spare:new_record"),
    Destination("b", "Patient board", CARE, "tui.screens.board:make"),
    Destination("p", "Protocols", ALL, "tui.screens.protocols:make"),
    Destination("a", "Ask the protocols (assistant)", CARE, "tui.screens.assistant:make"),
    Destination("m", "Major incident triage", CARE, "tui.screens.major_incident:make"),
    Destination("u", "Users", ADMIN, "tui.screens.users:make"),
    Destination("s", "Sync with the hub", ALL, "tui.screens.sync:make"),
    Destination("i", "Updates: protocol packs and models", ADMIN, "tui.screens.updates:make"),
    Destination("f", "Fleet (hub on this machine)", ADMIN, "tui.screens.fleet:make"),
    Destination("h", "Device health", ALL, "tui.screens.health:make"),
    Destination("v", "Verify audit log", (Role.CLINICIAN, Role.IT_ADMIN),
                "tui.screens.audit:make"),
]


def for_role(role: Role) -> list[Destination]:
    return [d for d in DESTINATIONS if role in d.roles]
