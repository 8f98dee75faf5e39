"""`lifeboat bench`: run the benchmarks in bench/ and print JSON."""

from __future__ import annotations

import argparse
from typing import Any

from tui.cli import add_command


def register(sub: Any) -> None:
    p = add_command(sub, "bench", help="run performance benchmarks and print JSON",
                    example="lifeboat bench foundation triage --quick", handler=_bench)
    p.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    p.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")


def _bench(args: argparse.Namespace) -> int:
    from bench.__main__ import main

    return main([*args.names, *(["--quick"] if args.quick else [])])
