"""``python -m bench [NAME ...] [--quick]``: run benchmarks and print one JSON document."""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import pkgutil
import sys
import time
from pathlib import Path

import bench

# Modules shared by benchmarks, not benchmarks.
HELPERS = {"common", "frames", "processes", "search_baseline", "seed"}


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(bench.__path__)
                  if not m.name.startswith("_") and m.name not in HELPERS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all): {available()}")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--corpus", type=Path,
                        help="a document corpus, for benchmarks that take one (search_scale)")
    parser.add_argument("--docs", type=int,
                        help="use this many of the corpus's documents (search_scale)")
    args = parser.parse_args(argv)
    extra = {"corpus": args.corpus, "docs": args.docs}
    names = args.names or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        print(f"unknown benchmark(s): {unknown}; choose from {available()}", file=sys.stderr)
        return 2
    results: dict[str, object] = {}
    for name in names:
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        # Only the benchmarks that take an option are given it.
        accepted = inspect.signature(module.run).parameters
        results[name] = module.run(quick=args.quick,
                                   **{k: v for k, v in extra.items() if k in accepted})
        print(f"bench {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print(json.dumps(results, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
