"""Signing in from the command line: PIN from a hidden prompt, or one line on stdin for scripts.

Commands that change what the device trusts or runs (packs, publisher keys, models, the hub
link, updates) sign in an IT admin with :func:`admin_session`: the role is checked in the domain
(:mod:`appliance.security.roles`), not taken from the command line, and each change is audited.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from appliance.security.roles import Permission
    from appliance.session import Session


def add_user_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="as_user", metavar="USERNAME", required=True,
                        help="sign in as this user (PIN asked, or read from stdin)")


def add_admin_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="as_user", metavar="ITADMIN", required=True,
                        help="sign in as an IT admin (PIN asked, or read from stdin); the "
                             "change is written to the audit log in their name")


def read_pin(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def sign_in(args: argparse.Namespace) -> Session:
    """Sign in ``--as``; refused while the user still has the PIN an IT admin gave them."""
    from appliance.device import Device
    from appliance.errors import AuthError

    device = Device()
    session = device.login(args.as_user, read_pin(f"PIN for {args.as_user}: "))
    if session.must_change_pin:
        session.close()
        raise AuthError(f"{args.as_user} must choose their own PIN first (IT set this one).",
                        hint=f"Run `lifeboat user set-pin --as {args.as_user}`.")
    return session


@contextmanager
def admin_session(args: argparse.Namespace, permission: Permission | None = None
                  ) -> Iterator[Session]:
    """Sign in ``--as`` and insist on ``permission`` (default: manage content), or refuse
    with nothing changed; a refusal is audited too, as someone tried."""
    from appliance.errors import PermissionDenied
    from appliance.security.roles import Permission

    session = sign_in(args)
    try:
        wanted = permission or Permission.MANAGE_CONTENT
        try:
            session.require(wanted)
        except PermissionDenied:
            session.audit("admin.denied", subject=_command_name(args),
                          detail={"role": session.user.role.value, "needs": wanted.value})
            raise
        yield session
    finally:
        session.close()


def _command_name(args: argparse.Namespace) -> str:
    parts = [getattr(args, k, None) for k in ("command", "protocols_command", "trust_command",
                                               "models_command", "sync_command", "user_command")]
    return " ".join(p for p in parts if p)
