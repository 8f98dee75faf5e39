"""The `lifeboat` command as an admin or a script would use it (real subprocesses)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LIFEBOAT = [sys.executable, "-m", "tui.cli"]


def run(*args: str, stdin: str = "", home: Path | None = None) -> subprocess.CompletedProcess:
    env = os.environ.copy()
    if home is not None:
        env["LIFEBOAT_HOME"] = str(home)
    return subprocess.run([*LIFEBOAT, *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120)


def test_init_then_manage_users_then_verify_audit(lifeboat_home: Path) -> None:
    r = run("init", "--admin", "alice", "--name", "Alice Jones", "--label", "RRV 12",
            stdin="482913\n")
    assert r.returncode == 0, r.stderr
    assert "enrolled" in r.stdout
    assert run("user", "add", "bob", "--role", "paramedic", "--as", "alice",
               stdin="482913\n593024\n").returncode == 0
    listed = json.loads(run("user", "list", "--as", "alice", "--json", stdin="482913\n").stdout)
    assert {u["username"]: u["role"] for u in listed} == {"alice": "it_admin",
                                                          "bob": "paramedic"}
    assert run("user", "disable", "bob", "--as", "alice", stdin="482913\n").returncode == 0
    r = run("audit", "verify", "--as", "alice", "--json", stdin="482913\n")
    assert r.returncode == 0 and json.loads(r.stdout)["ok"] is True
    r = run("user", "list", "--as", "bob", stdin="593024\n")
    assert r.returncode != 0 and "No user 'bob'" in r.stderr


def test_wrong_pin_gives_a_clear_message_and_non_zero_exit(demo_home: Path) -> None:
    r = run("user", "list", "--as", "admin", stdin="000000\n")
    assert r.returncode == 1
    assert "Wrong PIN" in r.stderr and "Traceback" not in r.stderr


def test_doctor_passes_on_a_new_device_and_fails_without_one(lifeboat_home: Path,
                                                             demo_home_template: Path) -> None:
    r = run("doctor", "--json")
    assert r.returncode == 1
    report = json.loads(r.stdout)
    assert report["ok"] is False
    assert any("lifeboat init" in c["hint"] for c in report["checks"])
    shutil.copytree(demo_home_template, lifeboat_home, dirs_exist_ok=True)  # as init --demo
    r = run("doctor")
    assert r.returncode == 0, r.stdout
    assert "DEMO" in r.stdout


def test_doctor_notices_a_missing_database(demo_home: Path) -> None:
    (demo_home / "records.db").rename(demo_home / "moved.db")
    r = run("doctor")
    assert r.returncode == 1
    assert "records.db is missing" in r.stdout


def test_corrupt_device_file_is_reported_not_crashed_on(demo_home: Path) -> None:
    (demo_home / "device.json").write_text("{not json")
    r = run("user", "list", "--as", "admin", stdin="999999\n")
    assert r.returncode == 1
    assert "corrupt" in r.stderr and "Traceback" not in r.stderr


def _mount_tmpfs(mnt: Path, options: str) -> None:
    mnt.mkdir()
    if shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mnt)],
            capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")


def test_read_only_directory_gives_a_clear_error(tmp_path: Path) -> None:
    mnt = tmp_path / "ro"
    _mount_tmpfs(mnt, "ro,size=64k")
    try:
        r = run("init", "--demo", home=mnt / "home")
        assert r.returncode != 0
        assert "read-only" in r.stderr and "Traceback" not in r.stderr, r.stderr
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_full_disk_during_init_leaves_nothing_half_written(tmp_path: Path) -> None:
    mnt = tmp_path / "tiny"
    _mount_tmpfs(mnt, "size=64k")
    try:
        r = run("init", "--demo", home=mnt / "home")
        assert r.returncode != 0
        assert "disk is full" in r.stderr.lower() or "no space" in r.stderr.lower(), r.stderr
        assert "Traceback" not in r.stderr
        assert not (mnt / "home" / "device.json").exists()  # not enrolled: can retry cleanly
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_every_command_has_help_with_an_example() -> None:
    from tui.cli import build_parser

    def walk(parser, path):
        for action in parser._actions:
            if action.__class__.__name__ == "_SubParsersAction":
                for name, sub in action.choices.items():
                    yield from walk(sub, [*path, name])
        yield path, parser

    missing = [" ".join(p) for p, parser in walk(build_parser(), []) if p
               and "example" not in (parser.epilog or "")]
    assert not missing, f"commands without an example in --help: {missing}"
