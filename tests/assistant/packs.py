"""Build and install the bundled sample pack (lexical index only) into a data directory."""

from __future__ import annotations

import shutil
from pathlib import Path

from appliance.paths import Layout


def build_sample(workdir: Path) -> tuple[Path, Path]:
    """(built pack directory, publisher key) from the sample pack's source, no embeddings."""
    import appliance.protocols as protocols
    from appliance.protocols.build import build_pack
    from appliance.protocols.trust import generate_keypair

    src = Path(protocols.__file__).parent / "sample_pack"
    staged = workdir / "sample_pack"
    shutil.copytree(src, staged, ignore=shutil.ignore_patterns("manifest.*", "vectors*"))
    key = workdir / "publisher.pem"
    generate_keypair(key)
    return build_pack(staged, key, embed=False), key


def install_built(lay: Layout, built: Path, key: Path) -> Path:
    """Trust ``key`` and install ``built``; returns the installed pack directory."""
    from appliance.protocols.lifecycle import install
    from appliance.protocols.trust import trust_key

    lay.ensure()
    trust_key(lay, key.with_suffix(".pub"))
    return install(lay, built, defer_vectors=True).directory
