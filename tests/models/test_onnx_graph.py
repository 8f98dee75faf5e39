"""The ONNX graph the embedder runs: what models/onnx_proto.py writes is a model the reference
``onnx`` package reads back field for field and its checker accepts."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from models import bert_graph
from models import onnx_proto as proto


def test_messages_read_back_as_the_onnx_package_reads_them() -> None:
    nodes = [proto.node("Gemm", ["x", "w", "b"], ["y"], transB=1, alpha=0.5),
             proto.node("Reshape", ["y", "shape"], ["z"]),
             proto.node("Gelu", ["z"], ["out"], approximate="tanh"),
             proto.node("Transpose", ["out"], ["t"], perm=[1, 0])]
    shape = np.array([-1, 3], dtype=np.int64)
    model = onnx.load_from_string(proto.model(
        nodes, "g", [proto.value_info("x", proto.FLOAT, ["batch", 4])],
        [proto.value_info("t", proto.FLOAT, [3, "batch"])],
        [proto.tensor("w", proto.FLOAT, (3, 4)),
         proto.tensor("b", proto.FLOAT, (3,), np.arange(3, dtype="<f4").tobytes()),
         proto.tensor("shape", proto.INT64, shape.shape, shape.astype("<i8").tobytes())],
        opset=20, ir_version=9))
    assert model.ir_version == 9 and model.opset_import[0].version == 20
    gemm, _, gelu, transpose = model.graph.node
    assert (gemm.op_type, list(gemm.input), list(gemm.output)) == ("Gemm", ["x", "w", "b"], ["y"])
    assert {a.name: helper.get_attribute_value(a) for a in gemm.attribute} == \
        {"transB": 1, "alpha": 0.5}
    assert helper.get_attribute_value(gelu.attribute[0]) == b"tanh"
    assert helper.get_attribute_value(transpose.attribute[0]) == [1, 0]
    w, b, s = model.graph.initializer
    assert w.data_location == TensorProto.EXTERNAL and list(w.dims) == [3, 4]
    assert numpy_helper.to_array(b).tolist() == [0.0, 1.0, 2.0]
    assert numpy_helper.to_array(s).tolist() == [-1, 3]  # a negative int64 survives
    dims = model.graph.input[0].type.tensor_type.shape.dim
    assert (dims[0].dim_param, dims[1].dim_value) == ("batch", 4)


@pytest.mark.parametrize("int8", [False, True])
def test_the_sentence_encoder_graph_passes_the_onnx_checker(int8: bool) -> None:
    rng = np.random.default_rng(0)
    dim, layers = 8, 2
    weights = {"embeddings.word_embeddings.weight": rng.normal(size=(20, dim)),
               "embeddings.position_embeddings.weight": rng.normal(size=(16, dim)),
               "embeddings.token_type_embeddings.weight": rng.normal(size=(2, dim))}
    for prefix, shape in [("embeddings.LayerNorm", None)] + [
            (f"encoder.layer.{i}.{name}", shape) for i in range(layers) for name, shape in (
                ("attention.self.query", (dim, dim)), ("attention.self.key", (dim, dim)),
                ("attention.self.value", (dim, dim)), ("attention.output.dense", (dim, dim)),
                ("attention.output.LayerNorm", None), ("intermediate.dense", (4 * dim, dim)),
                ("output.dense", (dim, 4 * dim)), ("output.LayerNorm", None))]:
        out = shape[0] if shape else dim
        weights[prefix + ".weight"] = rng.normal(size=shape or (dim,))
        weights[prefix + ".bias"] = rng.normal(size=(out,))
    graph, external = bert_graph.build(weights, bert_graph.Shape(dim, 2, layers), int8=int8)
    model = onnx.load_from_string(graph)
    external_names = {t.name for t in model.graph.initializer
                      if t.data_location == TensorProto.EXTERNAL}
    token_types = "embeddings.token_type_embeddings.weight"  # only its first row is used
    assert external_names == set(external)
    projections = {n for n in weights if n.endswith(".weight") and weights[n].ndim == 2
                   and n.startswith("encoder.")}
    expected = set(weights) - {token_types} | {"token_type_0"}
    if int8:  # each projection's weight as 8-bit integers, a scale and a zero per feature
        expected = expected - projections | {p[:-len(".weight")] + s for p in projections
                                             for s in (".int8", ".scale", ".zero")}
        assert all(external[p[:-len(".weight")] + ".int8"].dtype == np.int8 for p in projections)
    assert set(external) == expected
    assert not any(len(t.raw_data) > 64 for t in model.graph.initializer)  # no weights inside
    for tensor in model.graph.initializer:  # the checker wants the data in a file or inline
        if tensor.name in external:
            tensor.CopyFrom(numpy_helper.from_array(external[tensor.name], tensor.name))
    onnx.checker.check_model(model, full_check=True)  # operators, attributes, opset, shapes


@pytest.mark.parametrize("n", [0, 1, 127, 128, 300, 2**40, -1, -(2**63)])
def test_varints_round_trip(n: int) -> None:
    from onnx import AttributeProto

    parsed = AttributeProto.FromString(proto.attribute("a", n))
    assert parsed.i == n
