"""Pack lifecycle: verify a source, install it (verify, index, embed, switch), finish vectors.

Install copies the pack into a fresh ``packs/<install_id>/`` first and verifies the copy (so
the files indexed are exactly the files verified), builds ``search.db`` and the vector index
there, writes ``install.json`` last, and only then switches ``state.json`` to it. Any failure
deletes the new directory; the active pack is never touched.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance.errors import LifeboatError, ModelError, PackError
from appliance.fsutil import atomic_write_json
from appliance.ids import new_id
from appliance.protocols import index
from appliance.protocols.installed import (
    CONTENT,
    RECORD,
    InstalledPack,
    active_pack,
    load_installed,
    read_state,
    stat_snapshot,
    write_state,
)
from appliance.protocols.manifest import sha256_hex
from appliance.protocols.source import list_files, open_pack
from appliance.protocols.verify import SYNONYMS, VerifiedPack, verify_pack

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from appliance.paths import Layout

SAMPLE_PACK = Path(__file__).resolve().parent / "sample_pack"
LINE_VECTORS_AT_INSTALL = 200
"""Packs up to this many documents get their answer-line embeddings at install; larger ones
embed each document's lines in the background the first time an answer needs them."""


def verify_source(lay: Layout, source: Path) -> VerifiedPack:
    """Fully verify a pack directory or archive against this device's trust store."""
    from appliance.protocols.trust import trusted_keys

    with open_pack(source, lay.tmp) as root:
        return verify_pack(root, trusted_keys(lay))


