"""The all-MiniLM-L6-v2 embedder (onnxruntime): pinned files, unit vectors, meaning, padding
invariance, and the same vectors as a plain reference forward pass (packs ship vectors made by
older code)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from models.embedder import DIM, INT8_FROM, Embedder, _cut, get_embedder, model_dir
from tests.availability import unavailable


@pytest.fixture(autouse=True, scope="module")
def _embedder_installed() -> None:
    if model_dir() is None:
        unavailable("embedding model package not installed (make install-test installs it)")


def test_unit_vectors_of_the_right_shape() -> None:
    vectors = get_embedder().embed(["chest pain", "a much longer sentence about a fall at home"])
    assert vectors.shape == (2, DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_paraphrases_are_closer_than_unrelated_text() -> None:
    a, b, c, d = get_embedder().embed([
        "The patient is short of breath", "Patient has difficulty breathing",
        "How to cool a burn on the hand", "Low blood sugar in a diabetic"])
    assert a @ b > 0.6
    assert a @ b > max(a @ c, a @ d, b @ c) + 0.3


def test_padding_does_not_change_an_embedding() -> None:
    emb = get_embedder()
    alone = emb.embed_one("seizure lasting five minutes")
    batched = emb.embed(["seizure lasting five minutes",
                         "a far longer text " * 20], batch_size=2)[0]
    assert np.allclose(alone, batched, atol=1e-5)


def test_words_past_the_token_cap_do_not_change_an_embedding() -> None:
    emb = get_embedder()
    head = "my dad fell in the garden and hit his head on the patio " * 3
    capped = emb.embed_one(head + "and now he is being sick and very drowsy", max_tokens=24)
    assert np.allclose(capped, emb.embed_one(head + "then slept all afternoon", max_tokens=24),
                       atol=1e-5)
    assert not np.allclose(capped, emb.embed_one(head), atol=1e-3)  # the cap is not the default


def test_a_cut_keeps_the_start_and_the_last_pieces() -> None:
    ids = list(range(10))  # [CLS] 1 ... 8 [SEP]
    assert _cut(ids, 6) == [0, 1, 2, 3, 4, 9]  # the closing [SEP] is always kept
    assert _cut(ids, 6, keep_last=3) == [0, 1, 2, 7, 8, 9]
    assert _cut(ids, 10, keep_last=3) == ids  # within the cap: whole


def test_the_middle_of_a_long_text_is_what_a_tail_keeping_cut_drops() -> None:
    emb = get_embedder()
    start, end = "my dad fell in the garden ", " is a head injury an emergency"
    middle = "and hit his head on the patio and " * 4

    def cut(text: str) -> np.ndarray:
        return emb.embed_one(text, max_tokens=24, keep_last=10)

    assert np.allclose(cut(start + middle + "then " + middle + end),
                       cut(start + middle + "later " + middle + end), atol=1e-5)
    assert not np.allclose(cut(start + middle + end),
                           cut(start + middle + " should he see a doctor"), atol=1e-3)


def test_a_text_within_the_cap_is_embedded_whole() -> None:
    emb = get_embedder()
    text = "seizure lasting five minutes"
    assert np.allclose(emb.embed_one(text, max_tokens=16), emb.embed_one(text), atol=1e-5)


def test_empty_batch() -> None:
    assert get_embedder().embed([]).shape == (0, DIM)


def test_refuses_a_model_file_that_does_not_match_its_pin(tmp_path: Path) -> None:
    from appliance.errors import ModelError

    source = model_dir()
    assert source is not None
    fake = tmp_path / "model"
    fake.mkdir()
    shutil.copy(source / "tokenizer.json", fake / "tokenizer.json")
    (fake / "model.safetensors").write_bytes(b"not the model")
    with pytest.raises(ModelError, match="does not match its pinned sha256"):
        Embedder.load(fake)


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    from appliance.errors import ModelError

    with pytest.raises(ModelError, match="missing"):
        Embedder.load(tmp_path)


def _reference(texts: list[str]) -> np.ndarray:
    """all-MiniLM-L6-v2 written out plainly, in float64: BERT as published (one head at a time,
    weights as stored, the attention scale and GELU's 1/2 where the paper puts them, tanh GELU
    as the embedder uses), mean pooling over each text's own tokens, unit length."""
    from safetensors.numpy import load_file

    directory = model_dir()
    assert directory is not None
    stored = load_file(str(directory / "model.safetensors"))
    w = {k: v.astype(np.float64) for k, v in stored.items()}

    def norm(x: np.ndarray, name: str) -> np.ndarray:
        centred = x - x.mean(-1, keepdims=True)
        std = np.sqrt((centred ** 2).mean(-1, keepdims=True) + 1e-12)
        return centred / std * w[name + ".weight"] + w[name + ".bias"]

    def linear(x: np.ndarray, name: str) -> np.ndarray:
        return x @ w[name + ".weight"].T + w[name + ".bias"]

    out = []
    for ids in (e.ids for e in get_embedder()._tok.encode_batch(texts)):
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:len(ids)]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = norm(x, "embeddings.LayerNorm")
        for layer in range(6):
            p = f"encoder.layer.{layer}."
            q, k, v = (linear(x, p + f"attention.self.{n}") for n in ("query", "key", "value"))
            heads = []
            for h in range(12):
                cols = slice(32 * h, 32 * (h + 1))
                scores = q[:, cols] @ k[:, cols].T / np.sqrt(32)
                weights = np.exp(scores - scores.max(-1, keepdims=True))
                heads.append(weights / weights.sum(-1, keepdims=True) @ v[:, cols])
            x = norm(linear(np.concatenate(heads, axis=1), p + "attention.output.dense") + x,
                     p + "attention.output.LayerNorm")
            h = linear(x, p + "intermediate.dense")
            h = 0.5 * h * (1 + np.tanh(np.sqrt(2 / np.pi) * (h + 0.044715 * h ** 3)))
            x = norm(linear(h, p + "output.dense") + x, p + "output.LayerNorm")
        pooled = x.mean(0)
        out.append(pooled / np.linalg.norm(pooled))
    return np.array(out)


