"""Roles and what each may do. Enforced here, in the domain, so every shell obeys the same rules.

| Permission            | paramedic | clinician | it_admin |
|-----------------------|:---------:|:---------:|:--------:|
| read/write records    |    yes    |    yes    |    no    |
| confirm/override triage |  yes    |    yes    |    no    |
| amend others' entries |    no     |    yes    |    no    |
| export handover       |    yes    |    yes    |    no    |
| manage users          |    no     |    no     |   yes    |
| install packs/models  |    no     |    no     |   yes    |
| enrol with a hub      |    no     |    no     |   yes    |
| sync, USB export      |    yes    |    yes    |   yes    |
| verify audit log      |    no     |    yes    |   yes    |

IT admins keep the device running but do not read patient records: least privilege.
"""

from __future__ import annotations

from enum import StrEnum

from appliance.errors import PermissionDenied


class Role(StrEnum):
    PARAMEDIC = "paramedic"
    CLINICIAN = "clinician"
    IT_ADMIN = "it_admin"


class Permission(StrEnum):
    READ_RECORDS = "read_records"
    WRITE_RECORDS = "write_records"
    CONFIRM_TRIAGE = "confirm_triage"
    AMEND_OTHERS = "amend_others"
    EXPORT_HANDOVER = "export_handover"
    MANAGE_USERS = "manage_users"
    MANAGE_CONTENT = "manage_content"
    MANAGE_DEVICE = "manage_device"
    SYNC = "sync"
    VERIFY_AUDIT = "verify_audit"


_CARE = {Permission.READ_RECORDS, Permission.WRITE_RECORDS, Permission.CONFIRM_TRIAGE,
         Permission.EXPORT_HANDOVER, Permission.SYNC}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.PARAMEDIC: frozenset(_CARE),
    Role.CLINICIAN: frozenset(_CARE | {Permission.AMEND_OTHERS, Permission.VERIFY_AUDIT}),
    Role.IT_ADMIN: frozenset({Permission.MANAGE_USERS, Permission.MANAGE_CONTENT,
                              Permission.MANAGE_DEVICE, Permission.SYNC,
                              Permission.VERIFY_AUDIT}),
}

ROLE_LABELS = {Role.PARAMEDIC: "Paramedic", Role.CLINICIAN: "Clinician",
               Role.IT_ADMIN: "IT admin"}


def parse_role(text: str) -> Role:
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    if key in ("admin", "it"):
        key = "it_admin"
    try:
        return Role(key)
    except ValueError:
        raise PermissionDenied(
            f"Unknown role '{text}'.", hint="Use one of: paramedic, clinician, it_admin."
        ) from None


def can(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]


def require(role: Role, permission: Permission) -> None:
    if not can(role, permission):
        raise PermissionDenied(
            f"A {ROLE_LABELS[role]} may not do this ({permission.value.replace('_', ' ')}).",
            hint="Sign in as a user with the right role.",
        )
