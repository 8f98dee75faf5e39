"""Signing in from the command line: PIN from a hidden prompt, or one line on stdin for scripts."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from appliance.session import Session


def add_user_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="as_user", metavar="USERNAME", required=True,
                        help="sign in as this user (PIN asked, or read from stdin)")


def read_pin(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def sign_in(args: argparse.Namespace) -> Session:
    from appliance.device import Device

    device = Device()
    return device.login(args.as_user, read_pin(f"PIN for {args.as_user}: "))
