"""Symptom lexicon matching: synonyms, abbreviations, misspellings and negation.

Text is lower-cased and split into word tokens (apostrophes dropped, so "can't" is "cant") and
clause breaks. Terms are matched longest first, never across a clause break. A term may itself
contain a negation word ("not breathing", "cant breathe"); those words are then part of the
symptom, not negations. The other negation words decide which terms are negated
(:mod:`appliance.triage.negation`).
Words of seven letters or more that are one dropped, doubled or swapped letter away from a
synonym with the same first letter also match ("palpitatoins"), flagged as fuzzy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from appliance.triage.conditions import CAPITALS_MARK
from appliance.triage.negation import BREAKS, NEGATING_WORDS, negated_positions, post_negated
from appliance.triage.term_gaps import BARELY, JOINING, LINKING, LISTED_SIGNS, QUANTITY

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[.;:!?,\n]|(?<![a-z0-9])#|[ø∅]|(?<=\s)[+&](?=\s)")
#: shorthand: "Ø fever" is "no fever"; "-ve"/"+ve" and "(-)"/"(+)" become "neg"/"pos" (same
#: length: offsets hold)
_NONE_SIGNS = frozenset({"ø", "∅"})
#: a "+" or "&" standing between words in a note is "and": "pale + clammy", "D & V"
_AND_SIGNS = frozenset({"+", "&"})
_SIGNED = re.compile(r"(?<![a-z0-9])([+-])ve\b|\(([+-])\)")  # "-ve", and "LOC (-)" as charted
_FUZZY_MIN = 7  # shorter words are too often another real word one letter away
#: ordinary words one edit from a lexicon word: never read as that symptom
_NEVER_FUZZY = frozenset({"handing", "checking", "injected", "injection", "scaled", "tipped",
                          "strained", "gaping", "sprint", "stating", "breathe", "bleeping",
                          "feeling", "feelings"})


#: laterality is noise for recognising a complaint ("Rt. side motor weakness" is one-sided
#: weakness whichever side), so side words are skipped when terms are matched
_SIDE_WORDS = frozenset({"left", "right", "lt", "rt", "l", "r", "rigth", "rihgt", "lef"})
#: abbreviations written with a full stop that must not end a clause ("Rt. leg", "ant. chest")
#: ("no urinary sx. Eating OK": an abbreviation that ends a phrase ends its sentence before a
#: capital letter)
_ABBREVIATION_DOT = re.compile(
    r"\b(rt|lt|ant|post|abd|abdo|pt|approx|lat|med|bilat|sup|inf|l|r|c/o|s/p|st|dr|ext|int|"
    r"prox|dist|(?:hx|sx|tx|dx|rx)(?!\.\s+(?-i:[A-Z])))\.", re.IGNORECASE)
_FOLD = re.compile(r"(?:(?<=[a-z])|^)[ao]e(?=[a-z])")


#: one spelling for words written two ways ("w" as in "stopped w pressure")
_SAME_WORD = {"sided": "side", "pains": "pain", "aches": "ache", "w": "with"}


def fold(token: str) -> str:
    """One spelling for British and American forms (haem/hem, oedema/edema, dyspnoea/dyspnea)."""
    token = _SAME_WORD.get(token, token)
    if len(token) >= 6 and ("ae" in token or "oe" in token):
        return _FOLD.sub("e", token)
    return token


def stem(token: str) -> str:
    """A word without its plural or -ing ending ("itching" → "itch", "stools" → "stool"): the
    second chance a word gets when it does not match as written."""
    if len(token) >= 6 and token.endswith("ing"):
        return token[:-3]
    if len(token) >= 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def match_key(tokens: Iterable[str]) -> tuple[str, ...]:
    """The tokens a term is matched on: side words dropped, spellings folded."""
    return tuple(fold(t) for t in tokens if t not in _SIDE_WORDS)


def normalise(text: str) -> str:
    """Lower-case and fold typographic quotes; apostrophes vanish ("can't" → "cant")."""
    return text.lower().replace("’", "'").replace("'", "")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) over ``text``; offsets index the original string."""
    lowered = _ABBREVIATION_DOT.sub(lambda m: m.group(1) + " ", text.replace("’", "'")).lower()
    lowered = _SIGNED.sub(lambda m: "neg" if "-" in (m.group(1), m.group(2)) else "pos", lowered)
    out = []
    for m in _TOKEN.finditer(lowered):
        token = ("no" if m.group() in _NONE_SIGNS else "and" if m.group() in _AND_SIGNS
                 else m.group().replace("'", ""))
        out.append((token, m.start(), m.end()))
    return out


