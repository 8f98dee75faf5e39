"""Pack lifecycle: verify a source, install it (verify, index, embed, switch), finish vectors.

Install copies the pack into a fresh ``packs/<install_id>/`` first (an archive is unpacked into
``LIFEBOAT_HOME/tmp`` and moved there) and verifies the copy (so the files indexed are exactly
the files verified), builds ``search.db`` and the vector index there, writes ``install.json``
last, and only then switches ``state.json`` to it. Any failure deletes the new directory; the
active pack is never touched.

A pack without usable precomputed embeddings is embedded on the device. When that would take
longer than ``EMBED_AT_INSTALL_S`` the install finishes with lexical search and vectors
"pending"; ``vectors.json`` records the measured estimate so the caller can say how long
``build_vectors`` will take before starting it.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance.errors import LifeboatError, ModelError, PackError
from appliance.fsutil import atomic_write_json
from appliance.ids import new_id
from appliance.protocols import index
from appliance.protocols.bm25 import BM25_DIR
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
from appliance.protocols.source import is_archive, list_files, open_pack
from appliance.protocols.verify import SYNONYMS, VerifiedPack, verify_pack

if TYPE_CHECKING:
    from appliance.paths import Layout
    from appliance.protocols.documents import Document, Section

log = logging.getLogger(__name__)

SAMPLE_PACK = Path(__file__).resolve().parent / "sample_pack"
LINE_VECTORS_AT_INSTALL = 200
"""Packs up to this many documents get their answer-line embeddings at install; larger ones
embed each document's lines in the background the first time an answer needs them."""
EMBED_AT_INSTALL_S = 20.0
"""Longest on-device embedding an install waits for; longer is left to ``build_vectors``."""
INDEX_AT_INSTALL_S = 30.0
"""Longest indexing of a pack's shipped vectors an install waits for; longer is left to
``build_vectors`` (the vector index's insertion cost, measured: VECTOR_INDEX_S_PER_SECTION)."""
VECTOR_INDEX_S_PER_SECTION = 0.0006
VECTORS = "vectors.json"
# What an install writes, measured on installs of the sample pack, MedQuAD and generated packs
# of 2,000 and 20,000 documents (docs/performance.md); see install_bytes.
BLOCK = 4096
SEARCH_DB_FIXED = 2 * 2**20
SEARCH_DB_PER_TEXT_BYTE = 6.4
BM25_PER_TEXT_BYTE = 1.4
VECTORS_FIXED = 2**20
VECTOR_BYTES_PER_SECTION = 2900
LINE_VECTORS_PER_TEXT_BYTE = 12.0
SPACE_MARGIN = 1.1


def verify_source(lay: Layout, source: Path) -> VerifiedPack:
    """Fully verify a pack directory or archive against this device's trust store."""
    from appliance.protocols.trust import trusted_keys

    with open_pack(source, lay.tmp) as root:
        return verify_pack(root, trusted_keys(lay))


def install(lay: Layout, source: Path, *, progress: index.Progress | None = None,
            defer_vectors: bool = False, activate: bool = True) -> InstalledPack:
    """Verify and install ``source`` and make it active; the old active pack becomes previous.

    With ``defer_vectors``, or when the pack ships no usable embeddings and embedding them here
    would take longer than ``EMBED_AT_INSTALL_S`` (or the model is missing), lexical search
    works at once and ``build_vectors`` finishes semantic search later. ``activate=False``
    installs it beside the active pack, which stays active (an update fetched now, activated
    later with ``installed.activate``).
    """
    from appliance.protocols.trust import trusted_keys

    lay.packs.mkdir(parents=True, exist_ok=True)
    _clean_incomplete(lay)
    report = progress or (lambda stage, done, total: None)
    unpacked = is_archive(Path(source)) and not Path(source).is_dir()
    with open_pack(source, lay.tmp, check_space=lambda n: _require(lay, n)) as root:
        _require(lay, install_bytes(root, copy=not unpacked))
        install_id = f"{new_id()[-10:].lower()}"
        directory = lay.packs / install_id
        try:
            report("copying", 0, 1)
            _take(root, directory / CONTENT, move=unpacked)
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


