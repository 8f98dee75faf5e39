"""Attacks on the offline installer, performed for real against a tiny signed bundle.

The bundle holds the real ``install.sh`` and one hand-made wheel whose ``lifeboat`` script only
prints its version, so a full install takes seconds. Each attack is refused with nothing
installed and nothing outside the bundle touched.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.image.conftest import REPO, SIGNER, sh

PY = f"{sys.version_info[0]}.{sys.version_info[1]}"


def _wheel(path: Path, name: str = "lifeboat", version: str = "0.1.0",
           says: str | None = None) -> Path:
    """A minimal pure-Python wheel with a ``lifeboat`` console script (printing ``says``)."""
    info = f"{name}-{version}.dist-info"
    files = {
        f"{name}_stub/__init__.py": "",
        f"{name}_stub/cli.py": f"def main():\n    print({says or f'lifeboat {version}'!r})\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                         "Tag: py3-none-any\n",
        f"{info}/entry_points.txt": f"[console_scripts]\nlifeboat = {name}_stub.cli:main\n",
    }
    record = []
    for rel, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{rel},sha256={digest.decode()},{len(text.encode())}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = "\n".join(record) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        for rel, text in files.items():
            zf.writestr(rel, text)
    return path


def sign_bundle(bundle: Path, key: Path) -> None:
    """(Re)write SHA256SUMS over every regular file and sign it, as build_image.sh does."""
    for name in ("SHA256SUMS", "SHA256SUMS.sig"):
        (bundle / name).unlink(missing_ok=True)
    lines = []
    for f in sorted(p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = f.relative_to(bundle).as_posix()
        lines.append(f"{hashlib.sha256(f.read_bytes()).hexdigest()}  {rel}")
    (bundle / "SHA256SUMS").write_text("\n".join(lines) + "\n")
    sh([sys.executable, SIGNER, "sign", key, bundle / "SHA256SUMS", bundle / "SHA256SUMS.sig"])


@pytest.fixture
def make_bundle(tmp_path: Path, signing_key: Path) -> Callable[..., Path]:
    def make(name: str = "bundle", bundle_id: str = "0.1.0-test") -> Path:
        bundle = tmp_path / name
        bundle.mkdir()
        shutil.copy(REPO / "images" / "bundle" / "install.sh", bundle / "install.sh")
        os.chmod(bundle / "install.sh", 0o755)
        _wheel(bundle / "wheels" / "lifeboat-0.1.0-py3-none-any.whl")
        sh([sys.executable, SIGNER, "pubkey", signing_key, bundle / "bundle_signing_key.pem"])
        (bundle / "manifest.json").write_text(json.dumps(
            {"bundle_id": bundle_id, "version": "0.1.0", "python": PY, "no_deps": [],
             "wheels": ["lifeboat-0.1.0-py3-none-any.whl"], "models": [], "packs": []}))
        sign_bundle(bundle, signing_key)
        return bundle

    return make


def install(bundle: Path, prefix: Path, env: dict[str, str], *args: str
            ) -> tuple[int, str, str]:
    proc = sh([bundle / "install.sh", "--prefix", prefix, "--python", sys.executable, *args],
              env=env, check=False, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def assert_refused(bundle: Path, prefix: Path, env: dict[str, str], *args: str) -> str:
    code, out, err = install(bundle, prefix, env, *args)
    assert code == 1, out + err
    assert "REFUSED" in err and "Nothing was changed" in err, err
    assert not prefix.exists(), "the installer created its prefix before refusing"
    return err


def test_the_tiny_bundle_installs(make_bundle: Callable[..., Path], tmp_path: Path,
                                  clean_env: dict[str, str]) -> None:
    """The control: without an attack the same bundle installs, so the refusals below are
    refusals and not a broken test bundle."""
    bundle = make_bundle()
    prefix = tmp_path / "opt"
    code, out, err = install(bundle, prefix, clean_env)
    assert code == 0, out + err
    assert os.readlink(prefix / "current") == "releases/0.1.0-test"
    assert "lifeboat 0.1.0" in sh([prefix / "bin" / "lifeboat", "--version"]).stdout


def test_a_symlinked_wheel_pointing_outside_is_refused(
        make_bundle: Callable[..., Path], tmp_path: Path, clean_env: dict[str, str]) -> None:
    bundle = make_bundle()
    evil = _wheel(tmp_path / "outside" / "evil-1.0-py3-none-any.whl", name="evil")
    (bundle / "wheels" / "evil-1.0-py3-none-any.whl").symlink_to(evil)
    err = assert_refused(bundle, tmp_path / "p1", clean_env, "--verify-only")
    assert "wheels/evil-1.0-py3-none-any.whl (l)" in err
    assert_refused(bundle, tmp_path / "p2", clean_env)


def test_a_listed_file_replaced_by_a_symlink_to_identical_bytes_is_refused(
        make_bundle: Callable[..., Path], tmp_path: Path, clean_env: dict[str, str]) -> None:
    """Its hash still matches, so only the file-type check stands between the symlink and pip
    (which would read whatever the link points at by then)."""
    bundle = make_bundle()
    wheel = bundle / "wheels" / "lifeboat-0.1.0-py3-none-any.whl"
    outside = tmp_path / "outside.whl"
    shutil.copy(wheel, outside)
    wheel.unlink()
    wheel.symlink_to(outside)
    assert "lifeboat-0.1.0-py3-none-any.whl (l)" in assert_refused(bundle, tmp_path / "p",
                                                                    clean_env)


def test_a_fifo_in_the_bundle_is_refused_without_hanging(
        make_bundle: Callable[..., Path], tmp_path: Path, clean_env: dict[str, str]) -> None:
    bundle = make_bundle()
    os.mkfifo(bundle / "models.gguf")
    assert "models.gguf (p)" in assert_refused(bundle, tmp_path / "p", clean_env,
                                               "--verify-only")


def test_a_signed_bundle_id_that_climbs_out_of_releases_is_refused(
        make_bundle: Callable[..., Path], tmp_path: Path, clean_env: dict[str, str]) -> None:
    """``releases/../../victim`` would be ``rm -rf``-ed and reinstalled by the installer."""
    prefix = tmp_path / "root" / "opt"
    victim = tmp_path / "root" / "victim"
    victim.mkdir(parents=True)
    (victim / "precious.txt").write_text("keep me")
    bundle = make_bundle(bundle_id="../../victim")
    err = assert_refused(bundle, prefix, clean_env, "--verify-only")
    assert "is not a plain name" in err
    assert_refused(bundle, prefix, clean_env)
    assert (victim / "precious.txt").read_text() == "keep me"
    for bad in ("", ".hidden", "a/b", "x y", "ok\nrm"):
        other = make_bundle(name=f"b{abs(hash(bad))}", bundle_id=bad)
        assert_refused(other, prefix, clean_env, "--verify-only")


def _swapping_python(tmp_path: Path, wheel: Path, evil: Path, when: str) -> Path:
    """A ``--python`` that, the first time it is run with ``when`` in its arguments, replaces
    ``wheel`` with ``evil`` (a stick answering a second read with other bytes), then runs the
    real interpreter."""
    script = tmp_path / f"python-swapping-at-{when.replace(' ', '-')}"
    done = tmp_path / f"{script.name}.done"
    script.write_text(f"""#!/bin/sh