@dataclass(frozen=True)
class Concept:
    """A symptom or finding with every way people write it."""

    id: str
    label: str
    terms: tuple[str, ...]
    benign: bool = False
    kind: str = "symptom"
    #: words that typo-tolerant matching may aim at (synonyms, never abbreviations/misspellings)
    fuzzy_terms: tuple[str, ...] = ()
    #: broader concepts this one is a kind of ("pain in the right iliac fossa" is abdominal
    #: pain): rules and complaints written for those apply to it too
    implies: tuple[str, ...] = ()
    #: concepts that make this one benign when found with it: a long-standing problem told as
    #: its usual self ("back pain for years, same as usual") needs no clinician today
    benign_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """One concept found in a text."""

    concept: str
    text: str
    start: int
    end: int
    negated: bool = False
    fuzzy: bool = False
    source: str = "complaint"

    def to_json(self) -> dict[str, object]:
        return {"concept": self.concept, "text": self.text, "start": self.start,
                "end": self.end, "negated": self.negated, "fuzzy": self.fuzzy,
                "source": self.source}


@dataclass
class Lexicon:
    """Concepts indexed for matching. Build with :meth:`from_concepts`."""

    version: str
    concepts: dict[str, Concept]
    _by_first: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    #: the same terms stemmed; a term's stemmed form that another concept already has is left out
    _by_stem: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    _deletes: dict[str, str] = field(default_factory=dict)
    _fuzzy_targets: frozenset[str] = frozenset()
    _words: frozenset[str] = frozenset()

    @classmethod
    def from_concepts(cls, version: str, concepts: Iterable[Concept]) -> Lexicon:
        lex = cls(version=version, concepts={c.id: c for c in concepts})
        words: set[str] = set()
        stem_owner: dict[tuple[str, ...], str] = {}
        for concept in lex.concepts.values():
            for term in concept.terms:
                toks = match_key(t for t, _, _ in tokenize(term))
                if not toks:
                    continue
                if term.startswith(CAPITALS_MARK):  # matched only as written in capitals
                    toks = (CAPITALS_MARK + toks[0], *toks[1:])
                lex._by_first.setdefault(toks[0], []).append((toks, concept.id))
                words.update(toks)
                stems = tuple(stem(t) for t in toks)
                if stem_owner.setdefault(stems, concept.id) == concept.id:
                    lex._by_stem.setdefault(stems[0], []).append((stems, concept.id))
        for index in (lex._by_first, lex._by_stem):
            for entries in index.values():
                entries.sort(key=lambda e: -len(e[0]))  # longest term first
        # the first word of every term, not only one-word terms ("abdomnial pain" is abdominal
        # pain): a term is looked up by its first word, which is where a correction can enter
        targets = {w for w in (fold(t.lower().split()[0]) for c in lex.concepts.values()
                               for t in c.fuzzy_terms if t.strip())
                   if w.isalpha() and len(w) >= _FUZZY_MIN and w in lex._by_first}
        for word in targets:
            for variant in _deletes(word):
                lex._deletes.setdefault(variant, word)
        lex._fuzzy_targets = frozenset(targets)
        lex._words = frozenset(words)
        return lex

    def expand(self, found: frozenset[str]) -> frozenset[str]:
        """``found`` with the broader concepts each one implies."""
        implied = {i for c in found if c in self.concepts for i in self.concepts[c].implies}
        return found | implied

    def concept_ids(self) -> list[str]:
        """Every concept id, sorted (the assistant's extraction enum)."""
        return sorted(self.concepts)

    def _fuzzy_word(self, token: str) -> str | None:
        """A lexicon word one dropped, doubled or swapped letter away from ``token``.

        Substitutions are not tried: they turn ordinary words into symptoms ("handing" into
        "hanging", "injected" into "infected").
        """
        if (len(token) < _FUZZY_MIN or token in self._words or not token.isalpha()
                or token in _NEVER_FUZZY):
            return None
        word = self._deletes.get(token)  # a letter left out
        if word is None:
            word = next((v for v in _deletes(token) if v in self._fuzzy_targets), None)
        if word is None:
            word = next((v for v in _swaps(token) if v in self._fuzzy_targets), None)
        return word if word is not None and word[0] == token[0] else None


