"""A BERT sentence encoder's forward pass as an ONNX graph, for onnxruntime to run.

The graph is written here from the architecture (not exported from torch, which Lifeboat does
not install; encoded by :mod:`models.onnx_proto`) and holds no weights: every weight is a named
initializer whose data the caller hands onnxruntime from the arrays it loaded and verified, so
the model file on disk stays the only copy of the model and its sha256 pin keeps its meaning.

Shapes: ``ids`` and ``mask`` are (batch, length); ``vectors`` is (batch, dim): the mean of the
last layer over each text's own tokens (``mask`` 1 on tokens, 0 on padding), unit length. The
hidden state stays two-dimensional, (batch·length, dim), so every projection is one ``Gemm``
that takes the weight as stored, (out, in), without a transposed copy. GELU is the tanh form:
packs ship vectors made with it (see models/embedder.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

from models import onnx_proto as proto

OPSET = 20  # Gelu with approximate="tanh" is in opset 20
IR_VERSION = 9


@dataclass(frozen=True)
class Shape:
    dim: int
    heads: int
    layers: int
    eps: float = 1e-12


class _Builder:
    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.weights = weights
        self.nodes: list[bytes] = []
        self.initializers: list[bytes] = []
        self.external: dict[str, np.ndarray] = {}
        self._count = 0

    def weight(self, name: str, value: np.ndarray | None = None) -> str:
        """A weight (``value``, or the named array of the model): handed over in memory."""
        import numpy as np

        array = np.ascontiguousarray(self.weights[name] if value is None else value)
        if array.dtype != np.int8:
            array = array.astype(np.float32, copy=False)
        code = proto.INT8 if array.dtype == np.int8 else proto.FLOAT
        self.initializers.append(proto.tensor(name, code, array.shape))
        self.external[name] = array
        return name

    def const(self, name: str, value: np.ndarray) -> str:
        """A small constant of the graph itself (a shape, an axis, a scalar)."""
        import numpy as np

        code = proto.INT64 if value.dtype == np.int64 else proto.FLOAT
        little = value.astype(value.dtype.newbyteorder("<"))
        self.initializers.append(proto.tensor(name, code, value.shape, little.tobytes()))
        return name

    def op(self, op_type: str, *inputs: str, domain: str = "",
           **attrs: int | float | str | list[int]) -> str:
        self._count += 1
        out = f"{op_type.lower()}_{self._count}"
        self.nodes.append(proto.node(op_type, inputs, [out], domain, **attrs))
        return out


def build(weights: dict[str, np.ndarray], shape: Shape, *, int8: bool = False
          ) -> tuple[bytes, dict[str, np.ndarray]]:
    """The serialized graph and the weights it expects supplied in memory (name -> array).

    ``weights`` are float32 arrays named as in a Hugging Face ``BertModel`` state dict. With
    ``int8`` the layers' projections use weights rounded to 8 bits, one scale per output
    feature, and multiply by the activations quantised per call (onnxruntime's
    ``DynamicQuantizeMatMul``): about half the time of float32 for a few dozen tokens, at a
    cosine of ~0.99 to the float32 vector (docs/performance.md).
    """
    import numpy as np

    b = _Builder(weights)
    dim, head_dim = shape.dim, shape.dim // shape.heads

    def ints(*values: int) -> np.ndarray:
        return np.array(values, dtype=np.int64)

    def scalar(value: float) -> np.ndarray:
        return np.array(value, dtype=np.float32)

    def layer_norm(x: str, prefix: str) -> str:
        return b.op("LayerNormalization", x, b.weight(prefix + ".weight"),
                    b.weight(prefix + ".bias"), axis=-1, epsilon=shape.eps)

    def linear(x: str, prefix: str) -> str:
        if not int8:
            return b.op("Gemm", x, b.weight(prefix + ".weight"), b.weight(prefix + ".bias"),
                        transB=1)
        stored = weights[prefix + ".weight"].astype(np.float32)  # (out, in)
        scales = np.maximum(np.abs(stored).max(1), 1e-12) / 127.0
        rounded = np.clip(np.rint(stored / scales[:, None]), -127, 127).astype(np.int8)
        return b.op("DynamicQuantizeMatMul", x,
                    b.weight(prefix + ".int8", np.ascontiguousarray(rounded.T)),
                    b.weight(prefix + ".scale", scales.astype(np.float32)),
                    b.weight(prefix + ".zero", np.zeros(len(scales), dtype=np.int8)),
                    b.weight(prefix + ".bias"), domain="com.microsoft")

    batch_length = b.op("Shape", "ids")
    length = b.op("Shape", "ids", start=1, end=2)
    x = b.op("Gather", b.weight("embeddings.word_embeddings.weight"), "ids", axis=0)
    positions = b.op("Slice", b.weight("embeddings.position_embeddings.weight"),
                     b.const("zero", ints(0)), length, b.const("axis_0", ints(0)))
    x = b.op("Add", b.op("Add", x, positions),
             b.weight("token_type_0", weights["embeddings.token_type_embeddings.weight"][0]))
    x = b.op("Reshape", layer_norm(x, "embeddings.LayerNorm"), b.const("rows", ints(-1, dim)))

    # A padded key gets -1e4 before the softmax, so no query attends to it: (batch, 1, 1, length).
    key_bias = b.op("Mul", b.op("Sub", b.const("one", scalar(1.0)), "mask"),
                    b.const("minus_1e4", scalar(-1e4)))
    key_bias = b.op("Unsqueeze", key_bias, b.const("axes_1_2", ints(1, 2)))
    split_heads = b.op("Concat", batch_length, b.const("heads", ints(shape.heads, head_dim)),
                       axis=0)
    rows = b.const("rows_again", ints(-1, dim))
    scale = b.const("attention_scale", scalar(head_dim ** -0.5))

    def heads(x: str, prefix: str, perm: list[int]) -> str:
        return b.op("Transpose", b.op("Reshape", linear(x, prefix), split_heads), perm=perm)

    for i in range(shape.layers):
        p = f"encoder.layer.{i}."
        q = heads(x, p + "attention.self.query", [0, 2, 1, 3])  # (batch, heads, length, hd)
        k = heads(x, p + "attention.self.key", [0, 2, 3, 1])  # (batch, heads, hd, length)
        v = heads(x, p + "attention.self.value", [0, 2, 1, 3])
        scores = b.op("Add", b.op("Mul", b.op("MatMul", q, k), scale), key_bias)
        context = b.op("MatMul", b.op("Softmax", scores, axis=-1), v)
        context = b.op("Reshape", b.op("Transpose", context, perm=[0, 2, 1, 3]), rows)
        x = layer_norm(b.op("Add", linear(context, p + "attention.output.dense"), x),
                       p + "attention.output.LayerNorm")
        hidden = b.op("Gelu", linear(x, p + "intermediate.dense"), approximate="tanh")
        x = layer_norm(b.op("Add", linear(hidden, p + "output.dense"), x),
                       p + "output.LayerNorm")

    tokens = b.op("Reshape", x, b.op("Concat", batch_length, b.const("dim", ints(dim)), axis=0))
    mask = b.op("Unsqueeze", "mask", b.const("axis_2", ints(2)))
    summed = b.op("ReduceSum", b.op("Mul", tokens, mask), b.const("axis_1", ints(1)),
                  keepdims=0)
    counts = b.op("Max", b.op("ReduceSum", "mask", b.const("axis_1b", ints(1)), keepdims=1),
                  b.const("tiny", scalar(1e-9)))
    pooled = b.op("Div", summed, counts)
    b.nodes.append(proto.node("LpNormalization", [pooled], ["vectors"], axis=1, p=2))
    graph = proto.model(
        b.nodes, "sentence-encoder",
        [proto.value_info("ids", proto.INT64, ["batch", "length"]),
         proto.value_info("mask", proto.FLOAT, ["batch", "length"])],
        [proto.value_info("vectors", proto.FLOAT, ["batch", dim])],
        b.initializers, OPSET, IR_VERSION, {"com.microsoft": 1} if int8 else None)
    return graph, b.external
