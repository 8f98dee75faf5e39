"""Read-only access to the active pack's documents for the protocol browser and the assistant.

Everything comes from the installed ``search.db`` (checked by the start-up integrity check), so
browsing needs neither the model nor chromadb.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from appliance.errors import PackError
from appliance.protocols.documents import Section
from appliance.protocols.index import SEARCH_DB

if TYPE_CHECKING:
    from appliance.paths import Layout
    from appliance.protocols.installed import InstalledPack
    from appliance.protocols.search import Searcher


@dataclass(frozen=True)
class DocumentInfo:
    """A document as listed in the browser."""

    id: str
    title: str
    category: str
    audience: tuple[str, ...]
    version: str
    review_date: dt.date
    sources: tuple[str, ...]
    keywords: tuple[str, ...]
    status: str

    @property
    def overdue(self) -> bool:
        """Past its review date (shown as a warning beside the document)."""
        return self.review_date < dt.date.today()


@dataclass(frozen=True)
class DocumentView(DocumentInfo):
    """A document with its Markdown body, for the reader."""

    body: str = ""


class Library:
    """The active protocol pack: documents, sections and search."""

    def __init__(self, lay: Layout, *, verify: bool = True) -> None:
        from appliance.protocols.installed import active_pack, verify_active_quick

        pack = verify_active_quick(lay) if verify else active_pack(lay)
        if pack is None:
            raise PackError("No protocol pack is installed.",
                            hint="Install one with: lifeboat protocols install PACK")
        self.layout = lay
        self.pack: InstalledPack = pack
        self._conn = sqlite3.connect(f"file:{pack.directory / SEARCH_DB}?mode=ro", uri=True,
                                     check_same_thread=False)
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None

    def active(self) -> dict[str, Any]:
        """Pack id, version, publisher, content-as-of date, counts and overdue documents."""
        from appliance.protocols.installed import overdue_documents

        return {**self.pack.summary(), "overdue": overdue_documents(self.pack)}

    def documents(self, category: str | None = None) -> list[DocumentInfo]:
        """All documents (optionally one category), ordered by category then title."""
        sql = "SELECT * FROM docs" + (" WHERE category = ?" if category else "")
        rows = self._rows(sql + " ORDER BY category, title", (category,) if category else ())
        return [_info(DocumentInfo, r) for r in rows]

    def categories(self) -> list[tuple[str, int]]:
        """(category, document count), alphabetical."""
        with self._lock:
            try:
                return [tuple(r) for r in self._conn.execute(
                    "SELECT category, count(*) FROM docs GROUP BY category ORDER BY category")]
            except sqlite3.DatabaseError as exc:
                raise _unreadable(self.pack.pack_id, exc) from exc

    def document(self, doc_id: str) -> DocumentView:
        """One document with its body; PackError if the id is unknown (e.g. a stale citation)."""
        rows = self._rows("SELECT * FROM docs WHERE id = ?", (doc_id,))
        if not rows:
            raise PackError(f"No protocol {doc_id!r} in the active pack "
                            f"({self.pack.pack_id} {self.pack.version}).")
        return _info(DocumentView, rows[0], body=rows[0]["body"])

    def sections(self, doc_id: str) -> list[Section]:
        """The document's sections in order, with heading paths (for the outline and citations)."""
        rows = self._rows("SELECT section_id, doc_id, ordinal, heading_path, text FROM sections "
                          "WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
        if not rows:
            self.document(doc_id)  # raises the clear "no protocol" error
        return [Section(r["section_id"], r["doc_id"], r["ordinal"],
                        tuple(json.loads(r["heading_path"])), r["text"]) for r in rows]

    def section(self, section_id: str) -> Section:
        """One section by id ("open from citation")."""
        doc_id = section_id.split("#", 1)[0]
        for s in self.sections(doc_id):
            if s.section_id == section_id:
                return s
        raise PackError(f"No section {section_id!r} in the active pack.")

    def searcher(self) -> Searcher:
        """The pack's searcher (created once)."""
        from appliance.protocols.search import Searcher

        if self._searcher is None:
            self._searcher = Searcher(self.pack.directory,
                                      vectors_ready=self.pack.vectors == "ready")
        return self._searcher

    def _rows(self, sql: str, params: tuple[Any, ...]) -> list[sqlite3.Row]:
        with self._lock:
            cur = self._conn.cursor()
            cur.row_factory = sqlite3.Row
            try:
                return cur.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise _unreadable(self.pack.pack_id, exc) from exc


def _unreadable(pack_id: str, exc: sqlite3.DatabaseError) -> PackError:
    """The index is read-only and its SQL is fixed: an error reading it is the disk or the file."""
    if isinstance(exc, sqlite3.ProgrammingError):
        raise exc
    return PackError(f"The protocol pack {pack_id} could not be read from disk ({exc}).",
                     hint="Reinstall the pack; if it keeps happening, call IT.")


Info = TypeVar("Info", bound=DocumentInfo)


def _info(cls: type[Info], row: sqlite3.Row, **extra: Any) -> Info:
    return cls(id=row["id"], title=row["title"], category=row["category"],
               audience=tuple(json.loads(row["audience"])), version=row["version"],
               review_date=dt.date.fromisoformat(row["review_date"]),
               sources=tuple(json.loads(row["sources"])),
               keywords=tuple(json.loads(row["keywords"])), status=row["status"], **extra)
