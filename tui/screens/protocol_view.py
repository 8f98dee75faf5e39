"""One protocol document with its headings, scrolled to a section and line; back/forward;
bookmarks.

A cited or searched line is found among the rendered Markdown blocks (paragraph, list item or
table cell) by its text, highlighted and scrolled into view; if the text is not found (a stale
citation) the section heading is highlighted instead.

History is kept per app (not per screen), so Back after following a citation returns to the
document the user was reading before, even after the screen was closed and opened again.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, MarkdownViewer, Static
from textual.widgets._markdown import (
    MarkdownHeader,
    MarkdownParagraph,
    MarkdownTableCellContents,
)

from appliance.errors import LifeboatError
from appliance.protocols.library import DocumentView
from tui import context
from tui.screens.protocol_source import library_for
from tui.widgets.bookmarks import Bookmarks
from tui.widgets.status_bar import StatusBar

Location = tuple[str, str | None]  # (doc_id, section_id)


@dataclass
class History:
    """Browser-style back/forward over the locations opened in the protocol viewer."""

    entries: list[Location] = field(default_factory=list)
    index: int = -1

    @property
    def current(self) -> Location | None:
        return self.entries[self.index] if 0 <= self.index < len(self.entries) else None

    def visit(self, location: Location) -> None:
        if location == self.current:
            return
        del self.entries[self.index + 1:]
        self.entries.append(location)
        self.index = len(self.entries) - 1

    def back(self) -> Location | None:
        if self.index <= 0:
            return None
        self.index -= 1
        return self.current

    def forward(self) -> Location | None:
        if self.index >= len(self.entries) - 1:
            return None
        self.index += 1
        return self.current


_histories: weakref.WeakKeyDictionary[App[object], History] = weakref.WeakKeyDictionary()


def history_for(app: App[object]) -> History:
    """The app's protocol history (created on first use)."""
    if app not in _histories:
        _histories[app] = History()
    return _histories[app]


def _norm(text: str) -> str:
    return " ".join(text.replace("*", "").replace("`", "").split()).casefold()


