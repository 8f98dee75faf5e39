"""build_image.sh and install.sh: documented options, and clear refusals before any work."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.image.conftest import BUILD, REPO, sh

INSTALL = REPO / "images" / "bundle" / "install.sh"


def options_in_case_statement(script: Path) -> set[str]:
    """Every long option the script's argument parser accepts (its ``case`` labels)."""
    labels = re.findall(r"^\s+((?:-\w\|)?--[\w|-]+)\)", script.read_text(), re.M)
    return {opt for label in labels for opt in re.findall(r"--[\w-]+", label)}


@pytest.mark.parametrize("script", [BUILD, INSTALL], ids=["build_image.sh", "install.sh"])
def test_help_documents_every_option(script: Path) -> None:
    options = options_in_case_statement(script)
    assert len(options) >= 8
    help_text = sh([script, "--help"]).stdout
    missing = sorted(o for o in options if not re.search(rf"(^|\s){re.escape(o)}\b", help_text))
    assert missing == []


def build(tmp_path: Path, *args: str | Path, env: dict[str, str] | None = None) -> str:
    proc = sh([BUILD, "--out", tmp_path / "out", *args], check=False, env=env, timeout=120)
    assert proc.returncode != 0
    assert not list(tmp_path.glob("out/lifeboat-bundle-*"))
    return proc.stderr


def test_no_signing_key_is_refused_with_what_to_do(tmp_path: Path) -> None:
    assert "--gen-key FILE" in build(tmp_path)


def test_not_enough_disk_is_refused_before_any_work(tmp_path: Path) -> None:
    err = build(tmp_path, "--gen-key", tmp_path / "k.pem", "--min-free-gb", "999999")
    assert "MB free" in err and "--min-free-gb" in err
    assert not (tmp_path / "k.pem").exists()


def test_a_model_that_is_not_gguf_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"<html>not a model</html>")
    assert "not a GGUF model" in build(tmp_path, "--gen-key", tmp_path / "k.pem",
                                       "--model", fake)


def test_a_missing_tool_is_named_with_its_debian_package(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for d in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(d):
            continue
        for name in os.listdir(d):
            if name != "sha256sum" and not (bin_dir / name).exists():
                (bin_dir / name).symlink_to(os.path.join(d, name))
    env = dict(os.environ, PATH=str(bin_dir))
    err = build(tmp_path, "--gen-key", tmp_path / "k.pem", env=env)
    assert "'sha256sum' is missing" in err and "coreutils" in err


@pytest.mark.skipif(bool(shutil.which("mmdebstrap") or shutil.which("debootstrap")),
                    reason="a rootfs tool is installed here")
def test_rootfs_without_a_bootstrap_tool_names_the_package(tmp_path: Path) -> None:
    err = build(tmp_path, "--gen-key", tmp_path / "k.pem", "--rootfs")
    assert "mmdebstrap" in err and "apt-get install" in err


def test_install_sh_refuses_a_directory_that_is_not_a_signed_bundle(tmp_path: Path) -> None:
    fake = tmp_path / "bundle"
    fake.mkdir()
    shutil.copy(INSTALL, fake / "install.sh")
    proc = sh([fake / "install.sh", "--prefix", tmp_path / "opt"], check=False)
    assert proc.returncode == 1 and "not a signed bundle" in proc.stderr


def test_rollback_with_nothing_to_roll_back_to_says_so(tmp_path: Path) -> None:
    proc = sh([INSTALL, "--prefix", tmp_path / "opt", "--rollback"], check=False)
    assert proc.returncode == 1 and "nothing is installed" in proc.stderr
    assert not (tmp_path / "opt").exists()
    (tmp_path / "opt").mkdir()
    proc = sh([INSTALL, "--prefix", tmp_path / "opt", "--rollback"], check=False)
    assert proc.returncode == 1 and "no previous release" in proc.stderr
