"""``lifeboat triage`` through a real subprocess: the contract, batch mode and bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

LIFEBOAT = REPO / ".venv" / "bin" / "lifeboat"


def triage(*args: str, stdin: str = "", home: Path) -> subprocess.CompletedProcess[str]:
    cmd = ([str(LIFEBOAT)] if LIFEBOAT.exists()
           else [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main())"])
    env = {**os.environ, "LIFEBOAT_HOME": str(home)}
    return subprocess.run([*cmd, "triage", *args], input=stdin, capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=60)


def test_one_case_from_stdin(lifeboat_home: Path) -> None:
    case = {"age": 58, "complaint": "central CP and SOB", "vitals": {"pulse": 110}}
    proc = triage("--input", "-", "--no-llm", stdin=json.dumps(case), home=lifeboat_home)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["priority"] == {"level": 2, "name": "Very urgent"}
    assert out["disposition"] == "emergency" and out["assistant"] is None
    assert not lifeboat_home.exists()  # writes no patient data, needs no enrolled device


def test_text_format_and_file_input(lifeboat_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"age": 30, "complaint": "sore throat"}), encoding="utf-8")
    proc = triage("--input", str(path), "--format", "text", "--no-llm", home=lifeboat_home)
    assert proc.returncode == 0, proc.stderr
    assert "PRIORITY 5 NON-URGENT" in proc.stdout and "self-care" in proc.stdout


def test_bad_input_exits_2_naming_the_field(lifeboat_home: Path) -> None:
    for stdin, field in [("", "(input)"), ("{not json", "(input)"), ("[1, 2]", "(input)"),
                         ('{"age": "old"}', "age"), ('{"colour": 1}', "colour"),
                         ('{"vitals": {"spo2": 140}}', "vitals.spo2")]:
        proc = triage("--input", "-", stdin=stdin, home=lifeboat_home)
        assert proc.returncode == 2, (stdin, proc.stderr)
        assert f"[field: {field}]" in proc.stderr and proc.stdout == ""


def test_fahrenheit_hint_reaches_the_user(lifeboat_home: Path) -> None:
    proc = triage(stdin='{"vitals": {"temperature": 95}}', home=lifeboat_home)
    assert proc.returncode == 2 and "95 °F = 35.0 °C" in proc.stderr


def test_missing_file_is_bad_input(lifeboat_home: Path, tmp_path: Path) -> None:
    proc = triage("--input", str(tmp_path / "nope.json"), home=lifeboat_home)
    assert proc.returncode == 2 and "cannot read" in proc.stderr


def test_batch_one_result_per_line_and_bad_lines_continue(lifeboat_home: Path) -> None:
    lines = [json.dumps({"id": "a", "age": 30, "complaint": "runny nose"}), "",
             "{broken", json.dumps({"id": "b", "complaint": "not breathing"}),
             json.dumps({"id": "c", "bogus": True})]
    proc = triage("--batch", "--no-llm", stdin="\n".join(lines) + "\n", home=lifeboat_home)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a", None, "b", None]
    assert [o["line"] for o in out] == [1, 3, 4, 5]
    assert out[0]["disposition"] == "self-care" and out[2]["priority"]["level"] == 1
    assert "not valid JSON" in out[1]["error"]["message"]
    assert out[3]["error"]["field"] == "bogus"


def test_help_has_an_example(lifeboat_home: Path) -> None:
    proc = triage("--help", home=lifeboat_home)
    assert proc.returncode == 0 and "example:" in proc.stdout and "--batch" in proc.stdout


def test_the_triage_engine_and_command_do_not_load_the_ui() -> None:
    code = ("import sys, appliance.triage, appliance.triage.major_incident, tui.cli.triage; "
            "from appliance.protocols.active_rules import active_ruleset; "
            "from appliance.triage import assess; assess({'complaint': 'CP'}, active_ruleset()); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'textual', 'starlette', 'uvicorn', 'llama_cpp', 'chromadb', 'numpy'}))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