def _take(root: Path, dest: Path, *, move: bool) -> None:
    """Put the pack's files at ``dest``: an archive we unpacked ourselves is moved (no second
    copy on disk), a directory (a USB stick, a shared folder) is copied."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if move:
        try:
            os.rename(root, dest)
            return
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
    shutil.copytree(root, dest, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))


def _index(directory: Path, pack: VerifiedPack, report: index.Progress,
           defer_vectors: bool) -> dict[str, Any]:
    from appliance.protocols.expansion import load_synonyms

    m = pack.manifest
    synonyms = load_synonyms(pack.root / SYNONYMS) if SYNONYMS in m.files else {}
    report("search index", 0, len(pack.documents))
    sections = index.build_search_db(directory / index.SEARCH_DB, pack.documents, synonyms,
                                     {"pack_id": m.pack_id, "version": m.version})
    report("search index", len(pack.documents), len(pack.documents))
    atomic_write_json(directory / VECTORS, _plan_vectors(directory, pack, report, defer_vectors))
    files = [f"{CONTENT}/{rel}" for rel in list_files(directory / CONTENT)]
    arrays = directory / BM25_DIR
    files += [f"{BM25_DIR}/{p.name}" for p in sorted(arrays.iterdir())] if arrays.is_dir() else []
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


def _plan_vectors(directory: Path, pack: VerifiedPack, report: index.Progress,
                  defer: bool) -> dict[str, Any]:
    """Fill the vector index now when that is quick; else say how long it will take."""
    from models.embedder import embedder_available

    chunks = index.chunk_pack(pack.documents)
    matrix = index.shipped_embeddings(pack.root, chunks)
    if matrix is None:
        if not embedder_available():
            return {"state": "unavailable"}
        estimate = _estimate(chunks)
        if defer or estimate > EMBED_AT_INSTALL_S:
            return {"state": "pending", "sections": len(chunks), "estimate_s": round(estimate, 1)}
    elif defer:
        return {"state": "pending"}
    elif len(chunks) * VECTOR_INDEX_S_PER_SECTION > INDEX_AT_INSTALL_S:
        # The pack's own vectors, too many to index within the install's budget: the pack
        # is active with lexical search while build_vectors indexes them (no model needed).
        return {"state": "pending", "sections": len(chunks), "shipped": True,
                "estimate_s": round(len(chunks) * VECTOR_INDEX_S_PER_SECTION, 1)}
    return {"state": _fill(directory, pack, chunks, matrix, report)}


def _estimate(chunks: list[tuple[Document, Section]]) -> float:
    from appliance.protocols.batch_embedding import estimate_seconds

    try:
        return estimate_seconds([index.embed_text(d, s) for d, s in chunks])
    except ModelError:
        return 0.0  # a refused model: filling the index reports it


def _vectors(directory: Path, pack: VerifiedPack, report: index.Progress) -> str:
    """Fill the vector index now: from shipped embeddings, else by embedding; returns state."""
    from models.embedder import embedder_available

    chunks = index.chunk_pack(pack.documents)
    matrix = index.shipped_embeddings(pack.root, chunks)
    if matrix is None and not embedder_available():
        return "unavailable"
    return _fill(directory, pack, chunks, matrix, report)


def _fill(directory: Path, pack: VerifiedPack, chunks: list[tuple[Document, Section]],
          matrix: Any | None, report: index.Progress) -> str:
    if matrix is not None:
        index.write_vectors(directory / index.VECTORS, [s.section_id for _, s in chunks],
                            matrix, report)
    else:
        index.embed_vectors(directory / index.VECTORS, chunks, report)
    if len(pack.documents) <= LINE_VECTORS_AT_INSTALL:
        from appliance.protocols.lines import LineIndex

        lines = LineIndex(directory)
        try:
            lines.embed_all(report)
        finally:
            lines.close()
    return "ready"


def pending_estimate(pack: InstalledPack) -> tuple[int, float] | None:
    """(sections, seconds) still to embed on this device for ``pack``, when install measured it."""
    info = _pending(pack)
    return None if info is None else (int(info.get("sections", 0)), float(info["estimate_s"]))


def pending_is_shipped(pack: InstalledPack) -> bool:
    """True when the pending vectors are the pack's own, only to be indexed (no embedding)."""
    info = _pending(pack)
    return bool(info and info.get("shipped"))


def _pending(pack: InstalledPack) -> dict[str, Any] | None:
    try:
        info = json.loads((pack.directory / VECTORS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict) or info.get("state") != "pending" or "estimate_s" not in info:
        return None
    return info


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
    atomic_write_json(pack.directory / VECTORS, {"state": state})
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


def install_bytes(root: Path, *, copy: bool = True) -> int:
    """Disk an install of the unpacked pack at ``root`` writes, with a margin: the content copy
    (unless it is moved into place), ``search.db`` and its bm25 arrays, the vector index and,
    for small packs, the answer-line vectors.

    The index sizes scale with the documents' text and their number of sections; the factors
    were measured on real installs (docs/performance.md).
    """
    content = text = sections = docs = 0
    for rel in list_files(root):
        size = (root / rel).stat().st_size
        content += -(-size // BLOCK) * BLOCK
        if rel.startswith("docs/") and rel.endswith(".md"):
            docs += 1
            text += size
            # A section per ##/### heading, or one for a document without: read, not parsed.
            sections += max(1, (root / rel).read_bytes().count(b"\n##"))
    need = (SEARCH_DB_FIXED + (SEARCH_DB_PER_TEXT_BYTE + BM25_PER_TEXT_BYTE) * text
            + VECTORS_FIXED + VECTOR_BYTES_PER_SECTION * sections)
    if docs <= LINE_VECTORS_AT_INSTALL:
        need += LINE_VECTORS_PER_TEXT_BYTE * text
    return int(SPACE_MARGIN * (need + (content if copy else 0)))


def _require(lay: Layout, needed: int) -> None:
    from appliance import config
    from appliance.health.policy import require_free_disk

    require_free_disk(lay.packs, needed, config.load(lay.config).power)


def _clean_incomplete(lay: Layout) -> None:
    state = read_state(lay)
    keep = {state["active"], state["previous"]}
    for d in lay.packs.iterdir():
        if d.is_dir() and d.name not in keep and not (d / RECORD).exists():
            shutil.rmtree(d, ignore_errors=True)

