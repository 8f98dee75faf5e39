"""Full verification of a pack directory: signature, every hash, file set, documents, data.

Order matters for the messages: first "who signed this" (unknown signer / wrong signature), then
"is every file exactly what was signed" (changed, missing, extra), then "is the content usable"
(front matter, synonyms, triage rules). Nothing here writes anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from appliance.errors import PackError
from appliance.fsutil import sha256_file
from appliance.protocols.documents import Document, parse_documents
from appliance.protocols.manifest import (
    MANIFEST,
    SIGNATURE,
    Manifest,
    parse_manifest,
    verify_signature,
)
from appliance.protocols.source import check_directory, list_files

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

SYNONYMS = "search/synonyms.toml"


@dataclass(frozen=True)
class VerifiedPack:
    """A pack whose signature, hashes and content all checked out."""

    root: Path
    manifest: Manifest
    manifest_bytes: bytes
    key_id: str
    documents: tuple[Document, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return f"{self.manifest.pack_id} {self.manifest.version}"


def verify_pack(root: Path, trusted: dict[str, Ed25519PublicKey],
                today: dt.date | None = None) -> VerifiedPack:
    """Verify the unpacked pack at ``root``; raises PackError naming the first problem found
    (or, for documents, every invalid one)."""
    check_directory(root)
    manifest_bytes = _read(root, MANIFEST, "the pack has no manifest.json (it is unsigned)")
    sig_bytes = _read(root, SIGNATURE, "the pack has no manifest.sig (it is unsigned)")
    kid = verify_signature(manifest_bytes, sig_bytes, trusted)
    manifest = parse_manifest(manifest_bytes)
    check_embedder_installed(manifest)
    check_files(root, manifest)
    doc_paths = sorted(p for p in manifest.files if p.startswith("docs/") and p.endswith(".md"))
    if not doc_paths:
        raise PackError(f"Refused pack {manifest.pack_id}: it is empty (no documents in docs/).")
    try:
        documents = parse_documents(((p, (root / p).read_bytes) for p in doc_paths),
                                    categories=manifest.document_categories)
    except PackError as exc:
        raise PackError(f"Refused pack {manifest.pack_id}: {exc.message}", hint=exc.hint) from exc
    if SYNONYMS in manifest.files:
        from appliance.protocols.expansion import load_synonyms

        load_synonyms(root / SYNONYMS)
    warnings = list(check_triage(root, manifest))
    today = today or dt.date.today()
    overdue = [d for d in documents if d.overdue(today)]
    if overdue:
        warnings.append(f"{len(overdue)} document(s) are past their review date: "
                        + ", ".join(f"{d.id} ({d.review_date})" for d in overdue[:10])
                        + (" …" if len(overdue) > 10 else ""))
    return VerifiedPack(root, manifest, manifest_bytes, kid, documents, tuple(warnings))


def check_embedder_installed(manifest: Manifest) -> None:
    """A pack that declares its embedder installs only where that embedder (name and weights'
    sha256) is installed: its vectors, and the queries embedded against them, need it."""
    from models.embedder import installed_embedders

    declared = manifest.embedder
    if not declared:
        return
    installed = installed_embedders()
    if installed.get(declared["name"]) == declared["sha256"]:
        return
    have = ", ".join(f"{n} (sha256 {h[:12]}…)" for n, h in sorted(installed.items())) or "none"
    raise PackError(f"Refused pack {manifest.pack_id}: it needs the embedder {declared['name']} "
                    f"(sha256 {declared['sha256'][:12]}…), which this device does not have "
                    f"(installed: {have}).",
                    hint="Install that embedding model's package on this device, or ask the "
                         "publisher for a pack built for an embedder installed here.")


def check_files(root: Path, manifest: Manifest) -> None:
    """Every listed file present with its signed hash, and no file that was not signed."""
    present = set(list_files(root)) - {MANIFEST, SIGNATURE}
    listed = set(manifest.files)
    missing = sorted(listed - present)
    if missing:
        raise PackError(f"Refused pack: the manifest lists {missing[0]} but it is not in the pack"
                        + (f" ({len(missing)} files missing)." if len(missing) > 1 else "."),
                        hint="The pack is incomplete; copy it again from the publisher.")
    extra = sorted(present - listed)
    if extra:
        raise PackError(f"Refused pack: {extra[0]} is in the pack but not in the signed manifest"
                        + (f" ({len(extra)} unsigned files)." if len(extra) > 1 else "."),
                        hint="Someone added files after signing; get a fresh copy.")
    for rel in sorted(listed):
        if sha256_file(root / rel) != manifest.files[rel]:
            raise PackError(f"Refused pack: {rel} has changed since the pack was signed "
                            "(its sha256 does not match the manifest).",
                            hint="Do not use this pack; get a fresh copy from the publisher.")


def check_triage(root: Path, manifest: Manifest) -> list[str]:
    """Validate triage data with the triage engine's own loader, when the pack carries it."""
    if not any(p.startswith("triage/") for p in manifest.files):
        return []
    from appliance.protocols.pack_rules import load_pack_rules  # lazy: the triage engine

    try:
        load_pack_rules(root)
    except PackError:
        raise
    except Exception as exc:  # a loader bug must still refuse the pack, with a reason
        raise PackError(f"Refused pack: its triage data could not be read ({exc}).") from exc
    return []


def _read(root: Path, name: str, problem: str) -> bytes:
    path = root / name
    if not path.is_file():
        raise PackError(f"Refused pack: {problem}.",
                        hint="Build and sign it with: lifeboat protocols build DIR --key KEYFILE")
    return path.read_bytes()
