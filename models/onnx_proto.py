"""The few ONNX protobuf messages a graph needs, written in protobuf's wire format.

Why not the ``onnx`` package: importing it costs ~0.9 s of CPU per process on the development
machine (its ``ml_dtypes`` dependency registers dozens of numpy dtypes), and every CLI search
loads the embedder in a fresh process. What is written here is only an encoder for the fields
the sentence encoder's graph uses; the field numbers are those of ``onnx/onnx.proto``, and the
tests parse the output with the ``onnx`` package and run its checker on it.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence

FLOAT, INT8, INT64 = 1, 3, 7  # TensorProto.DataType
_ATTR_FLOAT, _ATTR_INT, _ATTR_STRING, _ATTR_INTS = 1, 2, 3, 7  # AttributeProto.AttributeType
_EXTERNAL = 1  # TensorProto.DataLocation


def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1  # negative int64s are written as their two's complement
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _int(field: int, n: int) -> bytes:
    return _varint(field << 3) + _varint(n)


def _bytes(field: int, payload: bytes) -> bytes:
    return _varint(field << 3 | 2) + _varint(len(payload)) + payload


def _str(field: int, text: str) -> bytes:
    return _bytes(field, text.encode())


def _float(field: int, x: float) -> bytes:
    return _varint(field << 3 | 5) + struct.pack("<f", x)


def _packed(field: int, values: Iterable[int]) -> bytes:
    return _bytes(field, b"".join(_varint(v) for v in values))


def tensor(name: str, data_type: int, dims: Sequence[int], raw: bytes | None = None) -> bytes:
    """A TensorProto holding ``raw`` (little-endian) data, or, when ``raw`` is None, one whose
    data the runtime is given separately (onnxruntime's ``add_external_initializers``)."""
    out = _packed(1, dims) + _int(2, data_type) + _str(8, name)
    if raw is not None:
        return out + _bytes(9, raw)
    # The location names no file: the runtime is handed the data in memory.
    return out + _bytes(13, _str(1, "location") + _str(2, "supplied-in-memory")) \
        + _int(14, _EXTERNAL)


def attribute(name: str, value: int | float | str | Sequence[int]) -> bytes:
    if isinstance(value, bool | int):
        return _str(1, name) + _int(3, int(value)) + _int(20, _ATTR_INT)
    if isinstance(value, float):
        return _str(1, name) + _float(2, value) + _int(20, _ATTR_FLOAT)
    if isinstance(value, str):
        return _str(1, name) + _str(4, value) + _int(20, _ATTR_STRING)
    return _str(1, name) + _packed(8, value) + _int(20, _ATTR_INTS)


def node(op_type: str, inputs: Sequence[str], outputs: Sequence[str], domain: str = "",
         **attributes: int | float | str | Sequence[int]) -> bytes:
    return (b"".join(_str(1, i) for i in inputs) + b"".join(_str(2, o) for o in outputs)
            + _str(4, op_type)
            + b"".join(_bytes(5, attribute(k, v)) for k, v in attributes.items())
            + (_str(7, domain) if domain else b""))


def value_info(name: str, elem_type: int, dims: Sequence[int | str]) -> bytes:
    """A graph input or output: a tensor of ``elem_type`` whose dims are sizes or names."""
    shape = b"".join(_bytes(1, _int(1, d) if isinstance(d, int) else _str(2, d)) for d in dims)
    tensor_type = _int(1, elem_type) + _bytes(2, shape)
    return _str(1, name) + _bytes(2, _bytes(1, tensor_type))


def model(nodes: Sequence[bytes], name: str, inputs: Sequence[bytes], outputs: Sequence[bytes],
          initializers: Sequence[bytes], opset: int, ir_version: int,
          domains: dict[str, int] | None = None) -> bytes:
    """A ModelProto of the default operator set ``opset`` and any other ``domains``
    (domain -> version)."""
    graph = (b"".join(_bytes(1, n) for n in nodes) + _str(2, name)
             + b"".join(_bytes(5, t) for t in initializers)
             + b"".join(_bytes(11, i) for i in inputs) + b"".join(_bytes(12, o) for o in outputs))
    opsets = {"": opset, **(domains or {})}
    return (_int(1, ir_version) + _str(2, "lifeboat") + _bytes(7, graph)
            + b"".join(_bytes(8, _str(1, d) + _int(2, v)) for d, v in opsets.items()))
