"""bm25 computed from postings held in arrays, beside the FTS5 tables it reproduces.

FTS5's ``bm25()`` runs once for every row holding any query word and first counts, per
statement, every row holding each phrase; in a large pack of everyday words that is most of the
table for every query. This index keeps, for each term of ``docs_fts`` and ``sections_fts``,
the rows holding it (ascending) and its column-weighted frequency there, plus each row's length
factor, as ``.npy`` files memory-mapped at search time: a query's cost is one array slice per
term. The score is FTS5's own (k1 1.2, b 0.75, the same idf floor and column weights), so the
rankings are the ones the SQL path gives; :mod:`appliance.protocols.lexical` falls back to SQL
for what this index cannot answer (a multi-word phrase that is not in the pack's synonym list).

Terms are FTS5's: the text is split into letter/digit runs as ``unicode61`` does, and each
distinct word is stemmed by FTS5's own ``porter unicode61 remove_diacritics 2`` tokenizer
(:class:`Stemmer`), so a query word and the pack's words meet exactly as in FTS5. Multi-word
synonym phrases are indexed as terms of their own (their stems joined by a space), counted where
the stems stand next to each other.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from appliance.protocols.bm25_score import K1, score, score_spans

if TYPE_CHECKING:
    import numpy as np

BM25_DIR = "bm25"
B = 0.75
TOKEN = re.compile(r"[^\W_]+")
PHRASE = re.compile(r'"([^"]*)"(\*?)')
# bm25 column weights (title, headings, keywords, text) of each FTS5 table.
BM25 = {"docs_fts": (8.0, 4.0, 4.0, 1.0), "sections_fts": (8.0, 4.0, 4.0, 1.0)}
# A prefix matching more terms than this is left to FTS5 (it is still being typed).
MAX_PREFIX_TERMS = 500
# (title, headings, keywords, text) of one FTS5 row.
Columns = tuple[str, str, str, str]


class Stemmer:
    """Words -> FTS5 terms, by FTS5's own tokenizer on a private in-memory table."""

    def __init__(self) -> None:
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        self._conn.executescript(
            "CREATE VIRTUAL TABLE s USING fts5(t, tokenize = "
            "'porter unicode61 remove_diacritics 2');"
            "CREATE VIRTUAL TABLE v USING fts5vocab(s, instance);")
        self._lock = threading.Lock()
        self._cache: dict[str, str] = {}

    def stems(self, words: Iterable[str]) -> dict[str, str]:
        """Each word's term ("" when the tokenizer keeps nothing of it)."""
        wanted = list(dict.fromkeys(words))
        with self._lock:
            todo = [w for w in wanted if w not in self._cache]
            if todo:
                with self._conn:
                    self._conn.executemany("INSERT INTO s(rowid, t) VALUES (?, ?)",
                                           enumerate(todo, 1))
                    found: dict[int, list[str]] = {}
                    for term, doc in self._conn.execute(
                            "SELECT term, doc FROM v ORDER BY doc, offset"):
                        found.setdefault(doc, []).append(term)
                    self._conn.execute("DELETE FROM s")
                if len(self._cache) > 100_000:
                    self._cache.clear()
                for i, w in enumerate(todo, 1):
                    self._cache[w] = " ".join(found.get(i, []))
            return {w: self._cache[w] for w in wanted}

    def close(self) -> None:
        self._conn.close()


def tokens(text: str) -> list[str]:
    """Letter/digit runs, lower case (the split ``unicode61`` makes)."""
    return TOKEN.findall(text.lower())


