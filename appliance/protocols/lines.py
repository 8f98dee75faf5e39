"""The lines of a protocol pack: every sentence, list item and table row, with where it stands.

A line is what an answer quotes: its ``text`` is verbatim from the document (Markdown emphasis
kept), ``context`` is what makes it readable alone (a table row keeps its header row, a list
item the lead-in it hangs from, e.g. "Adrenaline 1 mg/ml (1:1000):"), and ``heading_path`` says
where it is. Lines are parsed from the sections in the pack's ``search.db`` when a document is
first needed and kept per document (:class:`LineIndex`): parsing one document takes well under
a millisecond, so there is nothing to build at install time and nothing to go stale.

The line that repeats the document's ``status`` front matter (the sample pack's "Sample content
— review locally before clinical use") is boilerplate, not guidance, and is never a line.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, overload

from appliance.protocols import line_vectors
from appliance.protocols.abbreviations import defined, used
from appliance.protocols.line_text import cells as row_cells
from appliance.protocols.line_text import is_boilerplate, split_sentences, strip_markup

_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")
_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")
# Abbreviations a sentence never ends on ("e.g. Parkland").
_SKIP_HEADINGS = frozenset({"sources", "references", "source", "further reading"})
CACHE_DOCS = 256
LINE_VECTORS = "line_vectors"
EMBED_AT_ONCE = 256
"""Lines embedded in one call by :meth:`LineIndex.embed_all`."""


def embed_text(line: Line) -> str:
    """What the embedder sees for a line: its document, its lead-in or header, the line."""
    return f"{line.title}: {strip_markup(line.context)} {line.plain}".strip()


@dataclass(frozen=True)
class Line:
    """One sentence, list item or table row of a protocol document."""

    doc_id: str
    title: str
    section_id: str
    heading_path: tuple[str, ...]
    number: int
    """Position of the line in its document (0-based, document order)."""
    kind: str
    """"sentence", "item" or "row"."""
    text: str
    context: str = ""
    expansion: str = ""
    """What the abbreviations the line uses stand for, where its document spells them out
    (:mod:`appliance.protocols.abbreviations`): matched as words of the line, never shown."""
    before: str = ""
    """The sentence before it in the same paragraph or list item, which may name what this one
    leaves out ("Do not loosen it once applied" after the tourniquet's sentence); never shown."""

    @property
    def plain(self) -> str:
        """The text without Markdown emphasis (for matching and checking)."""
        return strip_markup(self.text)

    @property
    def shown(self) -> str:
        """What the clinician reads: the context (lead-in or header row), then the line."""
        plain = self.plain
        if not self.context:
            return plain
        return f"{strip_markup(self.context)} {'→' if self.kind == 'row' else ''} {plain}".replace(
            "  ", " ")


def line_label(line: Line) -> str:
    """What a table row is about: its first cell ("Systolic BP mmHg", "R — Recommendation",
    "Life-threatening"); "" for other lines. (The words before a colon opening a sentence or
    item were tried as a label too and lowered the untuned sets.)"""
    if line.kind != "row":
        return ""
    return line.plain.split("|", 1)[0].strip()


def parse_section(doc_id: str, title: str, section_id: str, heading_path: tuple[str, ...],
                  text: str, status: str = "", start: int = 0) -> list[Line]:
    """The lines of one section's Markdown (``start``: number of the first line)."""
    if heading_path and heading_path[-1].strip().lower() in _SKIP_HEADINGS:
        return []
    found: list[tuple[int, int, str, str, str, str]] = []  # (order, n, kind, text, context,
    #                                                           the sentence before it)
    order = 0

    def add(kind: str, body: str, context: str = "", at: int | None = None) -> None:
        nonlocal order
        body = " ".join(body.split())
        if not body or is_boilerplate(body, status):
            return
        if at is None:
            order += 1
        parts = [body] if kind == "row" else split_sentences(body)
        for n, part in enumerate(parts):
            found.append((order if at is None else at, n, kind, part, context,
                          parts[n - 1] if n else ""))

    header = ""
    paragraph: list[str] = []
    items: list[tuple[int, list[str], int]] = []  # open list items: (indent, parts, order)
    lead = ""  # the paragraph line a list hangs from ("... formulae (APLS):")

    def item_context() -> str:
        chain = [_lead_of(" ".join(parts)) for _, parts, _ in items[:-1]]
        return " ".join(c for c in [lead, *chain] if c)

    def close_items(to: int = 0) -> None:
        while len(items) > to:
            context = item_context()
            _, parts, at = items.pop()
            add("item", " ".join(parts), context, at)

    def close_paragraph() -> None:
        nonlocal lead
        if paragraph:
            body = " ".join(paragraph)
            add("sentence", body)
            lead = split_sentences(body)[-1] if body.rstrip().endswith(":") else ""
            paragraph.clear()

    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped:
            close_paragraph()
            continue
        if stripped.startswith("#"):
            continue
        row = _ROW.match(raw)
        if row:
            close_paragraph()
            close_items()
            if _RULE.match(raw):
                continue
            cells = row_cells(raw)
            if not header:
                header = " | ".join(cells)
            else:
                add("row", " | ".join(c for c in cells), header)
            continue
        header = ""
        if stripped.startswith(">"):
            close_paragraph()
            close_items()
            add("sentence", stripped.lstrip("> "))
            continue
        item = _ITEM.match(raw)
        if item:
            if not items:
                close_paragraph()
            indent = len(item.group(1))
            while items and items[-1][0] >= indent:
                close_items(len(items) - 1)
            order += 1
            items.append((indent, [item.group(3)], order))
            continue
        if items:
            indent = len(raw) - len(raw.lstrip())
            if indent > 0:
                # Indented no deeper than a nested item's marker: it continues the item above
                # that list (the text after a list of doses), not the last dose.
                while len(items) > 1 and items[-1][0] >= indent:
                    close_items(len(items) - 1)
                items[-1][1].append(stripped)
                continue
            close_items()
            lead = ""
        paragraph.append(stripped)
    close_paragraph()
    close_items()
    return [Line(doc_id, title, section_id, heading_path, start + i, kind, text, context,
                 before=before)
            for i, (_, _, kind, text, context, before) in enumerate(sorted(found,
                                                                          key=lambda f: f[:2]))]


def _keywords(raw: str | None) -> list[str]:
    try:
        words = json.loads(raw or "[]")
    except ValueError:
        return []
    return [w for w in words if isinstance(w, str)] if isinstance(words, list) else []


def _lead_of(item: str) -> str:
    """The part of a parent list item its children hang from: its last sentence."""
    sentences = split_sentences(item)
    return sentences[-1] if sentences else item


class LineIndex:
    """The lines of one installed pack, parsed per document on first use (thread-safe)."""

    def __init__(self, directory: Path) -> None:
        from appliance.protocols.index import SEARCH_DB

        self._conn = sqlite3.connect(f"file:{directory / SEARCH_DB}?mode=ro", uri=True,
                                     check_same_thread=False)
        self._lock = threading.Lock()
        self._docs: OrderedDict[str, list[Line]] = OrderedDict()
        self._about: dict[str, str] = {}
        self._vectors: OrderedDict[str, Any] = OrderedDict()
        self._cache = directory / LINE_VECTORS
        self._pending: set[str] = set()
        self._worker: Any = None
        self.documents = self._conn.execute("SELECT count(*) FROM docs").fetchone()[0]

    def lines(self, doc_id: str) -> list[Line]:
        """Every line of ``doc_id`` in document order ([] for an unknown id)."""
        with self._lock:
            if doc_id in self._docs:
                self._docs.move_to_end(doc_id)
                return self._docs[doc_id]
            meta = self._conn.execute("SELECT title, status, keywords FROM docs WHERE id = ?",
                                      (doc_id,)).fetchone()
            rows = self._conn.execute(
                "SELECT section_id, heading_path, text FROM sections WHERE doc_id = ? "
                "ORDER BY ordinal", (doc_id,)).fetchall()
        out: list[Line] = []
        if meta is not None:
            for section_id, path, text in rows:
                out += parse_section(doc_id, meta[0], section_id, tuple(json.loads(path)), text,
                                     meta[1] or "", start=len(out))
            definitions = defined("\n".join(strip_markup(r[2]) for r in rows))
            out = [replace(line, expansion=used(line.text, definitions)) for line in out]
        with self._lock:
            self._docs[doc_id] = out
            if meta is not None:
                self._about[doc_id] = " ".join([meta[0] or "", *_keywords(meta[2])])
            while len(self._docs) > CACHE_DOCS:
                self._docs.popitem(last=False)
        return out

    def about(self, doc_id: str) -> str:
        """What the document is about: its title and keywords ("" for an unknown id)."""
        self.lines(doc_id)
        with self._lock:
            return self._about.get(doc_id, "")

    def vectors(self, doc_id: str, *, wait: bool = True) -> Any:
        """Unit embeddings of the document's lines (rows in line order), or None without the
        embedder. Computed once and kept on disk beside the pack's index, keyed by the lines'
        text. With ``wait`` False a document not embedded yet returns None at once and is
        embedded in the background, so an answer never waits for embedding."""
        with self._lock:
            if doc_id in self._vectors:
                self._vectors.move_to_end(doc_id)
                return self._vectors[doc_id]
        from models.embedder import embedder_available

        if not embedder_available():
            return None
        path, texts, matrix = self._stored(doc_id)
        if matrix is None and not wait:
            self._in_background(doc_id)
            return None
        if matrix is None:
            return self._embed_and_keep([(doc_id, path, texts)])[0]
        self._keep(doc_id, matrix)
        return matrix

    def _stored(self, doc_id: str) -> tuple[Path, list[str], Any]:
        """(the document's vector file, the texts to embed, its matrix from disk or None)."""
        texts = [embed_text(line) for line in self.lines(doc_id)]
        path = line_vectors.path_for(self._cache, doc_id, texts)
        return path, texts, line_vectors.load(path, len(texts))

    def _embed_and_keep(self, todo: list[tuple[str, Path, list[str]]]) -> list[Any]:
        """Embed several documents' lines in one call, save and keep each document's matrix."""
        out = line_vectors.embed_and_save(self._cache, [(path, texts) for _, path, texts in todo])
        for (doc_id, _, _), matrix in zip(todo, out, strict=True):
            self._keep(doc_id, matrix)
        return out

    def _keep(self, doc_id: str, matrix: Any) -> None:
        with self._lock:
            self._vectors[doc_id] = matrix
            while len(self._vectors) > CACHE_DOCS:
                self._vectors.popitem(last=False)

    def _in_background(self, doc_id: str) -> None:
        with self._lock:
            if doc_id in self._pending:
                return
            self._pending.add(doc_id)
            if self._worker is None:
                from concurrent.futures import ThreadPoolExecutor

                self._worker = ThreadPoolExecutor(1, thread_name_prefix="line-vectors")
        self._worker.submit(self._embed_later, doc_id)

    def _embed_later(self, doc_id: str) -> None:
        try:
            self.vectors(doc_id)
        finally:
            with self._lock:
                self._pending.discard(doc_id)

    def settle(self) -> None:
        """Wait until the documents queued for background embedding are embedded."""
        import time

        while True:
            with self._lock:
                if not self._pending:
                    return
            time.sleep(0.05)

    def embed_all(self, progress: Any = None) -> None:
        """Embed every document's lines now (at install, or before an evaluation).

        Documents are embedded together, ``EMBED_AT_ONCE`` lines or so at a time: the embedder
        sorts a call's texts by length, so a batch drawn from several documents pads far less
        than one document's lines alone, each padded to its longest line (measured in
        docs/performance.md)."""
        from models.embedder import embedder_available

        with self._lock:
            ids = [r[0] for r in self._conn.execute("SELECT id FROM docs ORDER BY id")]
        available = embedder_available()
        todo: list[tuple[str, Path, list[str]]] = []
        waiting = 0
        for n, doc_id in enumerate(ids, 1):
            with self._lock:
                known = doc_id in self._vectors
            if available and not known:
                path, texts, matrix = self._stored(doc_id)
                if matrix is None:
                    todo.append((doc_id, path, texts))
                    waiting += len(texts)
                else:
                    self._keep(doc_id, matrix)
            if waiting < EMBED_AT_ONCE and n < len(ids):
                continue
            if todo:
                self._embed_and_keep(todo)
                todo, waiting = [], 0
            if progress:
                progress("line vectors", n, len(ids))

    def document_frequency(self, words: list[str]) -> dict[str, int]:
        """How many documents hold each word (the pack's vocabulary table)."""
        if not words:
            return {}
        marks = ",".join("?" * len(words))
        with self._lock:
            return dict(self._conn.execute(
                f"SELECT word, df FROM vocab WHERE word IN ({marks})", words).fetchall())

    @overload
    def words_starting(self, prefix: str, limit: int = 8, *,
                       counts: Literal[False] = False) -> list[str]: ...

    @overload
    def words_starting(self, prefix: str, limit: int = 8, *,
                       counts: Literal[True]) -> list[tuple[str, int]]: ...

    def words_starting(self, prefix: str, limit: int = 8, *,
                       counts: bool = False) -> list[str] | list[tuple[str, int]]:
        """Vocabulary words that begin with ``prefix`` (longer than it), commonest first (with
        ``counts``: each with the number of documents holding it)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT word, df FROM vocab WHERE word > ? AND word < ? ORDER BY df DESC, word "
                "LIMIT ?", (prefix, prefix + "\uffff", limit)).fetchall()
        if counts:
            return [(r[0], int(r[1])) for r in rows]
        return [r[0] for r in rows]

    def close(self) -> None:
        if self._worker is not None:
            self._worker.shutdown(wait=True)
        self._conn.close()
