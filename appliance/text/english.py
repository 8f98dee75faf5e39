"""Ordinary English words, so that spelling correction leaves them as typed.

A word the pack never uses is not a misspelling when it is a real word: "round" is not "found",
"says" not "days", "bump" not "lump" (spelling correction turned each into a pack word of
another meaning). The list is the whole words of the shipped sentence embedder's word-piece
vocabulary (its pinned ``tokenizer.json``, the BERT uncased vocabulary: about 21,000 common
lower-case words, learnt from English text, none of them a misspelling). Without the embedder
installed the list is empty and every unknown word may be corrected, as before.

A correction to another form of the same word ("peanuts" → peanut, "woman" → women) keeps the
meaning and is still made: :func:`same_word`.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

_WORD = re.compile(r"[a-z]{2,}")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The whole lower-case words of the embedder's vocabulary (empty without it)."""
    from models.embedder import model_dir

    directory = model_dir()
    if directory is None:
        return frozenset()
    try:
        data = json.loads((directory / "tokenizer.json").read_text(encoding="utf-8"))
        vocab = data["model"]["vocab"]
    except (OSError, ValueError, KeyError, TypeError):
        return frozenset()
    # word pieces that go on a word ("##ing") and tokens in brackets are not words
    return frozenset(w for w in vocab if _WORD.fullmatch(w))


def is_english(word: str) -> bool:
    """Whether ``word`` (lower case) is an ordinary English word."""
    return word in english_words()


# plurals no ending rule reaches
_IRREGULAR = {"woman": "women", "man": "men", "child": "children", "foot": "feet",
              "tooth": "teeth", "person": "people"}


def same_word(typed: str, corrected: str) -> bool:
    """Whether a correction only changes the word's ending (a plural, a tense: "peanuts" →
    peanut, "examined" → examine, "woman" → women): both forms share all but their last two
    letters, and the shorter is at least four letters long."""
    if _IRREGULAR.get(typed) == corrected or _IRREGULAR.get(corrected) == typed:
        return True
    shorter = min(len(typed), len(corrected))
    stem = max(4, max(len(typed), len(corrected)) - 2)
    return shorter >= 4 and typed[:stem] == corrected[:stem]