def build(directory: Path, conn: sqlite3.Connection, sections: list[tuple[int, Columns]],
          docs: list[tuple[int, int, int, str]], phrases: Iterable[str]) -> None:
    """Write the index of ``sections_fts`` and ``docs_fts`` under ``directory``.

    ``sections``: (rowid, columns) as inserted; ``docs``: (rowid, first section, last section,
    headings) of each ``docs_fts`` row, whose title and keywords are its sections' and whose
    text is theirs joined, so its counts are summed from theirs rather than tokenized again (a
    phrase spanning two sections, which FTS5 would count in the document, is not). ``conn``
    holds the filled tables (it finds the rows holding each phrase); ``phrases``: the
    multi-word phrases a query can hold (the pack's synonym list).
    """
    import numpy as np

    words: dict[str, int] = {}
    counts = _Entries()
    shared: dict[str, Counter[str]] = {}  # a document's title and keywords, in every section
    for rowid, columns in sections:
        for col, text in enumerate(columns):
            if col in (TITLE, KEYWORDS):
                if text not in shared:
                    if len(shared) > 64:
                        shared.clear()
                    shared[text] = Counter(tokens(text))
                counter = shared[text]
            else:
                counter = Counter(tokens(text))
            counts.add(rowid, col, counter, words)
    heads = _Entries()
    for ordinal, _, _, headings in docs:
        heads.add(ordinal, HEADINGS, Counter(tokens(headings)), words)
    phrase_words = {p: tokens(p) for p in phrases}
    stemmer = Stemmer()
    try:
        stem = stemmer.stems([*words, *(w for ws in phrase_words.values() for w in ws)])
    finally:
        stemmer.close()
    multi = {p: s for p, s in ((p, " ".join(s for s in (stem[w] for w in ws) if s))
                               for p, ws in phrase_words.items()) if " " in s}
    terms = sorted({s for s in stem.values() if s and " " not in s} | set(multi.values()))
    term_id = {t: i for i, t in enumerate(terms)}
    word_term = np.full(len(words) + 1, -1, dtype=np.int64)
    for w, i in words.items():
        word_term[i] = term_id.get(stem[w], -1)
    texts = {rowid: columns for rowid, columns in sections}
    found = _phrase_rows(conn, "sections_fts", multi, lambda r: texts[r], stem)
    section_table = counts.arrays(word_term)
    section_table = _join(section_table, _phrase_arrays(found, term_id))
    head_texts = {d[0]: ("", d[3], "", "") for d in docs}
    doc_heads = _join(heads.arrays(word_term), _phrase_arrays(
        _phrase_rows(conn, "docs_fts", multi, lambda r: head_texts[r], stem,
                     column="headings"), term_id))
    doc_of = np.zeros(max((d[2] for d in docs), default=0) + 1, dtype=np.int64)
    first = np.zeros_like(doc_of, dtype=bool)
    for ordinal, lo, hi, _ in docs:
        doc_of[lo:hi + 1] = ordinal
        first[lo] = True
    rows, cols, ids, n = section_table
    inherited = (cols == TEXT) | (first[rows] & (cols != HEADINGS))
    doc_table = _join((doc_of[rows[inherited]], cols[inherited], ids[inherited], n[inherited]),
                      doc_heads)
    directory.mkdir(parents=True, exist_ok=True)
    known = sorted(multi.values())
    for name, table in (("sections_fts", section_table), ("docs_fts", doc_table)):
        _write(directory / name, table, BM25[name], terms, known)


TITLE, HEADINGS, KEYWORDS, TEXT = range(4)
# (rows, columns, term ids, counts) of one table's entries.
Arrays = tuple["np.ndarray", "np.ndarray", "np.ndarray", "np.ndarray"]


class _Entries:
    """Word counts, flat: entry i is ``counts[i]`` of word ``ids[i]`` in a row's column."""

    def __init__(self) -> None:
        from array import array

        self.rows = array("q")
        self.cols = array("q")
        self.ids = array("q")
        self.counts = array("q")

    def add(self, rowid: int, col: int, counter: Counter[str], words: dict[str, int]) -> None:
        self.ids.extend([words.setdefault(w, len(words)) for w in counter])
        self.counts.extend(counter.values())
        self.rows.extend([rowid] * len(counter))
        self.cols.extend([col] * len(counter))

    def arrays(self, word_term: np.ndarray) -> Arrays:
        """The entries whose word has a term, as arrays."""
        import numpy as np

        rows, cols, ids, counts = (np.frombuffer(a, dtype=np.int64) if a
                                   else np.zeros(0, dtype=np.int64)
                                   for a in (self.rows, self.cols, self.ids, self.counts))
        terms = word_term[ids]
        keep = terms >= 0
        return rows[keep], cols[keep], terms[keep], counts[keep]


