"""The protocol browser's handle on the active pack: one cached ``Library`` per install.

A thin layer over ``appliance.protocols.library.Library`` and its ``Searcher``: it caches the
library (so every keystroke does not reopen SQLite), says in one line why search is lexical only,
and always searches in "hybrid" mode, which the searcher quietly turns into lexical search when
the embedding model or the vector index is missing. Called from thread workers only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from appliance.errors import PackError

if TYPE_CHECKING:
    from appliance.paths import Layout
    from appliance.protocols.library import Library
    from appliance.protocols.search import Hit

MISSING_MODEL = "lexical search only: embedding model missing"
PENDING_INDEX = "lexical search only: semantic index not built yet"

_libraries: dict[tuple[str, str, str], Library] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class PackInfo:
    """The active pack in one line, plus what the user must be told about it."""

    title: str
    version: str
    content_as_of: str
    overdue: tuple[dict[str, str], ...]
    search_note: str
    """Empty when semantic search is on; otherwise why search is lexical only."""
    categories: tuple[tuple[str, int], ...]


def library_for(lay: Layout) -> Library:
    """The active pack's library, after the cheap integrity check (cached per install)."""
    from appliance.protocols.installed import verify_active_quick
    from appliance.protocols.library import Library

    pack = verify_active_quick(lay)
    if pack is None:
        raise PackError("No protocol pack is installed on this device.",
                        hint="Ask IT to install one: lifeboat protocols install PACK")
    # Keyed by data directory and vector state too: the same pack installed elsewhere, or its
    # semantic index finishing in the background, must not reuse a stale library.
    key = (str(lay.root), pack.install_id, str(pack.vectors))
    with _lock:
        lib = _libraries.get(key)
        if lib is None:
            lib = _libraries[key] = Library(lay, verify=False)
        return lib


def pack_info(lib: Library) -> PackInfo:
    """Title, version, content date, overdue documents and the search mode note."""
    from models.embedder import embedder_available

    active = lib.active()
    if lib.searcher().semantic_available:
        note = ""
    elif not embedder_available():
        note = MISSING_MODEL
    else:
        note = PENDING_INDEX
    return PackInfo(title=str(active.get("title") or active.get("pack_id")),
                    version=str(active.get("version")),
                    content_as_of=str(active.get("content_as_of")),
                    overdue=tuple(active.get("overdue") or ()), search_note=note,
                    categories=tuple(lib.categories()))


def search(lib: Library, query: str, k: int = 20) -> list[Hit]:
    """Best documents for ``query`` (hybrid when the model is there, else lexical), each at
    its best-matching section and line."""
    from appliance.assistant.landing import land

    searcher = lib.searcher()
    return land(query, searcher.search(query, k=k, mode="hybrid"), searcher)
