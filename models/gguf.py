"""Read a GGUF file's header without llama.cpp, so a corrupt file gets a clear message.

llama.cpp aborts or prints C-level errors on a bad file; checking the magic, version, metadata
and that every tensor's data offset lies inside the file catches truncated downloads and files
that are not GGUF before they reach it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from appliance.errors import ModelError

MAGIC = b"GGUF"
# Architectures llama-cpp-python 0.3.x runs that Lifeboat has been told about.
KNOWN_ARCHITECTURES = frozenset({
    "llama", "qwen2", "qwen3", "gemma", "gemma2", "gemma3", "phi3", "mistral", "smollm3",
})
_SCALAR = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
           10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
# Keys whose values we keep (arrays such as the vocabulary are skipped, not stored).
_WANTED = ("general.", "tokenizer.chat_template", ".context_length", ".block_count")


@dataclass(frozen=True)
class GGUFHeader:
    """What the header says about a model file."""

    version: int
    tensor_count: int
    architecture: str
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.metadata.get("general.name", ""))

    @property
    def context_length(self) -> int | None:
        value = self.metadata.get(f"{self.architecture}.context_length")
        return int(value) if value is not None else None


def read_header(path: Path) -> GGUFHeader:
    """Parse and sanity-check ``path``; raise ModelError naming what is wrong."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            return _parse(fh, size, path)
    except FileNotFoundError as exc:
        raise ModelError(f"Model file not found: {path}.") from exc
    except (struct.error, UnicodeDecodeError, MemoryError, OverflowError) as exc:
        raise _corrupt(path, "its header is cut short or garbled") from exc


def check_architecture(header: GGUFHeader, path: Path) -> None:
    """Refuse a GGUF whose architecture this Lifeboat does not know how to run."""
    if header.architecture not in KNOWN_ARCHITECTURES:
        raise ModelError(
            f"{path.name} is a '{header.architecture or 'unknown'}' model, which this Lifeboat "
            "does not run.",
            hint=f"Use an instruct GGUF of a known architecture: {sorted(KNOWN_ARCHITECTURES)}.")


def _corrupt(path: Path, why: str) -> ModelError:
    return ModelError(f"{path.name} is not a usable GGUF model: {why}.",
                      hint="The file is corrupt or truncated; copy it again and check its sha256.")


def _parse(fh: BinaryIO, size: int, path: Path) -> GGUFHeader:
    if fh.read(4) != MAGIC:
        raise _corrupt(path, "it does not start with the GGUF magic bytes")
    (version,) = struct.unpack("<I", _read(fh, 4))
    if version not in (2, 3):
        raise _corrupt(path, f"GGUF version {version} is not supported (2 or 3 expected)")
    tensor_count, kv_count = struct.unpack("<QQ", _read(fh, 16))
    if tensor_count > 100_000 or kv_count > 100_000:
        raise _corrupt(path, "its header declares an impossible number of entries")
    meta: dict[str, Any] = {}
    for _ in range(kv_count):
        key = _string(fh)
        (vtype,) = struct.unpack("<I", _read(fh, 4))
        value = _value(fh, vtype, keep=key.startswith(_WANTED) or key.endswith(_WANTED))
        if value is not None:
            meta[key] = value
    max_end = 0
    for _ in range(tensor_count):
        _string(fh)
        (n_dims,) = struct.unpack("<I", _read(fh, 4))
        if n_dims > 8:
            raise _corrupt(path, "a tensor declares more than 8 dimensions")
        _read(fh, 8 * n_dims + 4)
        (offset,) = struct.unpack("<Q", _read(fh, 8))
        max_end = max(max_end, offset)
    alignment = int(meta.get("general.alignment", 32))
    data_start = -(-fh.tell() // alignment) * alignment
    if data_start + max_end >= size:
        raise _corrupt(path, f"it is truncated ({size} bytes, tensor data reaches beyond)")
    arch = str(meta.get("general.architecture", ""))
    return GGUFHeader(version=version, tensor_count=tensor_count, architecture=arch,
                      metadata=meta)


def _read(fh: BinaryIO, n: int) -> bytes:
    data = fh.read(n)
    if len(data) != n:
        raise struct.error("short read")
    return data


def _string(fh: BinaryIO) -> str:
    (n,) = struct.unpack("<Q", _read(fh, 8))
    if n > 50_000_000:
        raise struct.error("string too long")
    return _read(fh, n).decode("utf-8")


def _value(fh: BinaryIO, vtype: int, keep: bool) -> Any:
    if vtype in _SCALAR:
        fmt = _SCALAR[vtype]
        (value,) = struct.unpack(fmt, _read(fh, struct.calcsize(fmt)))
        return value
    if vtype == _STRING:
        return _string(fh)
    if vtype == _ARRAY:
        (etype,) = struct.unpack("<I", _read(fh, 4))
        (count,) = struct.unpack("<Q", _read(fh, 8))
        if etype in _SCALAR:  # skip fixed-size arrays in one seek
            fh.seek(struct.calcsize(_SCALAR[etype]) * count, 1)
        else:
            for _ in range(count):
                _value(fh, etype, keep=False)
        return None
    raise struct.error(f"unknown GGUF value type {vtype}")