case "$*" in
  *"{when}"*) if [ ! -e "{done}" ]; then cp "{evil}" "{wheel}"; : > "{done}"; fi ;;
esac
exec "{sys.executable}" "$@"
""")
    script.chmod(0o755)
    return script


def _evil_twin(tmp_path: Path) -> Path:
    """Same name as the genuine wheel, other code: its ``lifeboat`` prints EVIL."""
    return _wheel(tmp_path / "evil" / "lifeboat-0.1.0-py3-none-any.whl", says="EVIL")


def test_a_wheel_changed_after_the_check_is_never_installed(
        make_bundle: Callable[..., Path], tmp_path: Path, clean_env: dict[str, str]) -> None:
    """The stick answers the installer's later reads with other bytes: at the venv step (after
    the private copy: the genuine wheel is installed) or at the manifest read (before the copy:
    refused)."""
    evil = _evil_twin(tmp_path)
    for when, prefix in (("-m venv", tmp_path / "p1"), ("import json", tmp_path / "p2")):
        bundle = make_bundle(name=f"bundle-{prefix.name}")
        wheel = bundle / "wheels" / "lifeboat-0.1.0-py3-none-any.whl"
        py = _swapping_python(tmp_path, wheel, evil, when)
        proc = sh([bundle / "install.sh", "--prefix", prefix, "--python", py], env=clean_env,
                  check=False, timeout=300)
        assert wheel.read_bytes() == evil.read_bytes()  # the swap did happen
        launcher = prefix / "bin" / "lifeboat"
        if when == "-m venv":
            assert proc.returncode == 0, proc.stdout + proc.stderr
            assert sh([launcher, "--version"]).stdout.strip() == "lifeboat 0.1.0"
        else:
            assert proc.returncode == 1 and "REFUSED: a wheel changed" in proc.stderr
            assert not launcher.exists() and not (prefix / "releases" / "0.1.0-test").exists()
