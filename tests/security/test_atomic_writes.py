"""A symlink planted where an atomic write puts its temporary file cannot redirect the write:
temporary names are unpredictable, and they are opened with O_EXCL | O_NOFOLLOW."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from appliance import fsutil
from appliance.errors import LifeboatError


def test_a_link_at_the_old_predictable_name_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "data" / "hub.json"
    target.parent.mkdir()
    (target.parent / f".hub.json.tmp-{os.getpid()}").symlink_to(victim)
    fsutil.atomic_write_json(target, {"url": "https://hub"})
    assert victim.read_text() == "precious"
    assert "https://hub" in target.read_text()


def test_a_link_at_the_chosen_name_is_refused_and_its_target_untouched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "config.toml"
    planted = tmp_path / ".config.toml.tmp-guessed"
    planted.symlink_to(victim)
    monkeypatch.setattr(fsutil, "temp_beside", lambda path: planted)  # the guess came true
    with pytest.raises(LifeboatError):
        fsutil.atomic_write_bytes(target, b"evil")
    assert victim.read_text() == "precious"
    assert not target.exists() and planted.is_symlink()
