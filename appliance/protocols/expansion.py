"""Query understanding: tokens, synonym/abbreviation expansion and spelling correction.

Synonyms come from the pack's ``search/synonyms.toml``. Two shapes are read:

- tables of ``key = ["expansion", ...]`` (e.g. ``[abbreviations] SOB = ["shortness of breath"]``):
  the key expands to each listed phrase and each phrase back to the key;
- arrays of tables with ``terms = [...]`` (e.g. ``[[group]] terms = ["fit", "seizure"]``):
  every term expands to all the others.

Spelling: a query word that is not in the index vocabulary (nor a synonym) is replaced by the
closest vocabulary word within Damerau-Levenshtein distance 1 (words of 4-7 letters) or 2 (8+),
preferring the most common; candidates come from a symmetric-delete table built at install time
(``spell(key, term)`` in the search database), so a lookup is one indexed query.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from appliance.errors import PackError

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOPWORDS = frozenset(
    "a an and are as at be by for from has have how i in is it of on or pt patient the to "
    "what when with who why my me do does should can not no".split())
MIN_CORRECT = 4
# Words that say nothing of what a long question is about: pronouns, auxiliaries and the talk
# around a question ("Hi, I've got a ... his wife found him, he's ..."). Protocols seldom write
# them, so by document frequency they look rarer than the clinical words; a long question is
# searched by its few rarest words (query_plan.MAX_TERMS), and these took those places.
FILLER = frozenset("""he him his she her hers they them their theirs we us our ours you your
yours me mine its this that these those himself herself themselves myself yourself ourselves
am are was were been being will would could shall might must may did done has had having
got get gets getting hi hello please thanks thank just really obviously actually basically
anyway here there says said saying tells told asks asked asking""".split())


def words(text: str) -> list[str]:
    """Lower-case word tokens, apostrophes dropped ("child's" -> "childs")."""
    return [w.replace("'", "") for w in WORD.findall(text.lower())]


# A clitic after an apostrophe: "he's", "BP's", "I've", "we're", "I'd", "I'm", "she'll". The
# FTS tokenizer splits the documents' "he's" into "he" and "s", so the word a query means is the
# part before it; joined ("hes", "ive", "bps") it is a word the pack never uses, which counts as
# the rarest and takes a place among the few words a long question is searched by.
_CLITIC = re.compile(r"'(?:s|ve|re|d|m|ll)$")


def query_words(text: str) -> list[str]:
    """:func:`words` of a typed query, a clitic after an apostrophe dropped ("he's" -> "he",
    "BP's" -> "bp"); "n't" stays a part of its word ("can't" -> "cant")."""
    return [_CLITIC.sub("", w).replace("'", "")
            for w in WORD.findall(text.lower().replace("\u2019", "'"))]


def load_synonyms(path: Path) -> dict[str, set[str]]:
    """Phrase -> phrases it expands to (all lower-case); PackError if the file is malformed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PackError(f"search/synonyms.toml is malformed: {exc}.") from exc
    table: dict[str, set[str]] = {}

    def link(a: str, b: str) -> None:
        a, b = " ".join(words(a)), " ".join(words(b))
        if a and b and a != b:
            table.setdefault(a, set()).add(b)

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            terms = node.get("terms", node.get("words"))
            if isinstance(terms, list):
                _check_strings(terms, where)
                for a in terms:
                    for b in terms:
                        link(a, b)
                return
            for key, value in node.items():
                if isinstance(value, list) and all(isinstance(v, str) for v in value):
                    for v in value:
                        link(key, v)
                        link(v, key)
                else:
                    walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)
        elif not isinstance(node, (str, int, float)):
            raise PackError(f"search/synonyms.toml: unexpected value at {where}.")

    walk(data, "synonyms")
    return table


def _check_strings(values: list[Any], where: str) -> None:
    if not all(isinstance(v, str) for v in values):
        raise PackError(f"search/synonyms.toml: {where}.terms must be a list of strings.")


def deletes(word: str, distance: int = 1) -> set[str]:
    """All strings made by deleting up to ``distance`` letters (symmetric-delete keys)."""
    out = {word}
    frontier = {word}
    for _ in range(distance):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def damerau(a: str, b: str) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap neighbours)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def max_distance(word: str) -> int:
    return 0 if len(word) < MIN_CORRECT else 1 if len(word) < 8 else 2


def spell_keys(vocabulary: Iterable[str]) -> Iterable[tuple[str, str]]:
    """(delete-key, word) rows for the spelling table; distance-1 deletes of every word."""
    for word in vocabulary:
        if len(word) >= MIN_CORRECT - 1 and not word.isdigit():
            for key in deletes(word, 1):
                yield key, word


def inflection(word: str, other: str) -> bool:
    """Whether ``other`` is ``word`` in another number ("peanut", "peanuts"; "box", "boxes";
    "woman", "women")."""
    a, b = sorted((word, other), key=len)
    return b in (a + "s", a + "es") or (a[:-3] == b[:-3] and {a[-3:], b[-3:]} == {"man", "men"})


def best_correction(word: str, candidates: dict[str, int]) -> str | None:
    """The closest candidate (then the most frequent) within the allowed distance, beginning
    with the word's own first letter: a misspelling seldom gets the first letter wrong (Pollock
    and Zamora 1984; Kukich 1992), while a real word one letter from a pack word mostly does
    ("says" is not "days", "prawn" not "drawn", "wife" not "life")."""
    limit = max_distance(word)
    scored = [(damerau(word, c), -df, c) for c, df in candidates.items()
              if c != word and c[:1] == word[:1]]
    scored = [s for s in scored if s[0] <= limit]
    return min(scored)[2] if scored else None


def phrase_matches(query_words: list[str], synonyms: dict[str, set[str]]) -> list[tuple[int, int,
                                                                                        str]]:
    """Spans (start, end, phrase) of query words that are synonym keys, longest first."""
    spans = []
    n = len(query_words)
    for length in range(min(4, n), 0, -1):
        for start in range(0, n - length + 1):
            phrase = " ".join(query_words[start:start + length])
            if phrase in synonyms:
                spans.append((start, start + length, phrase))
    return spans
