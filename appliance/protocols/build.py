"""Making and signing a pack from a folder of Markdown (``lifeboat protocols build``).

The folder holds ``pack.toml`` (pack_id, version, publisher, licence, title, optional
content_as_of), ``docs/*.md`` and optional ``search/``, ``triage/`` and ``calculators/`` data.
Build validates every document, precomputes section embeddings into ``index/`` (when the model
is installed) so devices need no model time to install, writes ``manifest.json`` listing each
file's sha256, and signs it into ``manifest.sig``. The output is the folder itself (default), a
new folder, or a single ``.tar.gz``/``.zip`` archive.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import tarfile
import tempfile
import tomllib
import zipfile
from pathlib import Path

from appliance.errors import PackError
from appliance.fsutil import atomic_write_bytes, sha256_file
from appliance.protocols import index
from appliance.protocols.documents import Document, Section, parse_document
from appliance.protocols.manifest import MANIFEST, SIGNATURE, Manifest, parse_manifest, sign
from appliance.protocols.source import list_files

PACK_TOML = "pack.toml"


def build_pack(src: Path, key_path: Path, out: Path | None = None, *,
               embed: bool = True, progress: index.Progress | None = None) -> Path:
    """Validate, embed, hash and sign the pack in ``src``; returns where it was written."""
    from appliance.protocols.trust import load_private_key

    key = load_private_key(key_path)
    info = _read_pack_toml(src)
    if out is not None and out.resolve() != src.resolve():
        if out.name.lower().endswith((".tar.gz", ".tgz", ".zip")):
            with tempfile.TemporaryDirectory() as tmp:
                staged = Path(tmp) / info["pack_id"]
                _copy_inputs(src, staged)
                build_pack(staged, key_path, None, embed=embed, progress=progress)
                _archive(staged, out)
            return out
        if out.exists() and any(out.iterdir()):
            raise PackError(f"{out} exists and is not empty; choose a new output folder.")
        _copy_inputs(src, out)
        src = out
    docs = sorted(p for p in list_files(src) if p.startswith("docs/") and p.endswith(".md"))
    if not docs:
        raise PackError(f"{src}/docs has no .md documents: nothing to build.")
    documents = [parse_document(p, (src / p).read_bytes()) for p in docs]
    shutil.rmtree(src / "index", ignore_errors=True)
    if embed:
        _write_embeddings(src, index.chunk_pack(documents), progress)
    # Every file is signed: verification refuses any file the manifest does not list.
    files = {rel: sha256_file(src / rel) for rel in list_files(src)
             if rel not in (MANIFEST, SIGNATURE)}
    manifest = Manifest(pack_id=info["pack_id"], version=info["version"],
                        publisher=info["publisher"], licence=info["licence"],
                        title=info.get("title", ""),
                        created=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                        content_as_of=str(info.get("content_as_of") or dt.date.today()),
                        files=files)
    data = manifest.to_bytes()
    parse_manifest(data)  # what we sign must be what devices accept
    atomic_write_bytes(src / MANIFEST, data, mode=0o644)
    atomic_write_bytes(src / SIGNATURE, sign(data, key), mode=0o644)
    return src


def _read_pack_toml(src: Path) -> dict[str, str]:
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
    return {k: str(v) for k, v in info.items()}


def _write_embeddings(src: Path, chunks: list[tuple[Document, Section]],
                      progress: index.Progress | None) -> None:
    """Precompute embeddings so installs skip the model; skipped when no model is installed."""
    import numpy as np

    from models.embedder import MODEL_NAME, MODEL_SHA256, embedder_available

    if not embedder_available():
        return
    matrix = index.compute_embeddings(chunks, progress)
    (src / "index").mkdir(exist_ok=True)
    buf = io.BytesIO()
    np.save(buf, matrix.astype(np.float16), allow_pickle=False)
    atomic_write_bytes(src / index.EMBEDDINGS, buf.getvalue(), mode=0o644)
    atomic_write_bytes(src / index.CHUNKS, (json.dumps(
        {"model": MODEL_NAME, "model_sha256": MODEL_SHA256, "dtype": "float16",
         "sections": index.chunk_fingerprints(chunks)}, indent=1) + "\n").encode(), mode=0o644)


def _copy_inputs(src: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for rel in list_files(src):
        if not rel.startswith("index/") and rel not in (MANIFEST, SIGNATURE):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src / rel, dest / rel)


def _archive(root: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    if out.name.lower().endswith(".zip"):
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for rel in list_files(root):
                zf.write(root / rel, f"{root.name}/{rel}")
    else:
        with tarfile.open(tmp, "w:gz") as tar:
            for rel in list_files(root):
                tar.add(root / rel, f"{root.name}/{rel}", recursive=False)
    tmp.replace(out)
