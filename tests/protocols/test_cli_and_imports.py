"""The ``lifeboat protocols`` commands as a user runs them, and start-up import hygiene."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def lifeboat(*args: str, home: Path, stdin: str | None = None
             ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIFEBOAT_HOME": str(home), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "tui.cli", "protocols", *args], env=env,
                          capture_output=True, text=True, timeout=300, cwd=REPO, input=stdin)


def test_trust_install_search_status_round_trip(lifeboat_home: Path, built_pack: Path,
                                                publisher_key: Path) -> None:
    from appliance.device import enrol_demo

    enrol_demo()
    admin = ("--as", "admin")
    assert lifeboat("trust", "add", str(publisher_key.with_suffix(".pub")), *admin,
                    home=lifeboat_home, stdin="999999\n").returncode == 0
    done = lifeboat("install", str(built_pack), "--json", *admin, home=lifeboat_home,
                    stdin="999999\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["pack_id"] == "test-pack"
    assert "verifying" in done.stderr  # the progress line
    found = lifeboat("search", "SOB", "--json", home=lifeboat_home)
    assert json.loads(found.stdout)[0]["doc_id"] == "asthma-adult"
    # The warm path: one process answers each line of standard input as it comes.
    both = lifeboat("search", "--stdin", "--json", home=lifeboat_home,
                    stdin="SOB\n\nscald cool running water\n")
    assert both.returncode == 0, both.stderr
    assert [json.loads(line)[0]["doc_id"] for line in both.stdout.splitlines()] == [
        "asthma-adult", "burns"]
    state = json.loads(lifeboat("status", "--json", home=lifeboat_home).stdout)
    assert state["active"]["integrity"] == "ok"


def test_refused_pack_exits_non_zero_with_the_reason(lifeboat_home: Path,
                                                     built_pack: Path) -> None:
    result = lifeboat("verify", str(built_pack), home=lifeboat_home)
    assert result.returncode != 0
    assert "Unknown signer" in result.stderr and "trust add" in result.stderr


@pytest.mark.parametrize("command", ["verify", "install", "list", "status", "activate",
                                     "rollback", "remove", "search", "build", "index-vectors",
                                     "keygen", "trust"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    from tui.cli import build_parser

    parser = build_parser()
    group = parser._subparsers._group_actions[0].choices["protocols"]  # type: ignore[union-attr]
    sub = group._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    assert "example:" in (sub.epilog or "") and sub.description


def test_protocol_api_imports_no_heavy_or_ui_modules() -> None:
    code = ("import sys, appliance.protocols.library, appliance.protocols.search, "
            "appliance.protocols.lifecycle, appliance.protocols.build, tui.cli.protocols; "
            "print(sorted(m for m in ('chromadb', 'numpy', 'tokenizers', 'textual', "
            "'onnxruntime') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True)
    assert out.stdout.strip() == "[]"