def _phrase_rows(conn: sqlite3.Connection, table: str, phrases: dict[str, str],
                 columns_of: Callable[[int], Columns], stem: dict[str, str],
                 column: str = "") -> dict[str, list[tuple[int, int, int]]]:
    """Stemmed phrase -> (row, column, count) where FTS5 finds it (in ``column`` only, if
    given), counted where its stems stand next to each other."""
    lines: dict[int, list[str]] = {}
    out: dict[str, list[tuple[int, int, int]]] = {}
    where = f"{{{column}}} : " if column else ""
    shared: dict[str, str] = {}  # a document's title and keywords, in every section

    def line(text: str) -> str:
        # Two spaces between stems, so back-to-back occurrences do not share one.
        return " " + "  ".join(stem[w] for w in tokens(text) if stem[w]) + " "

    def kept(text: str) -> str:
        if text not in shared:
            if len(shared) > 64:
                shared.clear()
            shared[text] = line(text)
        return shared[text]

    def lines_of(columns: Columns) -> list[str]:
        return [kept(text) if col in (TITLE, KEYWORDS) else line(text)
                for col, text in enumerate(columns)]

    for phrase, stems in phrases.items():
        pattern = " " + stems.replace(" ", "  ") + " "
        if stems in out:
            continue
        hits = out.setdefault(stems, [])
        for (rowid,) in conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?",
                                     (where + '"' + phrase.replace('"', "") + '"',)):
            if rowid not in lines:
                lines[rowid] = lines_of(columns_of(rowid))
            hits += [(rowid, col, line.count(pattern))
                     for col, line in enumerate(lines[rowid]) if pattern in line]
    return out


def _phrase_arrays(found: dict[str, list[tuple[int, int, int]]],
                   term_id: dict[str, int]) -> Arrays:
    import numpy as np

    flat = [(r, c, term_id[p], n) for p, hits in found.items() for r, c, n in hits]
    data = np.array(flat, dtype=np.int64).reshape(-1, 4)
    return data[:, 0], data[:, 1], data[:, 2], data[:, 3]


def _join(a: Arrays, b: Arrays) -> Arrays:
    import numpy as np

    return tuple(np.concatenate([x, y]) for x, y in zip(a, b, strict=True))  # type: ignore


def _write(prefix: Path, table: Arrays, weights: Sequence[float], terms: list[str],
           known: list[str]) -> None:
    """Postings by term then row, with the weighted frequency and each row's length factor."""
    import numpy as np

    rows, cols, ids, counts = table
    rowids = np.unique(rows)
    span = int(rowids[-1]) + 1 if len(rowids) else 1
    # Phrase entries are not tokens: the length counts words only.
    words = np.array([" " not in t for t in terms] or [True])
    lengths = np.bincount(rows[words[ids]], weights=counts[words[ids]], minlength=span)
    freqs = np.asarray(weights, dtype=np.float64)[cols] * counts
    keys, inverse = np.unique(ids * span + rows, return_inverse=True)
    summed = np.bincount(inverse, weights=freqs)
    indptr = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys // span, minlength=len(terms)), out=indptr[1:])
    average = float(lengths[rowids].mean()) if len(rowids) else 1.0
    norm = np.ones(span, dtype=np.float64)
    norm[rowids] = K1 * (1 - B + B * lengths[rowids] / average)
    for part, array in (("indptr", indptr), ("rows", (keys % span).astype(np.int32)),
                        ("freqs", summed.astype(np.float32)), ("norm", norm)):
        np.save(f"{prefix}.{part}.npy", array, allow_pickle=False)
    Path(f"{prefix}.json").write_text(json.dumps(
        {"rows": len(rowids), "terms": terms, "phrases": known}), encoding="utf-8")


