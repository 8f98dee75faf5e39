"""The one typed way for screens and widgets to reach what the app holds.

``LifeboatApp`` keeps the device and the signed-in session; small test harness apps keep only a
session. Screens call these functions instead of reaching into ``self.app`` untyped.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

from appliance.device import Device
from appliance.errors import AuthError
from appliance.records.clock import Clock, system_clock
from appliance.session import Session


def current_session(app: App[Any]) -> Session | None:
    """The signed-in session, or None between sign-out and the next sign-in."""
    value = getattr(app, "session", None)
    return value if isinstance(value, Session) else None


def session(app: App[Any]) -> Session:
    """The signed-in session; screens that need one exist only while someone is signed in."""
    value = current_session(app)
    if value is None:
        raise AuthError("Nobody is signed in.", hint="Sign in again.")
    return value


def device(app: App[Any]) -> Device:
    """This device (the app's own, or the signed-in session's in a harness)."""
    value = getattr(app, "device", None)
    return value if isinstance(value, Device) else session(app).device


def clock(app: App[Any]) -> Clock:
    """The app's clock: the system clock unless a test pinned one."""
    value = getattr(app, "clock", None)
    return value if value is not None else system_clock


def model_state(app: App[Any]) -> str:
    """The assistant's state as the status bar shows it ("assistant: ready …", "… off")."""
    value = getattr(app, "model_state", "")
    return value if isinstance(value, str) else ""


def _call(app: App[Any], name: str) -> None:
    """Call the app's ``name`` (harness apps without it ignore the call)."""
    method = getattr(app, name, None)
    if callable(method):
        method()


def refresh_status(app: App[Any]) -> None:
    """Ask the status bar to refresh now."""
    _call(app, "refresh_status")


def start_sync_agent(app: App[Any]) -> None:
    """Start the background sync agent (a hub was just enrolled)."""
    _call(app, "start_sync_agent")


def prepare_protocols(app: App[Any]) -> None:
    """Check the active pack and load its rules again (a pack was just installed)."""
    _call(app, "prepare_protocols")


def sign_out(app: App[Any]) -> None:
    """Sign out and show the sign-in screen."""
    _call(app, "action_sign_out")