_TEXTS = ["chest pain", "Patient has difficulty breathing after a bee sting",
          "how much adrenaline do i give a 4 year old with anaphylaxis and how often can it be "
          "repeated if there is no improvement after five minutes, and should i start cpr if "
          "she stops breathing or wait for the ambulance crew to arrive " * 2,
          "Hypoglycaemia: give 15-20 g of fast-acting glucose; recheck in 10-15 min."]


def test_the_same_vectors_as_a_plain_reference_forward_pass() -> None:
    # Packs carry section vectors made when they were built, perhaps by an older version of
    # this code: a faster forward pass must give the same vectors up to float32 rounding.
    reference = _reference(_TEXTS)
    emb = get_embedder()
    one_at_a_time = np.array([emb.embed([t])[0] for t in _TEXTS])
    batched = emb.embed(_TEXTS, batch_size=4)  # padded to the longest
    for vectors in (one_at_a_time, batched):
        assert np.min(np.sum(vectors * reference, axis=1)) >= 0.99999
        assert np.allclose(vectors, reference, atol=2e-5)
    short = [t for t in _TEXTS if len(emb._tok.encode(t).ids) < INT8_FROM]
    assert len(short) == 3
    assert np.allclose([emb.embed_one(t) for t in short], _reference(short), atol=2e-5)


def test_a_long_single_text_is_embedded_with_8_bit_weights_close_to_the_full_vector() -> None:
    # A long question is embedded in about half the time with 8-bit weights; its vector stays
    # within a cosine of ~0.99 of the float32 one (docs/performance.md), which search's
    # rankings were measured to tolerate.
    emb = get_embedder()
    long_texts = [t for t in _TEXTS if len(emb._tok.encode(t).ids) >= INT8_FROM]
    assert long_texts
    for text in long_texts:
        for cut in ({}, {"max_tokens": 64, "keep_last": 16}):
            full = emb.embed([text], **cut)[0]
            int8 = emb.embed_one(text, **cut)
            assert abs(float(np.linalg.norm(int8)) - 1.0) < 1e-5
            assert 0.98 <= float(int8 @ full) < 0.99999  # close, and not the float32 pass


def test_the_vectors_that_shipped_packs_were_built_with() -> None:
    # The first components of two texts' vectors as made by the code that built the packs in
    # use (all-MiniLM-L6-v2, tanh GELU): a change to the reference above cannot hide a drift.
    known = {"chest pain": [0.0391, 0.0901, -0.0035, 0.0836, 0.0472, -0.0239, -0.0315, 0.03],
             "my dad fell in the garden and hit his head on the patio and now he is being sick":
                 [0.1267, 0.0422, -0.0041, -0.0519, 0.085, 0.0021, 0.0568, 0.0305]}
    emb = get_embedder()
    for text, head in known.items():
        assert np.allclose(emb.embed_one(text)[:8], head, atol=1.5e-4)
