"""The ``lifeboat`` command: one argparse tree, one module per command group.

Each module in this package with a ``register(subparsers)`` function adds its group. Modules
import the domain lazily inside their handlers so ``lifeboat --help`` and the TUI start fast.
With no subcommand, ``lifeboat`` opens the TUI.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from collections.abc import Callable, Sequence
from typing import Any

Handler = Callable[[argparse.Namespace], int | None]

EPILOG = """examples:
  lifeboat                      open the app (a DEMO device is created on first run)
  lifeboat init --admin alice   enrol this device with a first IT admin
  lifeboat doctor --json        self-check for scripts
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lifeboat",
        description="Lifeboat: offline clinical backup appliance. With no command, opens the app.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=_version())
    parser.add_argument("--no-demo", action="store_true",
                        help="do not create a DEMO device when this one is not enrolled")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def add_command(sub: Any, name: str, *, help: str, example: str,  # noqa: A002
                handler: Handler) -> argparse.ArgumentParser:
    """Add a subcommand whose help always ends with a worked example."""
    p: argparse.ArgumentParser = sub.add_parser(
        name, help=help, description=help, epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(handler=handler)
    return p


def group_help(args: argparse.Namespace) -> int:
    """Handler for a command group given without its action: show the group's help."""
    build_parser().parse_args([args.command, "--help"])
    return 2


def emit(data: Any, as_json: bool, text: Callable[[Any], str] | None = None) -> None:
    """Print ``data`` as JSON for scripts or as text for people."""
    if as_json:
        print(json.dumps(data, indent=2, sort_keys=True, default=str))
    else:
        print(text(data) if text else data)


def main(argv: Sequence[str] | None = None) -> int:
    import os

    from appliance.errors import LifeboatError

    os.umask(0o077)  # patient data, keys and logs are readable by this user only
    words = list(sys.argv[1:] if argv is None else argv)
    if set(words) <= {"--no-demo"}:
        # The app, as the kiosk starts it: no need to build every command's parser first
        # (that was a tenth of the time to the sign-in screen).
        args = argparse.Namespace(command=None, no_demo=bool(words), handler=None)
    else:
        args = build_parser().parse_args(words)
    _keep_state_inside_home()
    handler: Handler | None = getattr(args, "handler", None)
    try:
        if handler is None:
            if args.command is not None:  # a group given without its subcommand
                build_parser().parse_args([args.command, "--help"])
            from tui.launch import run_app

            return run_app(demo=not args.no_demo)
        return int(handler(args) or 0)
    except LifeboatError as exc:
        print(f"lifeboat: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("lifeboat: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug or an unforeseen fault: one line here, the traceback logged
        return _unexpected(exc)


def _unexpected(exc: Exception) -> int:
    """Report an error Lifeboat has no message for: one line, and where the details are."""
    import logging
    import traceback

    from appliance.logs import log_file

    line = f"lifeboat: unexpected error: {type(exc).__name__}: {exc}".splitlines()[0]
    path = log_file()
    if path is None:  # no data directory yet, so no log: the traceback is all there is
        traceback.print_exception(exc, file=sys.stderr)
        print(line, file=sys.stderr)
    else:
        logging.getLogger("lifeboat.cli").error("unexpected error", exc_info=exc)
        print(f"{line}\n  Details are in {path}; please send it to IT.", file=sys.stderr)
    return 70  # EX_SOFTWARE


def _keep_state_inside_home() -> None:
    """Logs and temp files go into the data directory once it exists, nowhere else."""
    from appliance.logs import configure
    from appliance.paths import layout, point_temp_files_at

    lay = layout()
    if lay.root.exists():
        point_temp_files_at(lay)
        configure(lay)


def _version() -> str:
    from appliance import __version__

    return f"lifeboat {__version__}"


if __name__ == "__main__":
    raise SystemExit(main())