class ProtocolDocumentScreen(Screen[None]):
    CSS_PATH = "protocol_view.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("left_square_bracket,alt+left", "back", "Back"),
        Binding("right_square_bracket,alt+right", "forward", "Fwd"),
        Binding("b", "bookmark", "Bookmark"),
        Binding("c", "contents", "Contents"),
        Binding("slash", "search", "Search"),
    ]

    def __init__(self, doc_id: str, section_id: str | None = None, *,
                 line: str | None = None, to_search: Callable[[App[object]], None]) -> None:
        """``to_search`` takes the user to protocol search (``/``); the browser module, which
        opens documents, passes it in."""
        super().__init__()
        self.to_search = to_search
        self.doc_id = doc_id
        self.section_id = section_id
        self.line = line
        self.doc: DocumentView | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("Opening…", id="doc-title")
        yield Static("", id="doc-meta")
        yield MarkdownViewer(show_table_of_contents=False, open_links=False, id="doc")
        yield Footer()

    def on_mount(self) -> None:
        context.refresh_status(self.app)
        self.go(self.doc_id, self.section_id, line=self.line)

    # -- navigation -----------------------------------------------------------------------------

    def go(self, doc_id: str, section_id: str | None = None, *, record: bool = True,
           line: str | None = None) -> None:
        """Show ``doc_id`` at ``section_id`` (and ``line``, highlighted); ``record`` adds it to
        the back/forward history."""
        if record:
            history_for(self.app).visit((doc_id, section_id))
        self.doc_id, self.section_id, self.line = doc_id, section_id, line
        self._load(doc_id)

    def action_back(self) -> None:
        location = history_for(self.app).back()
        if location is None:
            self.notify("No earlier protocol in this session.", timeout=3)
        else:
            self.go(*location, record=False)

    def action_forward(self) -> None:
        location = history_for(self.app).forward()
        if location is None:
            self.notify("Nothing to go forward to.", timeout=3)
        else:
            self.go(*location, record=False)

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_search(self) -> None:
        self.to_search(self.app)

    def action_contents(self) -> None:
        viewer = self.query_one(MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents

    def action_bookmark(self) -> None:
        if self.doc is None:
            return
        session = context.current_session(self.app)
        username = session.user.username if session is not None else "_"
        marks = Bookmarks(context.device(self.app).layout.root, username)
        label = self.doc.title + (f" › {self._section_heading()}" if self.section_id else "")
        added = marks.toggle(self.doc.id, self.section_id, label)
        self.notify(("Bookmarked: " if added else "Bookmark removed: ") + label, timeout=3)
        self._show_meta()

    # -- loading --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="protocol-doc")
    def _load(self, doc_id: str) -> None:
        try:
            library = library_for(context.device(self.app).layout)
            doc = library.document(doc_id)
        except LifeboatError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        path: tuple[str, ...] = ()
        if self.section_id:
            try:
                path = library.section(self.section_id).heading_path
            except LifeboatError:  # a stale citation: show the document from the top
                self.app.call_from_thread(self.notify, "That section is not in the active "
                                          "pack any more; showing the whole document.")
        self.app.call_from_thread(self._show, doc, path)

    def _failed(self, exc: LifeboatError) -> None:
        self.query_one("#doc-title", Static).update(Text(exc.message, style="bold #FF4040"))
        self.notify(exc.message + (f" {exc.hint}" if exc.hint else ""), severity="error")

    async def _show(self, doc: DocumentView, heading_path: tuple[str, ...]) -> None:
        self.doc = doc
        self._heading_path = heading_path
        self.query_one("#doc-title", Static).update(Text(doc.title, style="bold"))
        self._show_meta()
        viewer = self.query_one(MarkdownViewer)
        await viewer.document.update(doc.body)
        viewer.scroll_home(animate=False)
        self.call_after_refresh(self._scroll_to_section)
        viewer.document.focus()

    def _show_meta(self) -> None:
        doc = self.doc
        if doc is None:
            return
        meta = Text(f"{doc.category} · v{doc.version} · review by {doc.review_date}")
        if doc.overdue:
            meta.append(" · PAST REVIEW DATE: check the local version", style="bold #FFA500")
        session = context.current_session(self.app)
        username = session.user.username if session is not None else "_"
        marks = Bookmarks(context.device(self.app).layout.root, username)
        if marks.contains(doc.id, self.section_id):
            meta.append(" · ★ bookmarked", style="bold")
        self.query_one("#doc-meta", Static).update(meta)

    def _section_heading(self) -> str:
        path = getattr(self, "_heading_path", ())
        return path[-1] if len(path) > 1 else ""

    def _scroll_to_section(self) -> None:
        viewer = self.query_one(MarkdownViewer)
        for block in viewer.document.query(".cited"):
            block.remove_class("cited")
        if self.line and self._scroll_to_line(viewer, self.line):
            return
        heading = self._section_heading()
        if not heading:
            return
        headers = list(viewer.document.query(MarkdownHeader))
        wanted = _norm(heading)
        parent = _norm(self._heading_path[-2]) if len(self._heading_path) > 2 else ""
        current_parent = ""
        for header in headers:
            title = _norm(header._content.plain)
            if header.LEVEL == 2:
                current_parent = title
            if title == wanted and (not parent or current_parent == parent or header.LEVEL == 2):
                header.add_class("cited")
                viewer.scroll_to_widget(header, top=True, animate=False)
                return


    def _scroll_to_line(self, viewer: MarkdownViewer, line: str) -> bool:
        """Highlight and show the block holding ``line``; False when no block holds it."""
        blocks = [b for b in viewer.document.query(MarkdownParagraph)
                  if _line_in(line, b._content.plain)]
        cells = [c for c in viewer.document.query(MarkdownTableCellContents)
                 if _norm(str(c.render())) and _norm(str(c.render())) == _norm(
                     line.split("|", 1)[0])] if "|" in line else []
        target = blocks[0] if blocks else (cells[0] if cells else None)
        if target is None:
            return False
        target.add_class("cited")
        viewer.scroll_to_widget(target, top=True, animate=False)
        return True


def _line_in(line: str, block: str) -> bool:
    """Whether a rendered block holds the line (its first words, emphasis and spacing aside)."""
    wanted = _norm(line.rsplit("→", 1)[-1])[:60]
    return bool(wanted) and wanted in _norm(block)

