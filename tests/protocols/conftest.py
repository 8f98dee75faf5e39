"""Small signed packs built in temp dirs, a publisher key, and a device that trusts it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.paths import Layout, layout
from appliance.protocols.search import Searcher

DOCS = {
    "asthma-adult": ("Acute asthma in adults", "respiratory", ["asthma", "wheeze", "inhaler"], """
## Recognise
Wheeze, breathlessness and a tight chest. Severe attack: cannot complete sentences,
peak flow under half of best, respiratory rate 25 or more.

## Treatment
Salbutamol by nebuliser driven by oxygen. Add ipratropium in a severe attack.

### Life-threatening features
Silent chest, cyanosis, exhaustion, oxygen saturation under 92 percent.
"""),
    "chest-pain-acs": ("Chest pain and acute coronary syndrome", "cardiac",
                       ["chest pain", "heart attack", "myocardial infarction", "stemi"], """
## Recognise
Central crushing chest pain spreading to the left arm or jaw, sweating, nausea.

## Immediate actions
Give aspirin 300 mg chewed unless allergic. Record a 12-lead ECG within 10 minutes.
"""),
    "burns": ("Burns and scalds", "trauma", ["burn", "scald"], """
## First aid
Cool the burn with running water for 20 minutes. Cover loosely with cling film.

## Assess the size
Use the rule of nines or the patient's palm, about one percent of body surface.
"""),
    "hypoglycaemia": ("Hypoglycaemia (low blood sugar)", "medical",
                      ["hypo", "low sugar", "diabetes"], """
## Recognise
Blood glucose below 4 mmol/L with sweating, confusion or drowsiness.

## Treat
If able to swallow give glucose gel or a sugary drink, then a carbohydrate snack.
"""),
}
SYNONYMS = """
[abbreviations]
sob = ["shortness of breath", "breathlessness"]
cp = ["chest pain"]
[[group]]
terms = ["heart attack", "myocardial infarction"]
"""


def doc_text(doc_id: str, title: str, category: str, keywords: list[str], body: str,
             review_date: str = "2030-01-01") -> str:
    kw = ", ".join(f'"{k}"' for k in keywords)
    return (f'+++\nid = "{doc_id}"\ntitle = "{title}"\ncategory = "{category}"\n'
            f'audience = ["paramedic"]\nversion = "1.0"\nreview_date = "{review_date}"\n'
            f'sources = ["Test source"]\nkeywords = [{kw}]\n'
            f'status = "sample content — review locally before clinical use"\n+++\n\n'
            f"# {title}\n{body}")


def write_source(directory: Path, version: str = "1.0", docs: dict | None = None) -> Path:
    """A pack source folder: pack.toml, docs/*.md, search/synonyms.toml."""
    (directory / "docs").mkdir(parents=True)
    (directory / "search").mkdir()
    (directory / "pack.toml").write_text(
        f'pack_id = "test-pack"\nversion = "{version}"\npublisher = "Test Trust"\n'
        f'licence = "CC0"\ntitle = "Test pack"\ncontent_as_of = "2025-06-01"\n')
    for doc_id, (title, category, kw, body) in (docs or DOCS).items():
        (directory / "docs" / f"{doc_id}.md").write_text(doc_text(doc_id, title, category, kw,
                                                                  body))
    (directory / "search" / "synonyms.toml").write_text(SYNONYMS)
    return directory


@pytest.fixture(scope="session")
def publisher_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from appliance.protocols.trust import generate_keypair

    path = tmp_path_factory.mktemp("keys") / "publisher.pem"
    generate_keypair(path)
    return path


@pytest.fixture(scope="session")
def built_pack(tmp_path_factory: pytest.TempPathFactory, publisher_key: Path) -> Path:
    """A signed pack with precomputed embeddings (built once; copy it before changing it)."""
    from appliance.protocols.build import build_pack

    src = write_source(tmp_path_factory.mktemp("src") / "pack")
    return build_pack(src, publisher_key)


@pytest.fixture
def pack_dir(built_pack: Path, tmp_path: Path) -> Path:
    """A private copy of the built pack that a test may tamper with."""
    return Path(shutil.copytree(built_pack, tmp_path / "pack"))


@pytest.fixture
def device(lifeboat_home: Path, publisher_key: Path) -> Layout:
    """A data directory that trusts the test publisher."""
    from appliance.protocols.trust import trust_key

    lay = layout()
    lay.ensure()
    trust_key(lay, publisher_key.with_suffix(".pub"))
    return lay


def sign_as_is(directory: Path, key: Path) -> None:
    """Re-sign a folder exactly as it is, bypassing build's checks (for 'signed but bad' packs)."""
    import hashlib
    import json

    from appliance.protocols.manifest import MANIFEST, SIGNATURE, Manifest, sign
    from appliance.protocols.source import list_files
    from appliance.protocols.trust import load_private_key

    old = json.loads((directory / MANIFEST).read_text())
    files = {rel: hashlib.sha256((directory / rel).read_bytes()).hexdigest()
             for rel in list_files(directory) if rel not in (MANIFEST, SIGNATURE)}
    data = Manifest(**{**old, "files": files}).to_bytes()
    (directory / MANIFEST).write_bytes(data)
    (directory / SIGNATURE).write_bytes(sign(data, load_private_key(key)))


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory, publisher_key: Path,
             built_pack: Path) -> Iterator[Searcher]:
    """The test pack installed once for a module's searches (they only read it)."""
    from appliance.protocols.lifecycle import install
    from appliance.protocols.trust import trust_key

    lay = Layout(tmp_path_factory.mktemp("search-home"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LIFEBOAT_HOME", str(lay.root))
        lay.ensure()
        trust_key(lay, publisher_key.with_suffix(".pub"))
        install(lay, built_pack)
    found = Searcher.for_active(lay)
    yield found
    found.close()

