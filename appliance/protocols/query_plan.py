"""Understanding a typed query: spelling corrected, prefixes kept, synonyms expanded.

The pack's vocabulary, symmetric-delete spelling table and synonym list live in ``search.db``
(see :mod:`appliance.protocols.index`); :mod:`appliance.protocols.expansion` holds the pure
functions. The result is a :class:`Plan`: the FTS5 expressions for the words as typed and for
the expanded query, and the words to mark in snippets. What the embedder is given
(:func:`embed_text`) needs no plan, so the embedding can start before planning.

Long questions ("my mum is 78 and has been confused since her water infection...") are cut to
their ``MAX_TERMS`` rarest words for bm25: every OR-ed term makes FTS5 visit each row holding
it, so common words cost the most time while saying the least about the answer. The embedder
sees the question's start and end up to its own cap (``vector.QUERY_TOKENS`` word pieces).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from appliance.protocols import expansion as ex
from appliance.text.word_forms import related_forms
from models.embedder import whole_words

# The most query words bm25 is given (the rarest in the pack: see the module docstring).
MAX_TERMS = 8
# Spelling keys looked up per query (a pasted page can hold thousands).
_BATCH = 2000


@dataclass
class Plan:
    """The understood query: corrected words, FTS expressions, words to mark."""

    words: list[str]
    corrections: dict[str, str] = field(default_factory=dict)
    fts: str = ""
    fts_plain: str = ""
    marks: list[str] = field(default_factory=list)


class QueryPlanner:
    """Plans queries against one pack's vocabulary (the caller serialises use of ``conn``)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.synonyms: dict[str, set[str]] = {}
        for phrase, exp in conn.execute("SELECT phrase, expansion FROM synonyms"):
            self.synonyms.setdefault(phrase, set()).add(exp)

    def plan(self, query: str) -> Plan:
        """Tokenise, correct spelling and expand synonyms."""
        raw = ex.query_words(query)
        plan = Plan(words=[])
        typing_last = bool(query) and not query[-1].isspace()
        df = self._df(set(raw))
        known = set(df)
        prefix = (typing_last and bool(raw) and raw[-1] not in known
                  and raw[-1] not in self.synonyms and not raw[-1].isdigit()
                  and len(raw[-1]) >= ex.MIN_CORRECT and self._is_prefix(raw[-1]))
        english = whole_words()
        fixes = self._corrections({w for w in raw[:len(raw) - prefix] if w not in known
                                   and w not in self.synonyms and not w.isdigit()
                                   and len(w) >= ex.MIN_CORRECT})
        # an English word the pack does not use is meant as itself ("wife" is not "life"),
        # though the pack may write another form of it ("woman" as "women", "peanuts")
        fixes = {w: f for w, f in fixes.items() if w not in english or ex.inflection(w, f)}
        df.update(self._df(set(fixes.values())))
        for i, w in enumerate(raw):
            if prefix and i == len(raw) - 1:
                plan.words.append(w + "*")  # still being typed: search as a prefix
            elif w in fixes:
                plan.corrections[w] = fixes[w]
                plan.words.append(fixes[w])
            else:
                plan.words.append(w)
        groups: list[list[str]] = []
        # a number the pack never writes is in no document: it would only take a place
        content = _rarest([w for w in plan.words if w not in ex.STOPWORDS and w not in ex.FILLER
                           and not (w.isdigit() and w not in df)] or plan.words, df)
        forms = {w: related_forms(w) for w in content if w.isalpha() and len(w) >= 5}
        used = self._df(set().union(*forms.values())) if forms else {}
        for w in content:
            # the same part of the body as the pack writes it ("abdomen": "abdominal")
            alike = sorted(f for f in forms.get(w, ()) if f in used)
            groups.append([w] + sorted(self.synonyms.get(w, ())) + alike)
        for start, end, phrase in ex.phrase_matches([w.rstrip("*") for w in plan.words],
                                                    self.synonyms):
            if end - start > 1:
                groups.append([phrase] + sorted(self.synonyms[phrase]))
        plan.fts = " OR ".join(fts_term(t) for g in groups for t in g)
        plan.fts_plain = " OR ".join(fts_term(w) for w in content)
        plan.marks = sorted({t.rstrip("*") for g in groups for t in g}, key=len, reverse=True)
        return plan

    def _df(self, candidates: set[str]) -> dict[str, int]:
        """Document frequency of each candidate in the pack's vocabulary (absent: unknown)."""
        if not candidates:
            return {}
        marks = ",".join("?" * len(candidates))
        rows = self._conn.execute(f"SELECT word, df FROM vocab WHERE word IN ({marks})",
                                  sorted(candidates))
        return {r[0]: r[1] for r in rows}

    def _is_prefix(self, w: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM vocab WHERE word > ? AND word < ? LIMIT 1",
                                 (w, w + "\uffff")).fetchone()
        return row is not None

    def _corrections(self, unknown: set[str]) -> dict[str, str]:
        """Each unknown word's correction, where it has one: one query for all of them."""
        if not unknown:
            return {}
        # Distance-1 deletes of both sides meet for any pair within two edits.
        keys = {w: ex.deletes(w, 1) for w in unknown}
        wanted = sorted(set().union(*keys.values()))
        found: dict[str, dict[str, int]] = {}
        for start in range(0, len(wanted), _BATCH):  # well under SQLite's variable limit
            batch = wanted[start:start + _BATCH]
            for key, word, df in self._conn.execute(
                    "SELECT s.key, s.word, v.df FROM spell s JOIN vocab v ON v.word = s.word "
                    f"WHERE s.key IN ({','.join('?' * len(batch))})", batch):
                found.setdefault(key, {})[word] = df
        fixes = {}
        for w in sorted(unknown):
            candidates = {c: df for key in keys[w] for c, df in found.get(key, {}).items()}
            fixed = ex.best_correction(w, candidates)
            if fixed:
                fixes[w] = fixed
        return fixes


def _rarest(content: list[str], df: dict[str, int]) -> list[str]:
    """The ``MAX_TERMS`` distinct words with the lowest document frequency, in query order.

    Words the vocabulary lacks (prefixes still being typed, numbers) count as rare: they are
    what the user specifically typed.
    """
    distinct = list(dict.fromkeys(content))
    if len(distinct) <= MAX_TERMS:
        return distinct
    keep = set(sorted(distinct, key=lambda w: (df.get(w.rstrip("*"), 0), distinct.index(w)))
               [:MAX_TERMS])
    return [w for w in distinct if w in keep]


def embed_text(query: str) -> str:
    """What the embedder is given: the query as typed (see :mod:`appliance.protocols.vector`)."""
    return query.strip()


def fts_term(term: str) -> str:
    """One FTS5 phrase; a trailing ``*`` keeps it a prefix query."""
    prefix = term.endswith("*")
    body = term.rstrip("*").replace('"', "")
    return f'"{body}"' + ("*" if prefix else "")
