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
    if not demo and is_trivial_pin(pin):
        raise ValidationError("That PIN is too easy to guess (repeated digits, a run like "
                              "123456, a repeating pattern or a well-known PIN).", field="pin",
                              hint="Choose digits with no pattern, or a longer passphrase.")


# PINs attackers try first that the pattern rules below do not already catch.
_COMMON_PINS = frozenset({"112233", "159753", "147258", "147852", "258456", "789456",
                          "102030", "123321", "696969", "111222", "520520"})


def is_trivial_pin(pin: str) -> bool:
    """All one character, an ascending or descending run (0 follows 9), a short pattern
    repeated (121212, 123123), or a well-known PIN."""
    if len(set(pin)) <= 1 or pin in _COMMON_PINS:
        return True
    if pin.isdigit():
        steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
        if steps in ({1}, {9}):
            return True
    return any(len(pin) % n == 0 and pin == pin[:n] * (len(pin) // n)
               for n in range(1, len(pin) // 2 + 1))