def _near(word: str, term_word: str) -> bool:
    """``word`` is ``term_word``, or that word of six letters or more with one letter left
    out, two swapped or one wrong ("slurred speach"). Only later words of a term: the first
    word, looked up by itself, must match exactly or by a dropped or swapped letter, so a
    substitution is only trusted when the words before it already spell the term."""
    if word == term_word:
        return True
    if (len(term_word) < 6 or not word.isalpha() or word[0] != term_word[0]
            or word in _NEVER_FUZZY):
        return False
    if len(word) == len(term_word) - 1:
        return word in _deletes(term_word)
    if len(word) != len(term_word):
        return False
    wrong = sum(a != b for a, b in zip(word, term_word, strict=True))
    return wrong == 1 or word in _swaps(term_word)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _swaps(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}


def find_concepts(text: str, lexicon: Lexicon, source: str = "complaint") -> list[Match]:
    """Every concept mentioned in ``text``, in order, each marked negated or not.

    Terms match in order with at most one extra word between their words ("side motor
    weakness" is one-sided weakness), side words skipped and spellings folded; ED notation that
    puts the head word first ("pain, chest", "distension, abd") is also read the other way round.
    """
    if not text:
        return []
    spans = tokenize(text)
    tokens = [t for t, _, _ in spans]
    stream = [i for i, t in enumerate(tokens) if t not in _SIDE_WORDS]
    words = [_capitals(text, spans[i], fold(tokens[i]), lexicon) for i in stream]
    stems = [stem(w) for w in words]
    claimed = [False] * len(tokens)
    found: list[tuple[list[int], str, bool]] = []  # (token indices, concept, fuzzy)
    for p in range(len(words)):
        if claimed[stream[p]]:
            continue
        hit = _match_at(words, p, lexicon, lambda q: claimed[stream[q]])
        if hit is not None and _partitive(words, hit[0], exact_only=True):
            hit = None
        if hit is None:
            hit = _match_at(stems, p, lexicon, lambda q: claimed[stream[q]], stemmed=True)
            if hit is not None and _partitive(words, hit[0], exact_only=False):
                hit = None
        if hit is not None:
            positions, cid, fuzzy = hit
            found.append(([stream[q] for q in positions], cid, fuzzy))
            for q in positions:
                claimed[stream[q]] = True
    found += _inverted(tokens, stream, words, claimed, lexicon)
    found.sort(key=lambda f: f[0][0])
    negated_tokens = negated_positions(tokens, claimed)
    matches = []
    for idx, cid, fuzzy in found:
        first, last = min(idx), max(idx)
        negated = first in negated_tokens or post_negated(
            tokens, last, well_negates=lexicon.concepts[cid].kind != "context")
        matches.append(Match(cid, text[spans[first][1]:spans[last][2]], spans[first][1],
                             spans[last][2], negated, fuzzy, source))
    return matches


#: words that, followed by "of", name a part of something else ("the back of the knee")
_PART_WORDS = frozenset({"back", "ball", "balls", "top", "front", "bottom", "base", "tip"})


def _partitive(words: list[str], positions: list[int], exact_only: bool) -> bool:
    """A loose match whose last word names part of something else: "sore on the ball of my
    foot" is not sore balls, "pain in the back of my head" is not back pain. A term written out
    word for word (``exact_only`` and no gap) stands unless it ends on such a part word."""
    last = positions[-1]
    if last + 1 >= len(words) or words[last + 1] != "of":
        return False
    loose = positions != list(range(positions[0], last + 1))
    return not exact_only or loose or words[last] in _PART_WORDS


def _capitals(text: str, span: tuple[str, int, int], word: str, lexicon: Lexicon) -> str:
    """The capitals-only form of a word written in capitals, when the lexicon has one."""
    marked = CAPITALS_MARK + word
    if marked in lexicon._by_first and text[span[1]:span[2]].isupper():
        return marked
    return word


