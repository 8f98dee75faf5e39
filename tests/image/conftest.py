"""Fixtures for the installer bundle: a signing key, a cached wheelhouse, built bundles, and a
way to run a command with the network switched off.

The wheelhouse is filled once per test session by build_image.sh itself (pip wheel, which reuses
pip's cache, so llama-cpp-python is not rebuilt). Set LIFEBOAT_TEST_WHEELHOUSE=DIR to keep it
between sessions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build_image.sh"
SIGNER = REPO / "images" / "bundle" / "bundle_sign.py"

REFUSE_SOCKETS = '''\
import socket


def _refuse(*args, **kwargs):
    raise OSError("network access is disabled in this test")


socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
'''


def sh(argv: Sequence[str | Path], *, env: dict[str, str] | None = None, timeout: float = 900,
       check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing text; on an unexpected exit show its output in the failure."""
    proc = subprocess.run([str(a) for a in argv], env=env, capture_output=True, text=True,
                          timeout=timeout, input=stdin)
    if check and proc.returncode != 0:
        pytest.fail(f"{argv[0]} exited {proc.returncode}\nstdout:\n{proc.stdout[-4000:]}\n"
                    f"stderr:\n{proc.stderr[-4000:]}")
    return proc


def _unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def offline(tmp_path_factory: pytest.TempPathFactory
            ) -> Callable[[Sequence[str | Path], dict[str, str]], tuple[list[str], dict[str, str]]]:
    """Wrap a command so it has no network: a new network namespace when the kernel allows it,
    and always no package index plus Python sockets that refuse to connect."""
    site = tmp_path_factory.mktemp("no-network")
    (site / "sitecustomize.py").write_text(REFUSE_SOCKETS)
    use_unshare = _unshare_works()

    def wrap(argv: Sequence[str | Path], env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
        env = dict(env, PIP_NO_INDEX="1", PYTHONPATH=str(site))
        prefix = ["unshare", "-n"] if use_unshare else []
        return prefix + [str(a) for a in argv], env

    return wrap


@pytest.fixture(scope="session")
def signing_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    key = tmp_path_factory.mktemp("keys") / "publisher.pem"
    sh([sys.executable, SIGNER, "keygen", key])
    return key


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    explicit = os.environ.get("LIFEBOAT_TEST_WHEELHOUSE")
    if explicit:
        Path(explicit).mkdir(parents=True, exist_ok=True)
        return Path(explicit)
    return tmp_path_factory.mktemp("wheelhouse")


@pytest.fixture(scope="session")
def build_bundle(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path,
                 signing_key: Path) -> Callable[..., Path]:
    """Build a bundle labelled ``label``; the first build fills the wheelhouse, later ones are
    --offline so they prove a cached wheelhouse is enough."""
    out = tmp_path_factory.mktemp("out")
    built: dict[tuple[str, Path], Path] = {}

    def build(label: str, key: Path = signing_key, extra: Sequence[str] = ()) -> Path:
        if (label, key) in built:
            return built[(label, key)]
        argv: list[str | Path] = [BUILD, "--sign-key", key, "--out", out, "--wheelhouse",
                                  wheelhouse, "--label", label, "--no-tar", *extra]
        if built:
            argv.append("--offline")
        proc = sh(argv, timeout=1800)
        bundle = next(out.glob(f"lifeboat-bundle-*-{label}"))
        assert f"Built {bundle}" in proc.stdout
        built[(label, key)] = bundle
        return bundle

    return build


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """The environment with pip's and Lifeboat's variables pointed at nothing of ours."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV"))}
    env["LIFEBOAT_HOME"] = str(tmp_path / "appliance-home")
    return env
