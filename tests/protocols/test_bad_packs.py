"""Bad input: every broken, tampered or hostile pack is refused with a message naming the
problem, and the active pack is untouched."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from appliance.errors import PackError
from appliance.paths import Layout
from appliance.protocols import source
from appliance.protocols.lifecycle import install
from appliance.protocols.trust import generate_keypair
from tests.protocols.conftest import sign_as_is


@pytest.fixture
def active(device: Layout, built_pack: Path) -> tuple[Layout, str, list[str]]:
    """A device with a good pack active; returns (layout, state.json text, pack dirs)."""
    install(device, built_pack)
    state = (device.packs / "state.json").read_text()
    return device, state, sorted(p.name for p in device.packs.iterdir())


def refused(active: tuple[Layout, str, list[str]], pack: Path, *words: str) -> None:
    lay, state, dirs = active
    with pytest.raises(PackError) as err:
        install(lay, pack)
    message = str(err.value).lower()
    for word in words:
        assert word.lower() in message, message
    assert (lay.packs / "state.json").read_text() == state
    assert sorted(p.name for p in lay.packs.iterdir()) == dirs


def test_wrong_signature(active, pack_dir: Path) -> None:
    manifest = json.loads((pack_dir / "manifest.json").read_text())
    manifest["version"] = "9.9"
    (pack_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    refused(active, pack_dir, "wrong signature")


def test_unknown_signer(active, pack_dir: Path, tmp_path: Path) -> None:
    stranger = tmp_path / "stranger.pem"
    generate_keypair(stranger)
    sign_as_is(pack_dir, stranger)
    refused(active, pack_dir, "unknown signer")


def test_changed_file(active, pack_dir: Path) -> None:
    doc = pack_dir / "docs" / "burns.md"
    doc.write_text(doc.read_text().replace("20 minutes", "2 minutes"))
    refused(active, pack_dir, "docs/burns.md", "changed")


def test_missing_file(active, pack_dir: Path) -> None:
    (pack_dir / "docs" / "burns.md").unlink()
    refused(active, pack_dir, "lists docs/burns.md", "not in the pack")


def test_manifest_lists_a_file_that_is_not_there(active, pack_dir: Path,
                                                 publisher_key: Path) -> None:
    (pack_dir / "docs" / "ghost.md").write_text("x")
    sign_as_is(pack_dir, publisher_key)
    (pack_dir / "docs" / "ghost.md").unlink()
    refused(active, pack_dir, "docs/ghost.md", "not in the pack")


def test_extra_unsigned_file(active, pack_dir: Path) -> None:
    (pack_dir / "docs" / "extra.md").write_text("smuggled")
    refused(active, pack_dir, "docs/extra.md", "not in the signed manifest")


@pytest.mark.parametrize("breakage, words", [
    (lambda t: t.replace("+++\n", "", 1), ["burns.md", "front matter", "+++"]),
    (lambda t: t.replace('category = "trauma"', 'category = "surgery"'),
     ["burns.md", "category"]),
    (lambda t: t.replace('title = "Burns and scalds"\n', ""), ["burns.md", "title"]),
    (lambda t: t.replace('review_date = "2030-01-01"', 'review_date = "soon"'),
     ["burns.md", "review_date"]),
    (lambda t: t.replace('id = "burns"', 'id = "burn"'), ["burns.md", "file name"]),
    (lambda t: t.replace('version = "1.0"', 'version = "1.0'), ["burns.md", "front matter"]),
])
def test_malformed_front_matter_even_when_signed(active, pack_dir: Path, publisher_key: Path,
                                                 breakage, words) -> None:
    doc = pack_dir / "docs" / "burns.md"
    doc.write_text(breakage(doc.read_text()))
    sign_as_is(pack_dir, publisher_key)
    refused(active, pack_dir, *words)


def _tar_with(path: Path, members: list[tarfile.TarInfo], data: bytes = b"x") -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for m in members:
            tar.addfile(m, io.BytesIO(data) if m.isfile() else None)
    return path


def test_archive_path_traversal_tar(active, tmp_path: Path) -> None:
    evil = tarfile.TarInfo("../../evil.txt")
    evil.size = 1
    refused(active, _tar_with(tmp_path / "evil.tar.gz", [evil]), "could escape")
    assert not (tmp_path.parent / "evil.txt").exists()


def test_archive_path_traversal_zip(active, tmp_path: Path) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("pack/../../../evil.txt", "x")
    refused(active, path, "could escape")


def test_archive_absolute_path(active, tmp_path: Path) -> None:
    evil = tarfile.TarInfo("/etc/evil")
    evil.size = 1
    refused(active, _tar_with(tmp_path / "abs.tar.gz", [evil]), "could escape")


def test_archive_symlink(active, tmp_path: Path) -> None:
    link = tarfile.TarInfo("pack/docs/burns.md")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    refused(active, _tar_with(tmp_path / "link.tar.gz", [link]), "link")


def test_directory_with_symlink(active, pack_dir: Path) -> None:
    (pack_dir / "docs" / "passwd.md").symlink_to("/etc/passwd")
    refused(active, pack_dir, "symbolic link")


def test_huge_file(active, pack_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 50_000)
    (pack_dir / "docs" / "burns.md").write_text("x" * 60_000)
    refused(active, pack_dir, "docs/burns.md", "too large")


def test_huge_file_in_archive_is_stopped_while_copying(active, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 1000)
    big = tarfile.TarInfo("pack/docs/big.md")
    big.size = 5000
    refused(active, _tar_with(tmp_path / "big.tar.gz", [big], b"x" * 5000), "too large")


def test_empty_directory(active, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    refused(active, tmp_path / "empty", "empty")


def test_empty_archive(active, tmp_path: Path) -> None:
    refused(active, _tar_with(tmp_path / "empty.tar.gz", []), "empty")


def test_signed_pack_without_documents(active, pack_dir: Path, publisher_key: Path) -> None:
    for doc in (pack_dir / "docs").iterdir():
        doc.unlink()
    sign_as_is(pack_dir, publisher_key)
    refused(active, pack_dir, "empty", "no documents")


def test_unsigned_folder(active, pack_dir: Path) -> None:
    (pack_dir / "manifest.sig").unlink()
    refused(active, pack_dir, "manifest.sig", "unsigned")


def test_not_an_archive(active, tmp_path: Path) -> None:
    junk = tmp_path / "pack.tar.gz"
    junk.write_bytes(b"this is not gzip")
    refused(active, junk, "not a readable")


def test_malformed_synonyms(active, pack_dir: Path, publisher_key: Path) -> None:
    (pack_dir / "search" / "synonyms.toml").write_text("sob = [")
    sign_as_is(pack_dir, publisher_key)
    refused(active, pack_dir, "synonyms.toml")


def test_malformed_triage_rules(active, pack_dir: Path, publisher_key: Path) -> None:
    from appliance.protocols.lifecycle import SAMPLE_PACK

    shutil.copytree(SAMPLE_PACK / "triage", pack_dir / "triage")
    rules = pack_dir / "triage" / "red_flags.toml"
    rules.write_text(rules.read_text() + '\n[[rule]]\nid = "broken"\n')
    sign_as_is(pack_dir, publisher_key)
    refused(active, pack_dir, "red_flags.toml")