def install(lay: Layout, source: Path, *, progress: index.Progress | None = None,
            defer_vectors: bool = False, activate: bool = True) -> InstalledPack:
    """Verify and install ``source`` and make it active; the old active pack becomes previous.

    With ``defer_vectors`` (or when the pack ships no usable embeddings and the model is
    missing) lexical search works at once and ``build_vectors`` finishes semantic search later.
    ``activate=False`` installs it beside the active pack, which stays active (an update
    fetched now, activated later with ``installed.activate``).
    """
    from appliance.protocols.trust import trusted_keys

    lay.packs.mkdir(parents=True, exist_ok=True)
    _clean_incomplete(lay)
    report = progress or (lambda stage, done, total: None)
    with open_pack(source, lay.tmp) as root:
        _require_space(lay, root)
        install_id = f"{new_id()[-10:].lower()}"
        directory = lay.packs / install_id
        try:
            report("copying", 0, 1)
            shutil.copytree(root, directory / CONTENT, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
            report("verifying", 0, 1)
            pack = verify_pack(directory / CONTENT, trusted_keys(lay))
            report("verifying", 1, 1)
            record = _index(directory, pack, report, defer_vectors)
            atomic_write_json(directory / RECORD, record)
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
    if not activate:
        log.info("protocol pack installed, not active: %s %s (%s)", record["pack_id"],
                 record["version"], install_id)
        return load_installed(lay, install_id)
    state = read_state(lay)
    write_state(lay, install_id, state["active"])
    log.info("protocol pack installed and active: %s %s (%s)", record["pack_id"],
             record["version"], install_id)
    return load_installed(lay, install_id)


def _index(directory: Path, pack: VerifiedPack, report: index.Progress,
           defer_vectors: bool) -> dict[str, Any]:
    from appliance.protocols.expansion import load_synonyms

    m = pack.manifest
    synonyms = load_synonyms(pack.root / SYNONYMS) if SYNONYMS in m.files else {}
    report("search index", 0, len(pack.documents))
    sections = index.build_search_db(directory / index.SEARCH_DB, pack.documents, synonyms,
                                     {"pack_id": m.pack_id, "version": m.version})
    report("search index", len(pack.documents), len(pack.documents))
    vectors = "pending" if defer_vectors else _vectors(directory, pack, report)
    atomic_write_json(directory / "vectors.json", {"state": vectors})
    files = [f"{CONTENT}/{rel}" for rel in list_files(directory / CONTENT)]
    return {
        "pack_id": m.pack_id, "version": m.version, "title": m.title, "publisher": m.publisher,
        "licence": m.licence, "created": m.created, "content_as_of": m.content_as_of,
        "key_id": pack.key_id, "installed_at": dt.datetime.now(dt.UTC).isoformat(),
        "documents": len(pack.documents), "sections": sections, "warnings": list(pack.warnings),
        "manifest_sha256": sha256_hex(pack.manifest_bytes),
        "review_dates": [{"id": d.id, "title": d.title, "review_date": d.review_date.isoformat()}
                         for d in pack.documents],
        "stat": stat_snapshot(directory, files + [index.SEARCH_DB]),
    }


def _vectors(directory: Path, pack: VerifiedPack, report: index.Progress) -> str:
    """Fill the vector index now: from shipped embeddings, else by embedding; returns state."""
    from models.embedder import embedder_available

    chunks = index.chunk_pack(pack.documents)
    matrix = index.shipped_embeddings(pack.root, chunks)
    if matrix is None:
        if not embedder_available():
            return "unavailable"
        matrix = index.compute_embeddings(chunks, report)
    index.write_vectors(directory / index.VECTORS, [s.section_id for _, s in chunks], matrix,
                        report)
    if len(pack.documents) <= LINE_VECTORS_AT_INSTALL:
        from appliance.protocols.lines import LineIndex

        lines = LineIndex(directory)
        try:
            lines.embed_all(report)
        finally:
            lines.close()
    return "ready"


def build_vectors(lay: Layout, progress: index.Progress | None = None) -> str:
    """Finish (or resume) the vector index of the active pack; safe to run in the background."""
    from appliance.protocols.installed import check_installed
    from appliance.protocols.trust import trusted_keys

    pack = active_pack(lay)
    if pack is None:
        raise PackError("No protocol pack is installed.",
                        hint="Install one with: lifeboat protocols install PACK")
    if pack.vectors == "ready":
        return "ready"
    check_installed(lay, pack)
    verified = verify_pack(pack.directory / CONTENT, trusted_keys(lay))
    try:
        state = _vectors(pack.directory, verified, progress or (lambda *a: None))
    except ModelError:
        state = "unavailable"
    atomic_write_json(pack.directory / "vectors.json", {"state": state})
    return state


def install_sample_pack(lay: Layout, *, defer_vectors: bool = False,
                        progress: index.Progress | None = None) -> InstalledPack:
    """DEMO set-up: trust the sample publisher key and install the bundled sample pack."""
    from appliance.protocols.trust import trust_sample_key

    lay.ensure()
    trust_sample_key(lay)
    return install(lay, SAMPLE_PACK, progress=progress, defer_vectors=defer_vectors)


def status(lay: Layout) -> dict[str, Any]:
    """What is installed and active, content dates, overdue documents and the model state."""
    from appliance.protocols.installed import check_installed, list_installed, overdue_documents
    from appliance.protocols.trust import trusted_keys
    from models.embedder import embedder_available

    state = read_state(lay)
    out: dict[str, Any] = {"active": None, "previous": state["previous"],
                           "installed": [p.install_id for p in list_installed(lay)],
                           "trusted_keys": sorted(trusted_keys(lay)),
                           "embedder_available": embedder_available()}
    pack = active_pack(lay)
    if pack is not None:
        try:
            check_installed(lay, pack)
            integrity = "ok"
        except LifeboatError as exc:
            integrity = exc.message
        out["active"] = {**pack.summary(), "integrity": integrity,
                         "overdue": overdue_documents(pack)}
    return out


def _require_space(lay: Layout, root: Path) -> None:
    from appliance import config
    from appliance.health.policy import require_free_disk

    size = sum((root / rel).stat().st_size for rel in list_files(root))
    # Content copy + search index + vectors: roughly three times the pack on disk.
    require_free_disk(lay.packs, 3 * size, config.load(lay.config).power)


def _clean_incomplete(lay: Layout) -> None:
    state = read_state(lay)
    keep = {state["active"], state["previous"]}
    for d in lay.packs.iterdir():
        if d.is_dir() and d.name not in keep and not (d / RECORD).exists():
            shutil.rmtree(d, ignore_errors=True)

