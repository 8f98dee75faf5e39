"""Going back to the model in use before the last change (`lifeboat models rollback`, the
Updates screen's m): a file an update replaced under the same name, or another model."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.errors import ModelError
from models import registry


def _add(make_gguf, name: str, version: str, pad: int) -> registry.InstalledModel:  # noqa: ANN001
    # A different pad is a different file (another sha256) under the same name.
    return registry.add(make_gguf(f"{name}-{version}.gguf", pad=pad), name, version=version,
                        repin=True)


def test_with_no_change_yet_there_is_nothing_to_roll_back_to() -> None:
    assert registry.previous() is None
    with pytest.raises(ModelError, match="no previous model"):
        registry.rollback()


def test_a_newer_file_under_the_active_name_rolls_back_to_the_older_file_and_forward_again(
        make_gguf) -> None:  # noqa: ANN001
    v1 = _add(make_gguf, "trust-model", "1.0", 64)
    registry.use("trust-model")
    v2 = _add(make_gguf, "trust-model", "2.0", 96)
    assert registry.record("trust-model")["sha256"] == v2.sha256  # type: ignore[index]
    assert registry.is_previous("trust-model", v1.sha256)

    assert registry.rollback() == ("trust-model 1.0", "trust-model 2.0")
    assert registry.active_name() == "trust-model"
    assert registry.record("trust-model")["sha256"] == v1.sha256  # type: ignore[index]
    loaded = next(m for m in registry.installed() if m.name == "trust-model")
    assert Path(loaded.path).read_bytes() == Path(v1.path).read_bytes()  # the old file loads
    assert registry.is_previous("trust-model", v2.sha256)

    assert registry.rollback() == ("trust-model 2.0", "trust-model 1.0")  # undoes the first
    assert registry.record("trust-model")["sha256"] == v2.sha256  # type: ignore[index]


def test_choosing_another_model_rolls_back_to_the_one_chosen_before(make_gguf) -> None:  # noqa: ANN001
    _add(make_gguf, "first", "1", 64)
    _add(make_gguf, "second", "1", 96)
    registry.use("first")
    registry.use("second")
    assert registry.rollback() == ("first 1", "second 1")
    assert registry.active_name() == "first"


def test_the_automatic_choice_is_a_selection_too(make_gguf) -> None:  # noqa: ANN001
    _add(make_gguf, "only", "1", 64)
    registry.use("only")  # before: no model named, chosen by the machine
    assert registry.rollback() == ("chosen automatically", "only 1")
    assert registry.active_name() == ""


def test_from_the_automatic_choice_rollback_restores_the_model_it_loaded(
        make_gguf) -> None:  # noqa: ANN001
    from models.selection import automatic_choice

    loaded = automatic_choice()  # the bundled model, on a machine it fits
    assert loaded
    _add(make_gguf, "trust-model", "1.0", 64)
    registry.use("trust-model", in_use=loaded)
    assert registry.rollback()[0] == loaded  # named now: it loads whatever else is installed
    assert registry.active_name() == loaded


def test_a_previous_file_that_changed_on_disk_changes_nothing(make_gguf) -> None:  # noqa: ANN001
    v1 = _add(make_gguf, "trust-model", "1.0", 64)
    registry.use("trust-model")
    v2 = _add(make_gguf, "trust-model", "2.0", 96)
    Path(v1.path).write_bytes(b"GGUF" + b"\0" * 200)
    with pytest.raises(ModelError, match="no longer matches"):
        registry.rollback()
    assert registry.record("trust-model")["sha256"] == v2.sha256  # type: ignore[index]
    assert registry.active_name() == "trust-model"


def test_cli_rollback_signs_in_it_and_is_audited(make_gguf, capsys, device,  # noqa: ANN001
                                                 monkeypatch) -> None:  # noqa: ANN001
    import io
    import json

    from tui.cli import main

    v1 = _add(make_gguf, "trust-model", "1.0", 64)
    registry.use("trust-model")
    _add(make_gguf, "trust-model", "2.0", 96)
    monkeypatch.setattr("sys.stdin", io.StringIO("111111\n"))
    assert main(["models", "rollback", "--as", "paramedic"]) != 0  # IT only
    assert registry.record("trust-model")["sha256"] != v1.sha256  # type: ignore[index]
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO("999999\n"))
    assert main(["models", "rollback", "--as", "admin", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"active": "trust-model 1.0",
                                                   "instead_of": "trust-model 2.0"}
    assert registry.record("trust-model")["sha256"] == v1.sha256  # type: ignore[index]
    session = device.login("admin", "999999")
    try:
        rows = session.db.query("SELECT subject, detail FROM audit_log "
                                "WHERE action = 'models.rolled_back'")
    finally:
        session.close()
    assert [r["subject"] for r in rows] == ["trust-model 1.0"]
