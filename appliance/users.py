"""Rules for a new user account, shared by enrolment (the first IT admin) and by IT admins
adding users later."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlcipher3

from appliance.config import Config
from appliance.errors import ValidationError
from appliance.ids import new_id
from appliance.security.roles import Role


def insert_user(conn: sqlcipher3.Connection, username: str, display_name: str, role: Role,
                created_by: str | None) -> str:
    """Add the account row inside the caller's transaction; returns the new user id."""
    uid = new_id()
    conn.execute(
        "INSERT INTO users (id, username, display_name, role, created_at, created_by) "
        "VALUES (?,?,?,?,?,?)",
        (uid, username, display_name, role.value, datetime.now(UTC).isoformat(), created_by))
    return uid


def check_new_credentials(username: str, pin: str, cfg: Config, demo: bool) -> None:
    """Refuse a username or PIN a new account may not have (demo accounts skip the PIN rules)."""
    if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ValidationError("A username needs letters or digits (and - _ . only).",
                              field="username")
    if len(pin) < cfg.security.min_pin_length and not demo:
        raise ValidationError(
            f"The PIN must have at least {cfg.security.min_pin_length} characters.", field="pin")
    if pin.isdigit() and len(set(pin)) == 1 and not demo:
        raise ValidationError("That PIN is too easy to guess.", field="pin")
