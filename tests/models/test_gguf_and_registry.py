"""Model files are checked before llama.cpp sees them and pinned by sha256."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from appliance.errors import ModelError
from appliance.paths import layout
from models import catalog, registry
from models.gguf import check_architecture, read_header


def test_the_bundled_model_header_reads_as_a_llama_architecture(bundled_path: Path) -> None:
    header = read_header(bundled_path)
    assert header.architecture == "llama"
    assert header.version == 3 and header.tensor_count > 100
    check_architecture(header, bundled_path)


def test_the_catalog_pins_the_bundled_file_hash(bundled_path: Path) -> None:
    entry = catalog.default_generator()
    assert entry.name == catalog.load_catalog()[0].name  # bundled default first
    assert registry.sha256_file(bundled_path) == entry.sha256


def test_catalog_entries_without_a_known_hash_say_so_and_none_is_invented() -> None:
    text = catalog.CATALOG_PATH.read_text()
    for entry in catalog.load_catalog():
        assert entry.sha256 == "" or len(entry.sha256) == 64
        if not entry.bundled:
            assert entry.sha256 == ""
    assert "pins it" in text
    roles = {e.role for e in catalog.load_catalog()}
    assert roles == {"generator", "embedder"}


def test_a_truncated_gguf_is_refused_with_a_clear_message(bundled_path: Path,
                                                           tmp_path: Path) -> None:
    cut = tmp_path / "cut.gguf"
    with bundled_path.open("rb") as src:
        cut.write_bytes(src.read(bundled_path.stat().st_size // 2))
    with pytest.raises(ModelError, match="truncated"):
        read_header(cut)


def test_a_file_that_is_not_gguf_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"<html>404 not found</html>" * 10)
    with pytest.raises(ModelError, match="GGUF magic"):
        read_header(bad)


def test_a_header_cut_inside_the_metadata_is_refused(make_gguf) -> None:
    path = make_gguf("x.gguf")
    path.write_bytes(path.read_bytes()[:30])
    with pytest.raises(ModelError, match="cut short|truncated"):
        read_header(path)


def test_an_unknown_architecture_is_refused_by_name(make_gguf) -> None:
    path = make_gguf("odd.gguf", architecture="mamba-xl")
    with pytest.raises(ModelError, match="'mamba-xl' model"):
        check_architecture(read_header(path), path)
    with pytest.raises(ModelError, match="mamba-xl"):
        registry.add(path, "odd")


def test_the_bundled_model_is_installed_and_verified() -> None:
    names = {m.name: m for m in registry.installed(verify=True)}
    assert names["smollm2-135m-instruct"].bundled
    assert all(r["ok"] for r in registry.verify_all())


def test_add_pins_a_new_file_and_refuses_a_different_one_under_that_name(make_gguf) -> None:
    first = make_gguf("a.gguf")
    added = registry.add(first, "trust-model")
    assert added.sha256 == registry.sha256_file(first)
    assert Path(added.path).parent == layout().models
    other = make_gguf("b.gguf", pad=200)
    with pytest.raises(ModelError, match="pinned to") as err:
        registry.add(other, "trust-model")
    assert "Refused b.gguf" in str(err.value)
    assert registry.installed()[-1].sha256 == added.sha256  # nothing changed


def test_a_catalog_file_with_the_wrong_architecture_is_refused(make_gguf) -> None:
    path = make_gguf("qwen2.5-1.5b-instruct-q4_k_m.gguf", architecture="llama")
    with pytest.raises(ModelError, match="'qwen2' in the catalog"):
        registry.add(path)


def test_verify_finds_a_stored_file_that_changed(make_gguf) -> None:
    added = registry.add(make_gguf("a.gguf"), "trust-model")
    stored = Path(added.path)
    stored.unlink()  # break the hard link first so the test's source is not the one changed
    shutil.copyfile(make_gguf("c.gguf", pad=10), stored)
    rows = {r["name"]: r for r in registry.verify_all()}
    assert rows["trust-model"]["ok"] is False
    assert "hash mismatch" in rows["trust-model"]["reason"]


def test_use_needs_an_installed_model() -> None:
    with pytest.raises(ModelError, match="not an installed generator"):
        registry.use("gemma-3-4b-it")
    registry.use("smollm2-135m-instruct")
    assert registry.active_name() == "smollm2-135m-instruct"


def test_cli_add_refuses_a_mismatch_and_lists_as_json(make_gguf, capsys, device,
                                                      monkeypatch) -> None:
    import io

    from tui.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("999999\n999999\n"))
    admin = ["--as", "admin"]
    assert main(["models", "add", str(make_gguf("a.gguf")), "--name", "m1", *admin]) == 0
    capsys.readouterr()
    assert main(["models", "add", str(make_gguf("b.gguf", pad=99)), "--name", "m1",
                 *admin]) == 1
    assert "pinned to" in capsys.readouterr().err
    assert main(["models", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in data["models"]} >= {"smollm2-135m-instruct", "m1"}
    assert data["choice"]["model"] is not None
