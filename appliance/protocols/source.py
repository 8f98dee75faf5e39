"""Reading a pack from a directory or a single archive (.tar.gz, .tgz, .zip) safely.

Archives are unpacked into a private temporary directory with every member checked first:
no absolute paths, no '..', no links or device files, no file above ``MAX_FILE_BYTES`` and no
more than ``MAX_PACK_BYTES`` in total (sizes are enforced while copying, not trusted from
headers). Directories get the same checks, so a symlink cannot smuggle in a file from elsewhere.
The caller says where to unpack (inside ``LIFEBOAT_HOME``, not the system temp folder) and may
check the disk for the unpacked size, read from the archive's index, before anything is written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from appliance.errors import PackError
from appliance.fsutil import wrap_os_error
from appliance.protocols.manifest import MANIFEST, check_relpath

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Largest single file a pack may hold (256 MiB): documents are text, but the float16 section
embeddings of a 20,000-document pack (100,000 sections) are 73 MiB."""
MAX_PACK_BYTES = 1024 * 1024 * 1024
"""Largest pack in total (1 GiB unpacked)."""
MAX_FILES = 100_000
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".zip")


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


@contextlib.contextmanager
def open_pack(path: Path, tmp_root: Path | None = None, *,
              check_space: Callable[[int], object] | None = None) -> Iterator[Path]:
    """Yield a directory holding the pack at ``path`` (unpacked under ``tmp_root`` if it is an
    archive; ``check_space`` gets the unpacked size first and may raise to refuse)."""
    path = Path(path)
    if not path.exists():
        raise PackError(f"No pack at {path}.", hint="Check the path or the USB stick.")
    if path.is_dir():
        root = _find_root(path)
        check_directory(root)
        yield root
        return
    if not is_archive(path):
        raise PackError(f"{path.name} is neither a pack directory nor a .tar.gz/.zip archive.")
    if tmp_root is not None:
        tmp_root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="pack-unpack-", dir=tmp_root))
    try:
        if path.name.lower().endswith(".zip"):
            _unzip(path, tmp, check_space)
        else:
            _untar(path, tmp, check_space)
        yield _find_root(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def list_files(root: Path) -> list[str]:
    """Every regular file under ``root`` as a '/'-separated relative path, sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            rel = Path(dirpath, name).relative_to(root).as_posix()
            out.append(rel)
    return sorted(out)


def check_directory(root: Path) -> None:
    """Refuse links, special files and oversized files in an unpacked or directory pack."""
    total = 0
    count = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in dirnames + filenames:
            full = Path(dirpath, name)
            rel = full.relative_to(root).as_posix()
            st = full.lstat()
            if stat.S_ISLNK(st.st_mode):
                raise PackError(f"Refused pack: {rel} is a symbolic link.",
                                hint="Packs must contain plain files only.")
            if stat.S_ISDIR(st.st_mode):
                continue
            if not stat.S_ISREG(st.st_mode):
                raise PackError(f"Refused pack: {rel} is not a regular file.")
            _check_size(rel, st.st_size)
            total += st.st_size
            count += 1
            _check_totals(total, count)


def _check_size(rel: str, size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise PackError(f"Refused pack: {rel} is too large ({_human(size)}; the limit is "
                        f"{_human(MAX_FILE_BYTES)} per file).")


def _human(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB" if size >= 1024 * 1024 else f"{size} bytes"


def _check_totals(total: int, count: int) -> None:
    if total > MAX_PACK_BYTES:
        raise PackError(f"Refused pack: more than {MAX_PACK_BYTES // (1024 ** 3)} GiB unpacked.")
    if count > MAX_FILES:
        raise PackError(f"Refused pack: more than {MAX_FILES} files.")


def _find_root(directory: Path) -> Path:
    """The pack root: ``directory`` itself, or its single top-level folder (common in archives)."""
    if (directory / MANIFEST).exists():
        return directory
    entries = [p for p in directory.iterdir() if p.name != "__MACOSX"]
    if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink() \
            and (entries[0] / MANIFEST).exists():
        return entries[0]
    if not entries:
        raise PackError("Refused pack: it is empty.")
    raise PackError("Refused pack: no manifest.json found (the pack is unsigned or incomplete).",
                    hint="Build and sign it with: lifeboat protocols build DIR --key KEYFILE")


def _copy_limited(src: IO[bytes], dest: Path, rel: str, budget: int) -> int:
    written = 0
    with dest.open("wb") as out:
        while block := src.read(1 << 20):
            written += len(block)
            _check_size(rel, written)
            if written > budget:
                _check_totals(MAX_PACK_BYTES + 1, 0)
            out.write(block)
    return written


def _target(tmp: Path, name: str) -> tuple[str, Path]:
    rel = check_relpath(name.rstrip("/").removeprefix("./"))
    return rel, tmp / rel


def _untar(path: Path, tmp: Path, check_space: Callable[[int], object] | None) -> None:
    total = 0
    try:
        with tarfile.open(path, "r:*") as tar:
            members = tar.getmembers()
            if len(members) > MAX_FILES:
                _check_totals(0, len(members))
            if check_space is not None:
                check_space(sum(m.size for m in members if m.isfile()))
            for m in members:
                if m.name in (".", "./"):
                    continue
                rel, dest = _target(tmp, m.name)
                if m.issym() or m.islnk():
                    raise PackError(f"Refused pack: {rel} is a link; packs hold plain files only.")
                if m.isdir():
                    dest.mkdir(parents=True, exist_ok=True)
                    continue
                if not m.isfile():
                    raise PackError(f"Refused pack: {rel} is not a regular file.")
                _check_size(rel, m.size)
                dest.parent.mkdir(parents=True, exist_ok=True)
                src = tar.extractfile(m)
                if src is None:
                    raise PackError(f"Refused pack: cannot read {rel} from the archive.")
                total += _copy_limited(src, dest, rel, MAX_PACK_BYTES - total)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise wrap_os_error(exc, tmp) from exc
        raise PackError(f"{path.name} is not a readable .tar.gz archive: {exc}.") from exc
    except (tarfile.TarError, EOFError) as exc:
        raise PackError(f"{path.name} is not a readable .tar.gz archive: {exc}.") from exc


def _unzip(path: Path, tmp: Path, check_space: Callable[[int], object] | None) -> None:
    total = 0
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_FILES:
                _check_totals(0, len(infos))
            if check_space is not None:
                check_space(sum(i.file_size for i in infos if not i.is_dir()))
            for info in infos:
                rel, dest = _target(tmp, info.filename)
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    raise PackError(f"Refused pack: {rel} is a link; packs hold plain files only.")
                if info.is_dir():
                    dest.mkdir(parents=True, exist_ok=True)
                    continue
                _check_size(rel, info.file_size)
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src:
                    total += _copy_limited(src, dest, rel, MAX_PACK_BYTES - total)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise wrap_os_error(exc, tmp) from exc
        raise PackError(f"{path.name} is not a readable .zip archive: {exc}.") from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise PackError(f"{path.name} is not a readable .zip archive: {exc}.") from exc
