"""Offline install of the bundle into a fresh prefix, beside a baseline, and the bundle size split.

Target: ``install.sh`` (verify + venv + pip --no-index of every wheel + switch) in <= 60 s on two
cores. Baseline, measured in the same run: ``python -m venv`` creating an empty venv with pip,
which every install pays anyway. The bundle is built by build_image.sh from a cached wheelhouse
(``LIFEBOAT_BENCH_WHEELHOUSE``, default ``out/wheelhouse``; the first run fills it, which needs
the package index). The install runs in a new network namespace when ``unshare -n`` works.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TARGET_S = 60.0


def _run(argv: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=1800)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed


def _offline_prefix() -> list[str]:
    ok = shutil.which("unshare") and subprocess.run(
        ["unshare", "-n", "true"], capture_output=True).returncode == 0
    return ["unshare", "-n"] if ok else []


def _build_bundle(work: Path) -> tuple[Path, float, bool]:
    wheelhouse = Path(os.environ.get("LIFEBOAT_BENCH_WHEELHOUSE", REPO / "out" / "wheelhouse"))
    cached = wheelhouse.is_dir() and any(wheelhouse.glob("llama_cpp_python-*.whl"))
    key = work / "bench-key.pem"
    argv = [str(REPO / "build_image.sh"), "--gen-key", str(key), "--out", str(work / "out"),
            "--wheelhouse", str(wheelhouse), "--label", "bench", "--no-tar"]
    elapsed = _run(argv)
    return next((work / "out").glob("lifeboat-bundle-*-bench")), elapsed, cached


def run(quick: bool) -> dict[str, Any]:
    """Build a bundle, time the baseline venv (median of 3, or 1 when ``quick``) and the offline
    install (once: it is the slow part)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    with tempfile.TemporaryDirectory(prefix="lifeboat-bench-install-") as tmp:
        work = Path(tmp)
        bundle, build_s, cached = _build_bundle(work)
        report = json.loads(bundle.with_name(bundle.name + ".report.json").read_text())
        baseline_s = statistics.median(
            _run([sys.executable, "-m", "venv", str(work / f"baseline-venv-{i}")], env)
            for i in range(1 if quick else 3))
        offline = _offline_prefix()
        prefix = str(work / "opt-lifeboat")
        verify_s = _run([*offline, str(bundle / "install.sh"), "--prefix", prefix,
                         "--verify-only"], env)
        install_s = _run([*offline, str(bundle / "install.sh"), "--prefix", prefix], env)
        return {
            "offline_install_s": round(install_s, 2),
            "verify_only_s": round(verify_s, 2),
            "baseline_venv_s": round(baseline_s, 2),
            "ratio_to_baseline": round(install_s / baseline_s, 1),
            "target_s": TARGET_S,
            "meets_target": install_s <= TARGET_S,
            "network_namespace": bool(offline),
            "cpus": os.cpu_count(),
            "bundle_build_s": round(build_s, 2),
            "wheelhouse_was_cached": cached,
            "load_average_1m": round(os.getloadavg()[0], 2),
            "bundle_mb": round(report["bundle_bytes"] / 2**20, 1),
            "share": report["share"],
            "mb": {k: round(v / 2**20, 1) for k, v in report["bytes"].items()},
            "wheels": len(report["manifest"]["wheels"]),
        }
