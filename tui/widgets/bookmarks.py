"""Protocol bookmarks, kept per user in ``<LIFEBOAT_HOME>/ui/bookmarks.json``.

Bookmarks name protocol sections, never patients, so they live outside the encrypted record
store; the file is replaced atomically so a crash never loses the whole list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from appliance.fsutil import atomic_write_json

FILE = Path("ui") / "bookmarks.json"


@dataclass(frozen=True)
class Bookmark:
    doc_id: str
    section_id: str | None
    label: str


class Bookmarks:
    """One user's bookmarks, newest first."""

    def __init__(self, root: Path, username: str) -> None:
        self.path = root / FILE
        self.username = username

    def _load_all(self) -> dict[str, list[dict[str, str | None]]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def list(self) -> list[Bookmark]:
        rows = self._load_all().get(self.username, [])
        return [Bookmark(str(r["doc_id"]), r.get("section_id"), str(r.get("label") or ""))
                for r in rows if isinstance(r, dict) and r.get("doc_id")]

    def contains(self, doc_id: str, section_id: str | None = None) -> bool:
        return any(b.doc_id == doc_id and b.section_id == section_id for b in self.list())

    def toggle(self, doc_id: str, section_id: str | None, label: str) -> bool:
        """Add the bookmark, or remove it if present; returns True when it is now bookmarked."""
        data = self._load_all()
        rows = [r for r in data.get(self.username, [])
                if not (r.get("doc_id") == doc_id and r.get("section_id") == section_id)]
        added = len(rows) == len(data.get(self.username, []))
        if added:
            rows.insert(0, {"doc_id": doc_id, "section_id": section_id, "label": label})
        data[self.username] = rows
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_json(self.path, data)
        return added
