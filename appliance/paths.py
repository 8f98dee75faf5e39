"""Where Lifeboat keeps its state.

``LIFEBOAT_HOME`` relocates everything (data, config, logs, caches, temp files). Without it the
XDG base directory spec decides: ``$XDG_DATA_HOME/lifeboat`` (default ``~/.local/share/lifeboat``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_HOME = "LIFEBOAT_HOME"


def home() -> Path:
    """The data directory; not created here."""
    explicit = os.environ.get(ENV_HOME)
    if explicit:
        return Path(explicit).expanduser().resolve()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return (Path(xdg) / "lifeboat").resolve()


@dataclass(frozen=True)
class Layout:
    """Named locations inside one data directory."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config.toml"

    @property
    def device(self) -> Path:
        return self.root / "device.json"

    @property
    def device_key(self) -> Path:
        return self.root / "keys" / "device_ed25519.pem"

    @property
    def keyslots(self) -> Path:
        return self.root / "keys" / "keyslots.json"

    @property
    def trust_store(self) -> Path:
        return self.root / "keys" / "trusted_publishers"

    @property
    def database(self) -> Path:
        return self.root / "records.db"

    @property
    def packs(self) -> Path:
        return self.root / "packs"

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    def ensure(self) -> None:
        """Create the directory tree with owner-only permissions."""
        for d in (self.root, self.root / "keys", self.packs, self.models, self.logs,
                  self.cache, self.tmp, self.exports, self.trust_store):
            d.mkdir(parents=True, exist_ok=True)
            os.chmod(d, 0o700)


def layout(root: Path | None = None) -> Layout:
    return Layout(root or home())


def point_temp_files_at(lay: Layout) -> None:
    """Make libraries that write temp files (tempfile, sqlite) write inside the data directory."""
    lay.tmp.mkdir(parents=True, exist_ok=True)
    for var in ("TMPDIR", "SQLITE_TMPDIR"):
        os.environ[var] = str(lay.tmp)
    import tempfile

    tempfile.tempdir = str(lay.tmp)
