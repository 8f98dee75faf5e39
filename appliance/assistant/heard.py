"""Terms misheard by dictation, written as the pack writes them: "sal beauty mol" is
"salbutamol", "nah locks own" is "naloxone", "para seat a mol" is "paracetamol".

Speech-to-text writes a term it does not know as the everyday words that sound like it, often
split over several words, which neither the search nor one- or two-letter spelling correction
can bring back. Here a run of ``MIN_RUN`` to ``MAX_RUN`` adjacent words of the question,
holding at least one word the pack never uses (nor begins, nor is a synonym, nor a mistyping
spelling correction repairs), is joined and compared by sound (:func:`sound`, close to
Metaphone but keeping where the vowels are) with the installed pack's own vocabulary; when it
sounds like one term of the pack more than any other, the run is replaced by that term. A
question whose words are all the pack's own is left as it is, and so is a word the pack uses
often: no list of terms is kept here, every term comes from the pack's text.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appliance.protocols.expansion import damerau

MIN_RUN, MAX_RUN = 2, 4
"""Fewest and most words one term is heard as ("sep sis", "pred nissa lone"); one word the
pack does not use is left to spelling correction (:mod:`appliance.protocols.query_plan`): a
dictated word is a real word, most often a lay word meant as itself ("tummy")."""
MIN_TERM = 5
"""Shortest pack word a run may become: a short word's sound is shared by many words."""
MIN_SOUND, SHORT_SPELLING = 6, 2
"""Shortest sound (:func:`sound`) of a run matched at all, and how many letters a run of that
shortest sound may be spelled apart from the term: "lack tate" is "lactate", but "kid got",
which sounds like "judged", is not."""
ONSET = 2
"""Sounds a near match must begin with as the term does: speech-to-text keeps a term's onset
("piriton gonna" is one sound from "serotonin", but does not begin as it does)."""
COMMON = 0.05
"""Share of the pack's documents a word of a run may be in: a word the pack uses often ("dose",
"acute", "line") is meant as itself, not as a piece of another term ("got a line" is not
"guideline")."""
NEAR, FAR = 8, 11
"""Sounds at least this long may be one (two) letters of :func:`sound` from the term's ("sal
beautiful" for "salbutamol"): a shorter sound one apart is another word."""

_DIGRAPHS = (("tion", "shn"), ("ph", "f"), ("ck", "k"), ("sch", "sk"), ("ch", "k"),
             ("sh", "s"), ("th", "t"), ("wh", "w"), ("qu", "kw"), ("x", "ks"), ("dg", "j"),
             ("ng", "n"), ("kn", "n"), ("gn", "n"))
# voiced and voiceless pairs are confused in speech-to-text ("dapper" for "dapa-")
_DEVOICE = str.maketrans({"c": "k", "q": "k", "z": "s", "d": "t", "b": "p", "v": "f",
                          "g": "k", "j": "k"})


def sound(word: str) -> str:
    """How the word sounds, roughly: letters that sound alike made one, each run of vowels one
    "a", a silent "h" dropped, repeats merged. "salbutamol" and "sal beauty mol" are both
    "salpatamal", "adenosine" and "adding a scene" both "atanasan"."""
    w = re.sub(r"[^a-z]", "", word.lower())
    w = re.sub(r"mb$", "m", w)
    for a, b in _DIGRAPHS:
        w = w.replace(a, b)
    w = re.sub(r"c(?=[eiy])", "s", w)
    w = re.sub(r"g(?=[eiy])", "j", w)
    w = w.translate(_DEVOICE)
    w = re.sub(r"(?<=[aeiouy])w(?![aeiouy])", "", w)  # "own", "flows": the w is a vowel's
    w = w.replace("h", "")
    w = re.sub(r"[aeiouy]+", "a", w)
    w = re.sub(r"(.)\1+", r"\1", w)
    return w[:-1] if len(w) > 1 and w.endswith("a") else w  # a final vowel is often silent


def allowed(key: str) -> int:
    """Sounds a run may differ from a term by: none for a short sound (many words share it)."""
    return 0 if len(key) < NEAR else 1 if len(key) < FAR else 2


@dataclass(frozen=True)
class Sounds:
    """A pack's vocabulary by sound: each term's sound, and its sound with one letter left out
    (symmetric deletes, for a sound one or two apart), to the pack words that have it."""

    known: frozenset[str]
    keys: dict[str, frozenset[str]]
    ordered: tuple[str, ...] = ()
    """The vocabulary in order, to find the words a shortened word begins."""
    common: frozenset[str] = frozenset()
    """Pack words in more than ``COMMON`` of its documents: meant as themselves."""

    @classmethod
    def of(cls, vocabulary: dict[str, int], documents: int) -> Sounds:
        keys: dict[str, set[str]] = {}
        for word in vocabulary:
            if len(word) < MIN_TERM or not word.isalpha():
                continue
            key = sound(word)
            for k in _deletes(key) if allowed(key) else (key,):
                keys.setdefault(k, set()).add(word)
        return cls(frozenset(vocabulary), {k: frozenset(v) for k, v in keys.items()},
                   tuple(sorted(vocabulary)),
                   frozenset(w for w, df in vocabulary.items() if df > COMMON * documents))

    def uses(self, word: str) -> bool:
        """Whether the pack writes ``word``, or a word it begins ("amio", "pred": shortened
        terms, which :mod:`appliance.assistant.answer_terms` reads as the pack's words)."""
        if word in self.known:
            return True
        at = bisect_left(self.ordered, word)
        return len(word) >= 3 and at < len(self.ordered) and self.ordered[at].startswith(word)

    def term(self, heard: str) -> tuple[str, int] | None:
        """The pack term ``heard`` (run together) sounds most like, and how many letters of
        :func:`sound` apart, or None: the closest sound within :func:`allowed` of both, then
        the closest spelling; never a choice between two terms as close."""
        key = sound(heard)
        if len(key) < MIN_SOUND:
            return None
        candidates = {w for k in (_deletes(key) if allowed(key) else (key,))
                      for w in self.keys.get(k, ())}
        best: dict[tuple[int, int], set[str]] = {}
        for word in candidates:
            other = sound(word)
            d = damerau(key, other)
            spelled = damerau(heard, word)
            if d <= min(allowed(key), allowed(other)) and (d == 0
                                                           or key[:ONSET] == other[:ONSET]) \
                    and (len(key) > MIN_SOUND or spelled <= SHORT_SPELLING):
                best.setdefault((d, spelled), set()).add(word)
        if not best:
            return None
        closest = min(best)
        term = _one(best[closest])
        return None if term is None else (term, closest[0])