def _inverted(tokens: list[str], stream: list[int], words: list[str], claimed: list[bool],
              lexicon: Lexicon) -> list[tuple[list[int], str, bool]]:
    """Terms written head word first: "pain, low back" read as "low back pain"."""
    found: list[tuple[list[int], str, bool]] = []
    segments: list[list[int]] = [[]]  # stream positions between commas and clause breaks
    for q, i in enumerate(stream):
        if tokens[i] == "," or tokens[i] in BREAKS:
            segments.append([])
        else:
            segments[-1].append(q)
    for head, tail in zip(segments, segments[1:], strict=False):
        if not (1 <= len(head) <= 2 and 1 <= len(tail) <= 3):
            continue
        if any(claimed[stream[q]] for q in head + tail):
            continue
        order = tail + head
        reading = [words[q] for q in order]
        stemmed = [stem(w) for w in reading]
        for p in range(len(reading)):
            hit = (_match_at(reading, p, lexicon, lambda _q: False)
                   or _match_at(stemmed, p, lexicon, lambda _q: False, stemmed=True))
            if hit is None:
                continue
            used = [order[k] for k in hit[0]]
            if any(ch.isdigit() for q in used for ch in words[q]):
                continue  # "BM 7.4, GCS 15" is two readings, not "GCS 4" written backwards
            if set(used) & set(head) and set(used) & set(tail):
                found.append(([stream[q] for q in used], hit[1], hit[2]))
                for q in used:
                    claimed[stream[q]] = True
                break
    return found


def _match_at(words: list[str], p: int, lexicon: Lexicon, taken: Callable[[int], bool],
              stemmed: bool = False) -> tuple[list[int], str, bool] | None:
    """The longest term starting at ``p``: its word positions, concept and fuzziness."""
    entries = (lexicon._by_stem if stemmed else lexicon._by_first).get(words[p])
    fuzzy = False
    if entries is None:
        if stemmed:
            return None
        word = lexicon._fuzzy_word(words[p])
        if word is None:
            return None
        entries, fuzzy = lexicon._by_first[word], True
    best: tuple[list[int], str, bool] | None = None
    near: tuple[list[int], str, bool] | None = None
    for toks, cid in entries:
        n = len(toks)
        if near is not None and n < len(near[0]):
            break  # a near hit stands unless a term of its length matches exactly
        if best is not None and n < len(best[0]):
            break  # entries are longest first; an exact hit of a longer term already won
        rest = words[p + 1:p + n]
        if rest == list(toks[1:]):
            return list(range(p, p + n)), cid, fuzzy
        if (near is None and len(rest) == n - 1 and not stemmed
                and all(map(_near, rest, toks[1:]))):
            near = (list(range(p, p + n)), cid, True)  # "chest tightnes", "head truama"
            continue
        if near is None and best is None and n >= 2:
            positions = _gapped(words, p, toks, taken)
            if positions is not None:
                best = (positions, cid, fuzzy)
    return near or best


def _gapped(words: list[str], p: int, toks: tuple[str, ...],
            taken: Callable[[int], bool]) -> list[int] | None:
    """Positions of ``toks`` from ``p`` in order: between each, one unrelated word and any of
    up to three linking words ("calf has been swollen", "leg is very swollen"), never a
    negation (which would then sit inside the term, out of the negation reader's sight)."""
    positions, q = [p], p
    for tok in toks[1:]:
        r, unrelated, linking = q + 1, 0, 0
        while True:
            if (r == q + 1 and words[r:r + 1] == [","] and r + 1 < len(words)
                    and words[r + 1] == tok and not taken(r + 1)
                    and words[q] in LISTED_SIGNS and tok in LISTED_SIGNS):
                r += 1  # "red, hot, swollen": a list of signs, not a new clause
                continue
            if r >= len(words) or words[r] in BREAKS or words[r] == ",":
                return None
            if words[r] == tok and not taken(r):
                positions.append(r)
                q = r
                break
            if words[r] in NEGATING_WORDS or words[r] in BARELY:
                return None
            if (words[r] in LINKING or words[r] in JOINING
                    or (words[r] in QUANTITY or words[r].isdigit()) and tok.isalpha()) \
                    and linking < 3:
                linking += 1
            elif unrelated < 1:
                unrelated += 1
            else:
                return None
            r += 1
    return positions
