"""The models Lifeboat knows, read from ``catalog.toml`` beside this module."""

from __future__ import annotations

import importlib.util
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from appliance.errors import ModelError

CATALOG_PATH = Path(__file__).with_name("catalog.toml")


@dataclass(frozen=True)
class CatalogEntry:
    """One known model: where it comes from, what it needs, how to talk to it."""

    name: str
    title: str
    role: str
    file: str
    source: str
    sha256: str
    size_mb: float
    ram_mb: int
    context_length: int
    chat_format: str
    architecture: str
    licence: str
    publisher: str
    rank: int
    cpu: tuple[str, ...]

    @property
    def bundled(self) -> bool:
        return self.source.startswith("package:")

    def bundled_path(self) -> Path | None:
        """The file inside its installed package, found without importing the package."""
        if not self.bundled:
            return None
        spec = importlib.util.find_spec(self.source.removeprefix("package:"))
        if spec is None or spec.origin is None:
            return None
        return Path(spec.origin).parent / self.file


@lru_cache(maxsize=1)
def load_catalog() -> tuple[CatalogEntry, ...]:
    """All catalog entries, bundled default first."""
    raw = tomllib.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    entries = []
    for item in raw.get("model", []):
        item = dict(item)
        item["cpu"] = tuple(item.get("cpu", ()))
        entries.append(CatalogEntry(**item))
    return tuple(entries)


def get(name: str) -> CatalogEntry:
    """The entry called ``name``; ModelError listing the known names otherwise."""
    for entry in load_catalog():
        if entry.name == name:
            return entry
    raise ModelError(f"No model called '{name}' in the catalog.",
                     hint=f"Known models: {', '.join(e.name for e in load_catalog())}.")


def find(name: str) -> CatalogEntry | None:
    return next((e for e in load_catalog() if e.name == name), None)


def by_file_name(file_name: str) -> CatalogEntry | None:
    return next((e for e in load_catalog() if Path(e.file).name == file_name), None)


def default_generator() -> CatalogEntry:
    return next(e for e in load_catalog() if e.role == "generator" and e.bundled)