def _deletes(key: str) -> set[str]:
    return {key} | {key[:i] + key[i + 1:] for i in range(len(key))}


def _one(found: set[str]) -> str | None:
    """The term, when the words found are one term's forms ("ketone", "ketones")."""
    shortest = min(found, key=lambda w: (len(w), w))
    return shortest if all(w.startswith(shortest[:-1]) for w in found) else None


_sounds: dict[str, Sounds] = {}
_lock = threading.Lock()


def pack_sounds(directory: Path) -> Sounds:
    """The installed pack's vocabulary by sound (read once per pack and kept)."""
    from appliance.protocols.index import SEARCH_DB

    key = str(directory)
    with _lock:
        if key not in _sounds:
            conn = sqlite3.connect(f"file:{directory / SEARCH_DB}?mode=ro", uri=True)
            try:
                vocabulary = dict(conn.execute("SELECT word, df FROM vocab").fetchall())
                documents = conn.execute("SELECT count(*) FROM docs").fetchone()[0]
            finally:
                conn.close()
            _sounds[key] = Sounds.of(vocabulary, documents)
        return _sounds[key]


def as_pack_writes(question: str, searcher: Any) -> str:
    """``question`` with each run of words that the pack does not use and that sounds like one
    of its terms written as that term (a searcher without a pack: unchanged)."""
    directory = getattr(searcher, "directory", None)
    if directory is None:
        return question
    synonyms: Callable[[str], set[str]] = getattr(searcher, "synonyms_of", lambda word: set())
    planner = getattr(searcher, "plan", None)
    # a word spelling correction brings to a pack word is that word mistyped ("quikly"), not
    # everyday words a term was heard as
    typed = set(planner(question).corrections) if planner else set()
    return rewrite(question, pack_sounds(directory), lambda w: w in typed or bool(synonyms(w)))


def rewrite(question: str, sounds: Sounds, known: Callable[[str], bool]) -> str:
    """:func:`as_pack_writes` for a pack's ``sounds``; ``known`` tells the words read as the
    pack's beside its vocabulary (its synonyms, words spelling correction brings to it)."""
    tokens = [(m.start(), m.end(), m.group(0).lower()) for m in _TOKEN.finditer(question)]
    words = [t[2] for t in tokens]
    unknown = [w.isalpha() and len(w) >= 3 and w not in FUNCTION and not sounds.uses(w)
               and not known(w) for w in words]
    out: list[str] = []
    at, i = 0, 0
    while i < len(tokens):
        found: list[tuple[int, int, str]] = []
        for n in range(MIN_RUN, min(MAX_RUN, len(tokens) - i) + 1):
            run = words[i:i + n]
            if (not any(unknown[i:i + n]) or not _edge(run[-1])
                    or any(len(w) > 3 and w in sounds.common for w in run)
                    or not (_edge(run[0]) or (run[0] == ARTICLE and n >= 3))
                    or not all(w.isalpha() for w in run) or not _adjacent(question, tokens, i, n)):
                continue
            heard = sounds.term("".join(run))
            if heard is not None:
                if run[0] != ARTICLE or heard[1] == 0:
                    found.append((heard[1], n, heard[0]))  # the closest, then the fewest words
        if not found:
            i += 1
            continue
        _, n, term = min(found)
        out += [question[at:tokens[i][0]], term]
        at = tokens[i + n - 1][1]
        i += n
    out.append(question[at:])
    return "".join(out)


# Closed-class English words: a term heard as everyday words does not begin or end with one
# ("bring his" is not "pregnancy"), though one may stand inside it ("die as a pam"); an initial
# vowel sound is often heard as the article "a" ("a tro pine"), but only a run of three words or
# more that sounds exactly like the term may begin with it ("a picks" is not "hypoxia").
FUNCTION = frozenset("""a an the this that these those some any each every all both either
neither i me my mine you your yours he him his she her hers it its we us our they them their
himself herself itself myself yourself themselves ourselves who whom whose which what whats
when where why how much many and or but nor so if as at by for from in into of off on onto out
over to up upon with within without via per than then am is are was were be been being do does
did done have has had having can could may might must shall should will would not no yes um uh
erm er ok okay yeah oh right just after before about around since until till while during
against between through because though although also""".split())
ARTICLE = "a"


def _edge(word: str) -> bool:
    """Whether a term heard as words may begin or end with ``word``."""
    return len(word) >= 3 and word not in FUNCTION


# a word with an apostrophe ("she's", "can't") is never part of a heard term
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


def _adjacent(question: str, tokens: list[tuple[int, int, str]], i: int, n: int) -> bool:
    """Whether the run's words are separated only by spaces or hyphens (not a comma, a number
    or another sentence)."""
    return all(re.fullmatch(r"[\s-]+", question[tokens[j][1]:tokens[j + 1][0]])
               for j in range(i, i + n - 1))
