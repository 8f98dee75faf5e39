"""Validation of a pack's documents: every invalid document reported in one run, with the
allowed values, and categories a pack declares for itself in pack.toml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appliance.errors import PackError
from appliance.paths import Layout
from appliance.protocols import documents
from appliance.protocols.build import build_pack
from appliance.protocols.library import Library
from appliance.protocols.lifecycle import install, verify_source
from tests.protocols.conftest import DOCS, doc_text, sign_as_is, write_source


def _bad_doc(directory: Path, doc_id: str, **changes: str) -> None:
    text = doc_text(doc_id, f"Title {doc_id}", "medical", ["x"], "\n## Body\nSome text.\n")
    for old, new in changes.items():
        text = text.replace(old, new)
    (directory / "docs" / f"{doc_id}.md").write_text(text)


def test_every_invalid_document_is_reported_in_one_run(tmp_path: Path,
                                                       publisher_key: Path) -> None:
    src = write_source(tmp_path / "pack")
    _bad_doc(src, "leaflet-a", **{'category = "medical"': 'category = "leaflet"'})
    _bad_doc(src, "no-title", **{'title = "Title no-title"\n': ""})
    _bad_doc(src, "bad-date", **{'review_date = "2030-01-01"': 'review_date = "soon"'})
    _bad_doc(src, "bad-audience", **{'audience = ["paramedic"]': 'audience = ["public"]'})
    with pytest.raises(PackError) as err:
        build_pack(src, publisher_key, embed=False)
    message = str(err.value)
    total = len(DOCS) + 4
    assert message.startswith(f"4 of {total} documents are invalid:"), message
    for name in ("leaflet-a.md", "no-title.md", "bad-date.md", "bad-audience.md"):
        assert name in message
    assert "unknown category 'leaflet' (allowed: " + ", ".join(documents.CATEGORIES) in message
    assert "paramedic, hospital, any" in message
    assert not (src / "manifest.json").exists()


def test_a_long_report_names_the_first_documents_and_counts_the_rest(
        tmp_path: Path, publisher_key: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "REPORT_LINES", 3)
    src = write_source(tmp_path / "pack")
    for n in range(5):
        _bad_doc(src, f"leaflet-{n}", **{'category = "medical"': 'category = "leaflet"'})
    for n in range(2):
        _bad_doc(src, f"late-{n}", **{'review_date = "2030-01-01"': 'review_date = "soon"'})
    with pytest.raises(PackError) as err:
        build_pack(src, publisher_key, embed=False)
    lines = str(err.value).splitlines()
    assert lines[0] == f"7 of {len(DOCS) + 7} documents are invalid:"
    assert sum(".md:" in line for line in lines) == 3
    assert "  … and 4 more:" in lines
    assert "    4 × unknown category … (allowed: " + ", ".join(documents.CATEGORIES) + ")." in lines


def test_a_signed_pack_with_bad_documents_is_refused_naming_each(
        device: Layout, tmp_path: Path, built_pack: Path, publisher_key: Path) -> None:
    import shutil

    pack = Path(shutil.copytree(built_pack, tmp_path / "pack"))
    for doc_id in ("burns", "asthma-adult"):
        doc = pack / "docs" / f"{doc_id}.md"
        doc.write_text(doc.read_text().replace('audience = ["paramedic"]', "audience = []"))
    sign_as_is(pack, publisher_key)
    with pytest.raises(PackError) as err:
        install(device, pack)
    message = str(err.value)
    assert f"2 of {len(DOCS)} documents are invalid" in message
    assert "docs/burns.md" in message and "docs/asthma-adult.md" in message


def _leaflet_pack(directory: Path, categories: str) -> Path:
    docs = {"flu-leaflet": ("Flu: a patient leaflet", "leaflet", ["flu"], "\n## Rest\nDrink.\n"),
            "paracetamol": ("Paracetamol", "drug-monograph", ["paracetamol"],
                            "\n## Dose\n1 g four times a day.\n")}
    src = write_source(directory, docs=docs)
    with (src / "pack.toml").open("a") as fh:
        fh.write(f"categories = {categories}\n")
    return src


def test_a_pack_may_declare_its_own_categories(device: Layout, tmp_path: Path,
                                               publisher_key: Path) -> None:
    src = _leaflet_pack(tmp_path / "pack", '["leaflet", "drug-monograph"]')
    built = build_pack(src, publisher_key, tmp_path / "pack.tar.gz", embed=False)
    assert verify_source(device, built).manifest.categories == ("leaflet", "drug-monograph")
    install(device, built, defer_vectors=True)
    assert dict(Library(device).categories()) == {"drug-monograph": 1, "leaflet": 1}


def test_declared_categories_replace_the_default_list(tmp_path: Path,
                                                      publisher_key: Path) -> None:
    src = _leaflet_pack(tmp_path / "pack", '["leaflet", "drug-monograph"]')
    (src / "docs" / "burns.md").write_text(doc_text("burns", *DOCS["burns"]))
    with pytest.raises(PackError) as err:
        build_pack(src, publisher_key, embed=False)
    assert "unknown category 'trauma' (allowed: leaflet, drug-monograph)" in str(err.value)


@pytest.mark.parametrize("declared, words", [
    ("[]", "1 to"),
    ('"leaflet"', "list"),
    ('["Leaflet"]', "'Leaflet' is not allowed"),
    ('["patient leaflet"]', "'patient leaflet' is not allowed"),
    ('["../x"]', "is not allowed"),
    ('["leaflet", "leaflet"]', "listed twice"),
    ("[1]", "list"),
])
def test_declared_categories_must_be_safe_slugs(tmp_path: Path, publisher_key: Path,
                                                declared: str, words: str) -> None:
    src = _leaflet_pack(tmp_path / "pack", declared)
    with pytest.raises(PackError) as err:
        build_pack(src, publisher_key, embed=False)
    assert "categories" in str(err.value) or "category" in str(err.value)
    assert words in str(err.value)


def test_a_signed_manifest_with_unsafe_categories_is_refused(device: Layout, pack_dir: Path,
                                                             publisher_key: Path) -> None:
    manifest = json.loads((pack_dir / "manifest.json").read_text())
    (pack_dir / "manifest.json").write_text(json.dumps({**manifest, "categories": ["a b"]}))
    sign_as_is(pack_dir, publisher_key)
    with pytest.raises(PackError, match="'a b' is not allowed"):
        install(device, pack_dir)


def test_packs_on_the_default_list_keep_the_manifest_format(built_pack: Path) -> None:
    assert "categories" not in json.loads((built_pack / "manifest.json").read_text())
