"""Install, list, activate, roll back, remove, archives, deferred vectors and the start-up check."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from appliance.errors import PackError
from appliance.paths import Layout
from appliance.protocols.build import build_pack
from appliance.protocols.installed import (
    activate,
    active_pack,
    list_installed,
    read_state,
    remove,
    rollback,
    verify_active_quick,
)
from appliance.protocols.library import Library
from appliance.protocols.lifecycle import build_vectors, install, status, verify_source
from appliance.protocols.trust import untrust_key
from tests.protocols.conftest import write_source


def test_install_activates_and_records_content_dates(device: Layout, built_pack: Path) -> None:
    pack = install(device, built_pack)
    assert active_pack(device) == pack
    assert pack.record["content_as_of"] == "2025-06-01"
    assert pack.record["documents"] == 4 and pack.vectors == "ready"
    assert verify_active_quick(device) == pack


def test_second_install_keeps_the_first_for_rollback(device: Layout, built_pack: Path,
                                                     tmp_path: Path, publisher_key: Path) -> None:
    first = install(device, built_pack)
    v2 = build_pack(write_source(tmp_path / "v2", version="2.0"), publisher_key, embed=False)
    second = install(device, v2)
    assert read_state(device) == {"active": second.install_id, "previous": first.install_id}
    assert rollback(device).install_id == first.install_id
    assert read_state(device) == {"active": first.install_id, "previous": second.install_id}
    assert activate(device, second.install_id).version == "2.0"
    with pytest.raises(PackError, match="active pack and cannot be removed"):
        remove(device, second.install_id)
    remove(device, first.install_id)
    assert [p.install_id for p in list_installed(device)] == [second.install_id]
    with pytest.raises(PackError, match="no previous pack"):
        rollback(device)


@pytest.mark.parametrize("name", ["pack.tar.gz", "pack.zip"])
def test_build_to_archive_and_install_from_it(device: Layout, tmp_path: Path,
                                              publisher_key: Path, name: str) -> None:
    out = build_pack(write_source(tmp_path / "src"), publisher_key, tmp_path / name, embed=False)
    assert verify_source(device, out).manifest.pack_id == "test-pack"
    pack = install(device, out)
    assert Library(device).document("burns").title == "Burns and scalds"
    assert pack.vectors == "ready"  # no shipped embeddings: embedded at install


def test_deferred_vectors_give_lexical_search_now_and_semantic_later(device: Layout,
                                                                    built_pack: Path) -> None:
    install(device, built_pack, defer_vectors=True)
    searcher = Library(device).searcher()
    assert not searcher.semantic_available
    assert searcher.search("burn")[0].doc_id == "burns"
    assert build_vectors(device) == "ready"
    assert Library(device).searcher().semantic_available


@pytest.mark.parametrize("target", ["content/docs/burns.md", "content/manifest.json",
                                    "search.db"])
def test_start_up_check_refuses_a_tampered_active_pack(device: Layout, built_pack: Path,
                                                       target: str) -> None:
    pack = install(device, built_pack)
    path = pack.directory / target
    with path.open("ab") as fh:
        fh.write(b"\n")
    with pytest.raises(PackError, match="failed its integrity check") as err:
        verify_active_quick(device)
    assert target.split("/")[-1] in str(err.value)
    with pytest.raises(PackError, match="integrity"):
        Library(device)
    assert status(device)["active"]["integrity"] != "ok"


def test_start_up_check_catches_same_size_edit(device: Layout, built_pack: Path) -> None:
    pack = install(device, built_pack)
    doc = pack.directory / "content/docs/burns.md"
    st = doc.stat()
    doc.write_text(doc.read_text().replace("20 minutes", "02 minutes"))
    os.utime(doc, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    with pytest.raises(PackError, match="burns.md changed"):
        verify_active_quick(device)


def test_start_up_check_refuses_a_pack_whose_key_was_withdrawn(device: Layout,
                                                              built_pack: Path) -> None:
    pack = install(device, built_pack)
    untrust_key(device, pack.record["key_id"])
    with pytest.raises(PackError, match="(?i)unknown signer"):
        verify_active_quick(device)


def test_interrupted_install_leaves_old_pack_active_and_is_cleaned(device: Layout,
                                                                   built_pack: Path) -> None:
    first = install(device, built_pack)
    leftover = device.packs / "half-built"
    shutil.copytree(first.directory / "content", leftover / "content")  # no install.json
    second = install(device, built_pack)
    assert not leftover.exists()
    assert read_state(device)["previous"] == first.install_id
    assert active_pack(device) == second


def test_status_warns_about_documents_past_review(device: Layout, tmp_path: Path,
                                                  publisher_key: Path) -> None:
    src = write_source(tmp_path / "src")
    doc = src / "docs" / "burns.md"
    doc.write_text(doc.read_text().replace("2030-01-01", "2020-01-01"))
    pack = install(device, build_pack(src, publisher_key, embed=False))
    assert any("burns" in w for w in pack.record["warnings"])
    overdue = status(device)["active"]["overdue"]
    assert [o["id"] for o in overdue] == ["burns"]
    assert Library(device).document("burns").overdue


def test_library_api(device: Layout, built_pack: Path) -> None:
    install(device, built_pack)
    lib = Library(device)
    assert lib.active()["pack_id"] == "test-pack"
    assert [d.id for d in lib.documents("cardiac")] == ["chest-pain-acs"]
    assert ("respiratory", 1) in lib.categories()
    sections = lib.sections("asthma-adult")
    assert [s.heading_path for s in sections][-1] == (
        "Acute asthma in adults", "Treatment", "Life-threatening features")
    assert lib.section(sections[1].section_id) == sections[1]
    with pytest.raises(PackError, match="No protocol 'nope'"):
        lib.document("nope")


def test_no_pack_installed_is_a_clear_error(device: Layout) -> None:
    assert verify_active_quick(device) is None
    with pytest.raises(PackError, match="No protocol pack is installed"):
        Library(device)
    assert json.loads(json.dumps(status(device)))["active"] is None
