"""Making and signing a pack from a folder of Markdown (``lifeboat protocols build``).

The folder holds ``pack.toml`` (pack_id, version, publisher, licence, title, optional
content_as_of and categories), ``docs/*.md`` and optional ``search/``, ``triage/`` and
``calculators/`` data. Build validates every document (reporting all the invalid ones at once),
precomputes section embeddings into ``index/`` (when the model is installed) so devices need no
model time to install, writes ``manifest.json`` listing each file's sha256, and signs it into
``manifest.sig``. The output is the folder itself (default), a new folder, or a single
``.tar.gz``/``.zip`` archive.

Work happens in a folder beside the output (``.<name>.lifeboat-build/``), never in the system
temp folder: the staged copy of the pack, and the finished embedding batches, which a rerun
after an interruption reuses. It is removed when the build succeeds. What is handed out (the
archive, or the files of a new output folder) is world-readable.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import tarfile
import tomllib
import zipfile
from pathlib import Path
from typing import Any

from appliance.errors import PackError
from appliance.fsutil import atomic_write_bytes, fsync_dir, sha256_file
from appliance.protocols import index
from appliance.protocols.documents import (
    CATEGORIES,
    Document,
    Section,
    check_categories,
    parse_documents,
)
from appliance.protocols.manifest import (
    MANIFEST,
    SIGNATURE,
    Manifest,
    check_embedder,
    parse_manifest,
    sign,
)
from appliance.protocols.source import list_files

PACK_TOML = "pack.toml"
PUBLIC_FILE = 0o644
PUBLIC_DIR = 0o755


def work_dir(src: Path, out: Path | None = None) -> Path:
    """Where a build of ``src`` into ``out`` stages files and keeps finished embeddings."""
    target = (out if out is not None else src).resolve()
    return target.parent / f".{target.name}.lifeboat-build"


def build_pack(src: Path, key_path: Path, out: Path | None = None, *,
               embed: bool = True, progress: index.Progress | None = None,
               workers: int | None = None) -> Path:
    """Validate, embed, hash and sign the pack in ``src``; returns where it was written.

    An interrupted build keeps its finished embedding batches in :func:`work_dir`; running the
    same build again embeds only what is missing.
    """
    from appliance.protocols.trust import load_private_key

    key = load_private_key(key_path)
    info = _read_pack_toml(src)
    work = work_dir(src, out)
    if out is None or out.resolve() == src.resolve():
        _sign_folder(src, key, info, work, embed=embed, progress=progress, workers=workers)
        shutil.rmtree(work, ignore_errors=True)
        return src
    is_archive = out.name.lower().endswith((".tar.gz", ".tgz", ".zip"))
    if not is_archive and out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PackError(f"{out} exists and is not empty; choose a new output folder.")
    staged = work / "staging" / info["pack_id"]
    shutil.rmtree(staged.parent, ignore_errors=True)
    _copy_inputs(src, staged)
    _sign_folder(staged, key, info, work, embed=embed, progress=progress, workers=workers)
    _make_public(staged)
    if is_archive:
        _archive(staged, out)
    else:
        if out.exists():
            out.rmdir()
        out.parent.mkdir(parents=True, exist_ok=True)
        staged.rename(out)
        fsync_dir(out.parent)
    shutil.rmtree(work, ignore_errors=True)
    return out


def _sign_folder(src: Path, key: Any, info: dict[str, Any], work: Path, *, embed: bool,
                 progress: index.Progress | None, workers: int | None) -> None:
    docs = sorted(p for p in list_files(src) if p.startswith("docs/") and p.endswith(".md"))
    if not docs:
        raise PackError(f"{src}/docs has no .md documents: nothing to build.")
    categories: tuple[str, ...] = info.get("categories", ())
    documents = parse_documents(((p, (src / p).read_bytes) for p in docs),
                                categories=categories or CATEGORIES)
    shutil.rmtree(src / "index", ignore_errors=True)
    embedder: dict[str, str] = info.get("embedder", {})
    if embed and embedder:
        _check_build_embedder(embedder)
    if embed:
        _write_embeddings(src, index.chunk_pack(documents), progress, work / "embeddings",
                          workers)
    # Every file is signed: verification refuses any file the manifest does not list.
    files = {rel: sha256_file(src / rel) for rel in list_files(src)
             if rel not in (MANIFEST, SIGNATURE)}
    manifest = Manifest(pack_id=info["pack_id"], version=info["version"],
                        publisher=info["publisher"], licence=info["licence"],
                        title=info.get("title", ""),
                        created=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                        content_as_of=str(info.get("content_as_of") or dt.date.today()),
                        files=files, categories=categories, embedder=embedder)
    data = manifest.to_bytes()
    parse_manifest(data)  # what we sign must be what devices accept
    _write_public(src / MANIFEST, data)
    _write_public(src / SIGNATURE, sign(data, key))


def _check_build_embedder(declared: dict[str, str]) -> None:
    """Embeddings made here are the bundled model's: refuse to ship them as another's."""
    from models.embedder import MODEL_NAME, MODEL_SHA256

    if (declared["name"], declared["sha256"]) != (MODEL_NAME, MODEL_SHA256):
        raise PackError(f"pack.toml declares the embedder {declared['name']} "
                        f"(sha256 {declared['sha256'][:12]}…), but this machine embeds with "
                        f"{MODEL_NAME} (sha256 {MODEL_SHA256[:12]}…).",
                        hint="Build with --no-embed, or declare the embedder installed here.")


def _read_pack_toml(src: Path) -> dict[str, Any]:
    path = src / PACK_TOML
    try:
        info = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(f"{src} has no {PACK_TOML}.",
                        hint="Add pack_id, version, publisher, licence and title.") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PackError(f"{path} is not valid TOML: {exc}.") from exc
    for key in ("pack_id", "version", "publisher", "licence"):
        if not isinstance(info.get(key), str) or not info[key]:
            raise PackError(f"{path}: '{key}' must be a non-empty string.")
    out: dict[str, Any] = {k: str(v) for k, v in info.items()
                           if k not in ("categories", "embedder")}
    if "categories" in info:
        out["categories"] = check_categories(info["categories"], str(path))
    if "embedder" in info:
        out["embedder"] = check_embedder(info["embedder"], str(path))
    return out


def _write_embeddings(src: Path, chunks: list[tuple[Document, Section]],
                      progress: index.Progress | None, cache_dir: Path,
                      workers: int | None) -> None:
    """Precompute embeddings so installs skip the model; skipped when no model is installed."""
    import numpy as np

    from models.embedder import MODEL_NAME, MODEL_SHA256, embedder_available

    if not embedder_available():
        return
    matrix = index.compute_embeddings(chunks, progress, cache_dir=cache_dir, workers=workers)
    (src / "index").mkdir(exist_ok=True)
    os.chmod(src / "index", PUBLIC_DIR)
    buf = io.BytesIO()
    np.save(buf, matrix.astype(np.float16), allow_pickle=False)
    _write_public(src / index.EMBEDDINGS, buf.getvalue())
    _write_public(src / index.CHUNKS, (json.dumps(
        {"model": MODEL_NAME, "model_sha256": MODEL_SHA256, "dtype": "float16",
         "sections": index.chunk_fingerprints(chunks)}, indent=1) + "\n").encode())


def _write_public(path: Path, data: bytes) -> None:
    """Write a file meant to be handed out: readable by everyone, whatever the umask."""
    atomic_write_bytes(path, data, mode=PUBLIC_FILE)
    os.chmod(path, PUBLIC_FILE)


def _make_public(root: Path) -> None:
    for dirpath, _, filenames in os.walk(root):
        os.chmod(dirpath, PUBLIC_DIR)
        for name in filenames:
            os.chmod(Path(dirpath, name), PUBLIC_FILE)


def _copy_inputs(src: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for rel in list_files(src):
        if not rel.startswith("index/") and rel not in (MANIFEST, SIGNATURE):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src / rel, dest / rel)


def _archive(root: Path, out: Path) -> None:
    """Write ``root`` as one archive at ``out`` (atomically, world-readable)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    if out.name.lower().endswith(".zip"):
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for rel in list_files(root):
                entry = zipfile.ZipInfo.from_file(root / rel, f"{root.name}/{rel}")
                entry.external_attr = (0o100000 | PUBLIC_FILE) << 16
                entry.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(entry, (root / rel).read_bytes())
    else:
        with tarfile.open(tmp, "w:gz") as tar:
            for rel in list_files(root):
                tar.add(root / rel, f"{root.name}/{rel}", recursive=False, filter=_public_member)
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.chmod(tmp, PUBLIC_FILE)
    tmp.replace(out)
    fsync_dir(out.parent)


def _public_member(member: tarfile.TarInfo) -> tarfile.TarInfo:
    """Archive members carry no local owner and unpack readable by everyone."""
    member.mode = PUBLIC_FILE
    member.uid = member.gid = 0
    member.uname = member.gname = ""
    return member
