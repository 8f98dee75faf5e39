"""A pack folder's triage rules, with what the rest of the pack says about them: the titles of
the protocols rules link to (each document's front matter) and the pack's id and version
(``pack.toml`` in a source folder, ``manifest.json`` in a built pack).

The triage engine reads only its own files (``appliance.triage.rules``); reading documents and
manifests is the pack's business, so it is done here and handed to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from appliance.errors import PackError
from appliance.protocols.documents import front_matter
from appliance.protocols.manifest import MANIFEST, parse_manifest
from appliance.triage.conditions import read_toml
from appliance.triage.rules import RuleSet, load_ruleset

PACK_TOML = "pack.toml"


def sample_pack_dir() -> Path:
    """The bundled sample pack's folder (package data)."""
    return Path(__file__).resolve().parent / "sample_pack"


def load_pack_rules(pack_dir: Path) -> RuleSet:
    """Read and strictly validate the triage rules of the pack in ``pack_dir``."""
    pack_dir = Path(pack_dir)
    version, pack_id = pack_meta(pack_dir)
    return load_ruleset(pack_dir, doc_titles(pack_dir), pack_version=version, pack_id=pack_id)


def doc_titles(pack_dir: Path) -> dict[str, str]:
    """Protocol id -> title, from the front matter of each document in ``docs/``."""
    titles: dict[str, str] = {}
    docs = pack_dir / "docs"
    if not docs.is_dir():
        return titles
    for doc in docs.glob("*.md"):
        try:
            meta, _ = front_matter(f"docs/{doc.name}", doc.read_bytes())
        except (OSError, PackError):
            continue  # the content validator reports broken documents; titles fall back
        if isinstance(meta.get("title"), str):
            titles[doc.stem] = meta["title"]
    return titles


def pack_meta(pack_dir: Path) -> tuple[str | None, str | None]:
    """(version, pack_id) from pack.toml (source folder) or manifest.json (built pack)."""
    data: dict[str, Any] = {}
    if (pack_dir / PACK_TOML).exists():
        data = read_toml(pack_dir / PACK_TOML)
    elif (pack_dir / MANIFEST).exists():
        try:
            raw = (pack_dir / MANIFEST).read_bytes()
        except OSError as exc:
            raise PackError(f"{pack_dir / MANIFEST} is unreadable: {exc}") from exc
        manifest = parse_manifest(raw)
        data = {"version": manifest.version, "pack_id": manifest.pack_id}
    version, pack_id = data.get("version"), data.get("pack_id")
    return (str(version) if version is not None else None,
            str(pack_id) if pack_id is not None else None)
