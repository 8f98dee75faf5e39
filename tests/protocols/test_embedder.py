"""The numpy all-MiniLM-L6-v2 embedder: pinned files, unit vectors, meaning, padding invariance."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from models.embedder import DIM, Embedder, _cut, get_embedder, model_dir
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
