"""Helpers for attack tests: the real ``lifeboat`` command in a subprocess, and a fingerprint
of everything in a data directory that an attack must leave unchanged."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Written by every sign-in (audit, lockout counters, logs), so not part of "nothing changed".
VOLATILE = ("records.db", "keys/lockout.json", "logs/", "tmp/", "cache/")


def cli(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIFEBOAT_HOME": str(home), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=REPO, env=env,
                          input=stdin, capture_output=True, text=True, timeout=300)


def fingerprint(home: Path) -> dict[str, str]:
    """sha256 of every file under ``home`` except the ones any sign-in writes."""
    out = {}
    for path in sorted(home.rglob("*")):
        rel = path.relative_to(home).as_posix()
        if path.is_file() and not rel.startswith(VOLATILE):
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
