"""Understanding a typed query: spelling corrected, prefixes kept, synonyms expanded.

The pack's vocabulary, symmetric-delete spelling table and synonym list live in ``search.db``
(see :mod:`appliance.protocols.index`); :mod:`appliance.protocols.expansion` holds the pure
functions. The result is a :class:`Plan`: the FTS5 expressions for the words as typed and for
the expanded query, the text to embed, and the words to mark in snippets.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from appliance.protocols import expansion as ex


@dataclass
class Plan:
    """The understood query: corrected words, FTS expression, text to embed, words to mark."""

    words: list[str]
    corrections: dict[str, str] = field(default_factory=dict)
    fts: str = ""
    fts_plain: str = ""
    embed_text: str = ""
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
        raw = ex.words(query)
        plan = Plan(words=[])
        typing_last = bool(query) and not query[-1].isspace()
        known = self._known(set(raw))
        for i, w in enumerate(raw):
            if w in known or w in self.synonyms or w.isdigit() or len(w) < ex.MIN_CORRECT:
                plan.words.append(w)
            elif typing_last and i == len(raw) - 1 and self._is_prefix(w):
                plan.words.append(w + "*")  # still being typed: search as a prefix
            else:
                fixed = self._correct(w)
                if fixed:
                    plan.corrections[w] = fixed
                plan.words.append(fixed or w)
        groups: list[list[str]] = []
        content = [w for w in plan.words if w not in ex.STOPWORDS] or plan.words
        for w in content:
            groups.append([w] + sorted(self.synonyms.get(w, ())))
        for start, end, phrase in ex.phrase_matches([w.rstrip("*") for w in plan.words],
                                                    self.synonyms):
            if end - start > 1:
                groups.append([phrase] + sorted(self.synonyms[phrase]))
        plan.fts = " OR ".join(fts_term(t) for g in groups for t in g)
        plan.fts_plain = " OR ".join(fts_term(w) for w in content)
        plan.embed_text = query.strip()
        plan.marks = sorted({t.rstrip("*") for g in groups for t in g}, key=len, reverse=True)
        return plan

    def _known(self, candidates: set[str]) -> set[str]:
        if not candidates:
            return set()
        marks = ",".join("?" * len(candidates))
        rows = self._conn.execute(f"SELECT word FROM vocab WHERE word IN ({marks})",
                                  sorted(candidates))
        return {r[0] for r in rows}

    def _is_prefix(self, w: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM vocab WHERE word > ? AND word < ? LIMIT 1",
                                 (w, w + "\uffff")).fetchone()
        return row is not None

    def _correct(self, w: str) -> str | None:
        # Distance-1 deletes of both sides meet for any pair within two edits.
        keys = sorted(ex.deletes(w, 1))
        marks = ",".join("?" * len(keys))
        rows = self._conn.execute(
            f"SELECT DISTINCT s.word, v.df FROM spell s JOIN vocab v ON v.word = s.word "
            f"WHERE s.key IN ({marks})", keys).fetchall()
        return ex.best_correction(w, dict(rows))


def fts_term(term: str) -> str:
    """One FTS5 phrase; a trailing ``*`` keeps it a prefix query."""
    prefix = term.endswith("*")
    body = term.rstrip("*").replace('"', "")
    return f'"{body}"' + ("*" if prefix else "")
