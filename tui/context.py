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


def refresh_status(app: App[Any]) -> None:
    """Ask the status bar to refresh now (harness apps without one ignore it)."""
    refresh = getattr(app, "refresh_status", None)
    if callable(refresh):
        refresh()