class _Table:
    """One table's postings, memory-mapped."""

    def __init__(self, directory: Path, name: str) -> None:
        import numpy as np

        info = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        self.count: int = info["rows"]
        self.terms: list[str] = info["terms"]
        self.index = {t: i for i, t in enumerate(self.terms)}
        # Phrases of the synonym list, counted at install (absent from terms: in no row).
        self.phrases = set(info["phrases"])
        # Plain views of the maps: slicing a np.memmap costs more than the arithmetic.
        self.indptr, self.rows, self.freqs, self.norm = (
            np.asarray(np.load(directory / f"{name}.{part}.npy", mmap_mode="r",
                               allow_pickle=False))
            for part in ("indptr", "rows", "freqs", "norm"))

    def postings(self, term: str, prefix: bool) -> tuple[np.ndarray, np.ndarray] | None:
        """(rows, weighted frequencies) of a term, or of every term it prefixes; None: too many."""
        import numpy as np

        if not prefix:
            i = self.index.get(term)
            if i is None:
                return np.zeros(0, np.int32), np.zeros(0, np.float32)
            lo, hi = int(self.indptr[i]), int(self.indptr[i + 1])
            return np.asarray(self.rows[lo:hi]), np.asarray(self.freqs[lo:hi])
        first = bisect_left(self.terms, term)
        last = bisect_left(self.terms, term + "\uffff")
        if last - first > MAX_PREFIX_TERMS:
            return None
        parts = [self.postings(t, False) for t in self.terms[first:last] if " " not in t]
        if not parts:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        rows = np.concatenate([p[0] for p in parts if p is not None])
        freqs = np.concatenate([p[1] for p in parts if p is not None])
        unique, inverse = np.unique(rows, return_inverse=True)
        return unique.astype(np.int32), np.bincount(inverse, weights=freqs).astype(np.float32)


class Bm25:
    """bm25 rankings of FTS5 MATCH expressions (``"a" OR "b c" OR "d"*``) from the arrays."""

    def __init__(self, directory: Path, tables: Iterable[str]) -> None:
        self._tables = {name: _Table(directory, name) for name in tables}
        self._stemmer = Stemmer()

    @classmethod
    def open(cls, directory: Path, tables: Iterable[str]) -> Bm25 | None:
        """The index under ``directory``, or None when the pack was installed without it."""
        names = list(tables)
        if not all((directory / f"{n}.json").is_file() for n in names):
            return None
        return cls(directory, names)

    def close(self) -> None:
        self._stemmer.close()

    def match(self, expression: str, table: str, within: tuple[int, int] | None = None,
              limit: int = 60) -> list[tuple[int, float]] | None:
        """(rowid, bm25) best first, as FTS5 gives them (bm25 negative: lower is better);
        None when a phrase is not in the index (the caller asks FTS5)."""
        found = self.match_spans(expression, table, [within], limit)
        return None if found is None else found[0]

    def match_spans(self, expression: str, table: str, spans: Sequence[tuple[int, int] | None],
                    limit: int = 60) -> list[list[tuple[int, float]]] | None:
        """:meth:`match` within each rowid range (inclusive; None: the whole table), the
        postings looked up once."""
        import numpy as np

        t = self._tables.get(table)
        phrases = PHRASE.findall(expression)
        if t is None or not phrases:
            return None
        stems = self._stemmer.stems(w for body, _ in phrases for w in tokens(body))
        parts: list[tuple[np.ndarray, np.ndarray, float]] = []
        for body, star in phrases:
            term = " ".join(s for s in (stems[w] for w in tokens(body)) if s)
            if not term:
                continue
            if " " in term and term not in t.phrases:
                return None
            found = t.postings(term, prefix=bool(star))
            if found is None:
                return None
            rows, freqs = found
            if len(rows):
                idf = max(float(np.log((t.count - len(rows) + 0.5) / (len(rows) + 0.5))), 1e-6)
                parts.append((rows, freqs, idf))
        if len(spans) > 1 and None not in spans:
            return score_spans(t.norm, parts, [s for s in spans if s is not None], limit)
        return [score(t.norm, parts, span, limit) for span in spans]
