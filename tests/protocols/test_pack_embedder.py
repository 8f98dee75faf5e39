"""A pack may declare the embedder its vectors are for (pack.toml ``[embedder]``): it is signed
in the manifest, and a device without that embedder (by name and weights' sha256) refuses the
pack at install with a message naming what it needs and what it has."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.errors import PackError
from appliance.paths import Layout
from appliance.protocols.build import build_pack
from appliance.protocols.lifecycle import install
from models.embedder import MODEL_NAME, MODEL_SHA256, installed_embedders
from tests.protocols.conftest import write_source

OTHER_SHA = "ab" * 32


def _declaring(directory: Path, name: str, sha256: str) -> Path:
    src = write_source(directory)
    with (src / "pack.toml").open("a") as fh:
        fh.write(f'\n[embedder]\nname = "{name}"\nsha256 = "{sha256}"\n')
    return src


def test_the_device_lists_its_installed_embedder() -> None:
    assert installed_embedders() == {MODEL_NAME: MODEL_SHA256}


def test_a_pack_declaring_the_installed_embedder_installs(device: Layout, tmp_path: Path,
                                                          publisher_key: Path) -> None:
    src = _declaring(tmp_path / "src", MODEL_NAME, MODEL_SHA256)
    built = build_pack(src, publisher_key, tmp_path / "out", embed=False)
    pack = install(device, built)
    assert pack.pack_id == "test-pack"
    assert b'"embedder"' in (pack.directory / "content" / "manifest.json").read_bytes()


def test_a_pack_for_an_embedder_the_device_lacks_is_refused_naming_both(
        device: Layout, tmp_path: Path, publisher_key: Path) -> None:
    src = _declaring(tmp_path / "src", "bge-small-en-v1.5", OTHER_SHA)
    built = build_pack(src, publisher_key, tmp_path / "out", embed=False)
    with pytest.raises(PackError) as refused:
        install(device, built)
    message = refused.value.message
    assert "bge-small-en-v1.5" in message and "abababababab" in message
    assert MODEL_NAME in message
    assert not any(device.packs.iterdir())


def test_the_same_name_with_other_weights_is_refused(device: Layout, tmp_path: Path,
                                                     publisher_key: Path) -> None:
    src = _declaring(tmp_path / "src", MODEL_NAME, OTHER_SHA)
    built = build_pack(src, publisher_key, tmp_path / "out", embed=False)
    with pytest.raises(PackError, match="does not have"):
        install(device, built)


def test_building_embeddings_for_another_embedder_is_refused(tmp_path: Path,
                                                             publisher_key: Path) -> None:
    src = _declaring(tmp_path / "src", "bge-small-en-v1.5", OTHER_SHA)
    with pytest.raises(PackError, match="--no-embed"):
        build_pack(src, publisher_key, tmp_path / "out")


def test_a_malformed_declaration_is_refused_at_build(tmp_path: Path,
                                                     publisher_key: Path) -> None:
    src = _declaring(tmp_path / "src", MODEL_NAME, "not-a-hash")
    with pytest.raises(PackError, match="sha256"):
        build_pack(src, publisher_key, tmp_path / "out", embed=False)
