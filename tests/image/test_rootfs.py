"""The Debian root filesystem (build_image.sh --rootfs). Slow and needs a Debian mirror, root
(or mmdebstrap's unshare mode) and mmdebstrap or debootstrap, so it runs only on demand:

    apt-get install mmdebstrap      # once
    .venv/bin/pytest tests/image/test_rootfs.py -m rootfs -q
"""

from __future__ import annotations

import os
import shutil
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = [pytest.mark.rootfs, pytest.mark.slow]


@pytest.fixture
def rootfs_tar(request: pytest.FixtureRequest, build_bundle: Callable[..., Path]) -> Path:
    if "rootfs" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("on demand only: run with -m rootfs")
    if not (shutil.which("mmdebstrap") or shutil.which("debootstrap")):
        pytest.skip("needs mmdebstrap or debootstrap (apt-get install mmdebstrap)")
    if not shutil.which("mmdebstrap") and os.geteuid() != 0:
        pytest.skip("debootstrap needs root")
    bundle = build_bundle("rootfs", extra=["--rootfs"])
    return next(bundle.parent.glob("lifeboat-rootfs-*-rootfs.tar"))


def test_rootfs_is_a_kiosk_with_lifeboat_installed_and_nothing_listening(
        rootfs_tar: Path) -> None:
    with tarfile.open(rootfs_tar) as tar:
        names = {n.lstrip("./") for n in tar.getnames()}
        read = lambda name: tar.extractfile(  # noqa: E731
            tar.getmember(next(n for n in tar.getnames() if n.lstrip("./") == name))
        ).read().decode()
        passwd = read("etc/passwd")
        autologin = read("etc/systemd/system/getty@tty1.service.d/autologin.conf")
        nft = read("etc/nftables.conf")
    user = next(line.split(":") for line in passwd.splitlines() if line.startswith("lifeboat:"))
    assert int(user[2]) >= 1000 and user[6] == "/usr/local/bin/lifeboat-session"
    assert "--autologin lifeboat" in autologin
    assert "policy drop" in nft
    assert "opt/lifeboat/current" in names and "opt/lifeboat/bin/lifeboat" in names
    assert not any(n.startswith("usr/sbin/sshd") for n in names)
