"""Commands that change what a device trusts or runs need an IT admin's PIN, check the role
the user really has (not what the command line claims), and leave an audit entry.

Each attack runs the real ``lifeboat`` command against a real encrypted device.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.device import Device, enrol_demo
from appliance.paths import layout
from tests.security.conftest import REPO, cli, fingerprint

SAMPLE_PACK = REPO / "appliance" / "protocols" / "sample_pack"
SAMPLE_PUB = REPO / "appliance" / "protocols" / "sample_keys" / "sample_publisher_DEMO_ONLY.pub"

PRIVILEGED = {  # what the audit names the command -> the command line, MODEL a GGUF file
    "protocols trust add": ["protocols", "trust", "add", str(SAMPLE_PUB)],
    "protocols trust remove": ["protocols", "trust", "remove", "e3558886e99a2fd5"],
    "protocols install": ["protocols", "install", str(SAMPLE_PACK)],
    "protocols activate": ["protocols", "activate", "0k3v9x2mfa"],
    "protocols rollback": ["protocols", "rollback"],
    "protocols remove": ["protocols", "remove", "0k3v9x2mfa"],
    "models add": ["models", "add", "MODEL", "--name", "evil-model"],
    "models use": ["models", "use", "smollm2-135m-instruct"],
    "sync enrol": ["sync", "enrol", "--hub", "https://hub.example.org:8765",
                   "--code", "AAAAAA-BBBBBB-CCCCCC"],
    "sync hub-urls": ["sync", "hub-urls", "https://hub2.example.org"],
    "sync updates": ["sync", "updates", "--apply"],
    "sync updates --fetch": ["sync", "updates", "--fetch", "pack", "p", "1.0"],
}


def audit_actions() -> list[tuple[str, str | None, str | None]]:
    session = Device(layout()).login("admin", "999999")
    try:
        rows = session.db.query("SELECT a.action, a.subject, u.username FROM audit_log a "
                                "LEFT JOIN users u ON u.id = a.user_id ORDER BY a.seq")
    finally:
        session.close()
    return [(r["action"], r["subject"], r["username"]) for r in rows]


@pytest.fixture
def demo_home(lifeboat_home: Path) -> Path:
    enrol_demo(layout())
    return lifeboat_home


def command(name: str, tmp_path: Path) -> list[str]:
    model = tmp_path / "evil.gguf"
    model.write_bytes(b"GGUF" + bytes(4096))
    return [str(model) if a == "MODEL" else a for a in PRIVILEGED[name]]


@pytest.mark.parametrize("name", sorted(PRIVILEGED))
def test_a_paramedic_cannot_run_an_admin_command(name: str, demo_home: Path,
                                                 tmp_path: Path) -> None:
    before = fingerprint(demo_home)
    done = cli(demo_home, *command(name, tmp_path), "--as", "paramedic", stdin="111111\n")
    assert done.returncode != 0
    assert "A Paramedic may not do this" in done.stderr, done.stderr
    assert fingerprint(demo_home) == before
    assert ("admin.denied", name.removesuffix(" --fetch"), "paramedic") in audit_actions()


@pytest.mark.parametrize("name", sorted(PRIVILEGED))
def test_an_admin_command_without_a_sign_in_is_refused(name: str, demo_home: Path,
                                                       tmp_path: Path) -> None:
    before = fingerprint(demo_home)
    done = cli(demo_home, *command(name, tmp_path))
    assert done.returncode != 0
    assert "--as" in done.stderr, done.stderr
    assert fingerprint(demo_home) == before


def test_a_wrong_admin_pin_changes_nothing(demo_home: Path) -> None:
    before = fingerprint(demo_home)
    done = cli(demo_home, *PRIVILEGED["protocols trust add"], "--as", "admin", stdin="123987\n")
    assert done.returncode != 0 and "Wrong PIN" in done.stderr
    assert fingerprint(demo_home) == before


def test_an_admin_trusts_and_untrusts_a_key_and_both_are_audited(demo_home: Path) -> None:
    added = cli(demo_home, *PRIVILEGED["protocols trust add"], "--as", "admin", stdin="999999\n")
    assert added.returncode == 0, added.stderr
    kid = added.stdout.split()[-1]
    removed = cli(demo_home, "protocols", "trust", "remove", kid, "--as", "admin",
                  stdin="999999\n")
    assert removed.returncode == 0, removed.stderr
    actions = audit_actions()
    assert ("protocols.key_trusted", kid, "admin") in actions
    assert ("protocols.key_untrusted", kid, "admin") in actions
