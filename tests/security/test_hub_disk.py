"""The hub refuses to serve patient records from an unencrypted disk (its database and keys
are plain files), says which volume it found and how to proceed; memory (tmpfs) and dm-crypt
volumes are accepted. Real hub processes; the dm-crypt case reads a /sys tree built to match
the kernel's layout, since a test cannot create a LUKS volume."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from appliance.errors import ConfigError
from sync.hub.disk import ALLOW_ENV, encrypted_at_rest, require_encrypted
from sync.hub.service import Hub
from tests.security.conftest import REPO


def test_serving_from_an_unencrypted_disk_is_refused(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    hub = Hub.init(tmp_path / "hub")
    hub.close()
    if encrypted_at_rest(hub.dir)[0]:
        pytest.skip("this machine's temporary folder is on an encrypted volume")
    env = {k: v for k, v in os.environ.items() if k != ALLOW_ENV}
    for argv in ([sys.executable, "-m", "sync.hub.app", "--dir", str(hub.dir)],
                 [sys.executable, "-m", "tui.cli", "hub", "serve", "--dir", str(hub.dir)]):
        done = subprocess.run(argv + ["--port", "1"], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode != 0
        assert "Refusing to serve" in done.stderr and "unencrypted volume" in done.stderr
        assert "Hub serving on" not in done.stdout
    monkeypatch.delenv(ALLOW_ENV)
    with pytest.raises(ConfigError, match="LUKS"):
        require_encrypted(hub.dir)
    assert "WARNING" in str(require_encrypted(hub.dir, allow=True))


def test_dm_crypt_lvm_on_luks_and_tmpfs_are_accepted(tmp_path: Path) -> None:
    sys_block = tmp_path / "sys-dev-block"
    for dev, uuid in (("253:0", "CRYPT-LUKS2-abc-root"), ("253:1", "LVM-xyz")):
        (sys_block / dev / "dm").mkdir(parents=True)
        (sys_block / dev / "dm" / "uuid").write_text(uuid)
    (sys_block / "253:1" / "slaves" / "dm-0").mkdir(parents=True)
    (sys_block / "253:1" / "slaves" / "dm-0" / "dev").write_text("253:0\n")
    (sys_block / "8:1").mkdir()
    mountinfo = ("27 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
                 "40 27 253:0 / /srv/luks rw - ext4 /dev/mapper/root rw\n"
                 "41 27 253:1 / /srv/lvm rw - xfs /dev/mapper/vg-hub rw\n"
                 "42 27 0:50 / /srv/ram rw - tmpfs tmpfs rw\n")
    seen = {where: encrypted_at_rest(Path(where), mountinfo=mountinfo, sys_block=sys_block)[0]
            for where in ("/srv/luks/hub", "/srv/lvm/hub", "/srv/ram/hub", "/srv/other",
                          "/srv/luksless")}
    assert seen == {"/srv/luks/hub": True, "/srv/lvm/hub": True, "/srv/ram/hub": True,
                    "/srv/other": False, "/srv/luksless": False}


def test_fhir_files_go_only_to_an_encrypted_folder_and_posts_only_over_https(
        tmp_path: Path) -> None:
    hub = Hub.init(tmp_path / "hub")
    hub.close()
    out = tmp_path / "fhir-out"
    env = {k: v for k, v in os.environ.items() if k != ALLOW_ENV}
    base = [sys.executable, "-m", "tui.cli", "hub", "export-fhir", "--dir", str(hub.dir)]
    refused = []
    if not encrypted_at_rest(out)[0]:
        refused.append(base + ["--out", str(out)])
    refused.append(base + ["--url", "http://fhir.example.org/R4"])
    for argv in refused:
        done = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode != 0 and "Refusing" in done.stderr, done.stderr
    assert not out.exists()
