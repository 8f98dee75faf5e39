"""Protocol browser: categories, search-as-you-type with highlighted matches, bookmarks.

Works with no model loaded: search falls back to lexical and the screen says so. Search runs in
an exclusive thread worker per keystroke, so a newer query always replaces a stale one and the
input never waits. ``open_protocol`` is the entry point other screens (citations, triage reasons)
use to show a document at a section.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from appliance.errors import LifeboatError
from appliance.protocols.library import DocumentInfo, Library
from appliance.protocols.search import Hit
from appliance.protocols.snippets import highlight_spans
from tui import context
from tui.screens.protocol_source import PackInfo, library_for, pack_info, search
from tui.widgets.bookmarks import Bookmark, Bookmarks
from tui.widgets.status_bar import StatusBar

ALL = "__all__"
BOOKMARKS = "__bookmarks__"
_WORD = re.compile(r"[a-z0-9]{2,}", re.I)


def make(app: App[object]) -> Screen[None]:
    """Home-menu factory."""
    return ProtocolBrowserScreen()


def open_protocol(app: App[object], doc_id: str, section_id: str | None = None, *,
                  line: str | None = None) -> None:
    """Show ``doc_id`` (scrolled to ``section_id``, and to ``line`` highlighted, when given) on
    top of the current screen.

    The API citations and other screens call; if a protocol document is already showing it
    navigates there (so Back returns to where the user was).
    """
    from tui.screens.protocol_view import ProtocolDocumentScreen

    if isinstance(app.screen, ProtocolDocumentScreen):
        app.screen.go(doc_id, section_id, line=line)
    else:
        app.push_screen(ProtocolDocumentScreen(doc_id, section_id, line=line,
                                               to_search=back_to_search))


def back_to_search(app: App[object]) -> None:
    """From a document to the search box: the browser it was opened from when that is just
    below, else a new browser in the document's place."""
    below = app.screen_stack[-2] if len(app.screen_stack) > 1 else None
    if isinstance(below, ProtocolBrowserScreen):
        app.pop_screen()
        below.action_focus_search()
    else:
        app.switch_screen(ProtocolBrowserScreen())


def highlight(text: str, query: str, style: str = "bold black on #FFD700") -> Text:
    """``text`` with every word starting with a query word (2+ letters) highlighted."""
    out = Text(text)
    words = sorted({w.lower() for w in _WORD.findall(query)}, key=len, reverse=True)
    if words:
        out.highlight_regex(re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\w*",
                                       re.I), style=style)
    return out


def marked_snippet(snippet: str, style: str = "bold black on #FFD700") -> Text:
    """A search snippet with the searcher's match marks turned into highlights."""
    cleaned = " ".join(snippet.replace("**", "").replace("`", "").split()).removeprefix("> ")
    plain, spans = highlight_spans(cleaned)
    text = Text(plain, style="dim")
    for start, end in spans:
        text.stylize(style, start, end)
    return text


class ProtocolBrowserScreen(Screen[None]):
    CSS_PATH = "protocols.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("slash", "focus_search", "Search", show=False),
        Binding("f2", "bookmarks", "Bookmarks"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.source: Library | None = None
        self.category = ALL
        self.hits: list[Hit] = []
        self._query = ""

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("Protocols · opening the active pack…", id="pack-line")
        yield Static("", id="search-note")
        yield Input(placeholder="Search protocols — typos and SOB, CP, GCS are fine",
                    id="query")
        with Horizontal(id="browse"):
            yield OptionList(id="categories")
            yield OptionList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        context.refresh_status(self.app)
        self._open_pack()

    # -- loading --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="protocol-open")
    def _open_pack(self) -> None:
        try:
            source = library_for(context.device(self.app).layout)
            info = pack_info(source)
            docs = sorted(source.documents(), key=lambda d: d.title)
        except LifeboatError as exc:
            self.app.call_from_thread(self._show_error, exc)
            return
        self.app.call_from_thread(self._show_pack, source, info, docs)
        # Load the embedder and vector index now, in this worker, so the first search typed
        # does not wait for them; a failure here shows when that search runs.
        try:
            source.searcher().warm()
        except LifeboatError:
            pass

    def _show_error(self, exc: LifeboatError) -> None:
        line = Text(exc.message, style="bold #FF4040")
        if exc.hint:
            line.append(f"  {exc.hint}", style="")
        self.query_one("#pack-line", Static).update(line)
        self.notify(exc.message, severity="error", timeout=8)

    def _show_pack(self, source: Library, info: PackInfo, docs: list[DocumentInfo]) -> None:
        self.source = source
        # Dates first: the title can be long and is what gets cut at 80 columns.
        line = Text(f"Content as of {info.content_as_of}", style="bold", no_wrap=True,
                    overflow="ellipsis")
        if info.overdue:
            line.append(f" · {len(info.overdue)} past review date", style="bold #FFA500")
        line.append(f" · {info.title} {info.version}")
        self.query_one("#pack-line", Static).update(line)
        note = self.query_one("#search-note", Static)
        note.update(info.search_note)
        note.display = bool(info.search_note)
        cats = self.query_one("#categories", OptionList)
        cats.clear_options()
        cats.add_options([Option(f"All ({len(docs)})", id=ALL),
                          Option(f"★ Bookmarks ({len(self._bookmarks().list())})",
                                 id=BOOKMARKS)])
        cats.add_options([Option(f"{c} ({n})", id=c) for c, n in info.categories])
        cats.highlighted = 0
        if self._query:
            self._search(self._query)
        else:
            self._show_documents(docs)

    # -- browsing -------------------------------------------------------------------------------

    def _bookmarks(self) -> Bookmarks:
        session = context.current_session(self.app)
        username = session.user.username if session is not None else "_"
        return Bookmarks(context.device(self.app).layout.root, username)

    @on(OptionList.OptionHighlighted, "#categories")
    def _category_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        category = str(event.option.id)
        if category == self.category or self.source is None:
            return
        self.category = category
        if not self._query:
            self._list_category()

    @on(OptionList.OptionSelected, "#categories")
    def _category_chosen(self, event: OptionList.OptionSelected) -> None:
        if self._query:
            self.query_one("#query", Input).value = ""
        self.category = str(event.option.id)
        self._list_category()
        self.query_one("#results", OptionList).focus()

    def _list_category(self) -> None:
        if self.source is None:
            return
        if self.category == BOOKMARKS:
            self._show_bookmarks(self._bookmarks().list())
        else:
            self._load_category(self.category)

    @work(thread=True, exclusive=True, group="protocol-list")
    def _load_category(self, category: str) -> None:
        assert self.source is not None
        docs = sorted(self.source.documents(None if category == ALL else category),
                      key=lambda d: d.title)
        self.app.call_from_thread(self._show_documents, docs)

    def _show_documents(self, docs: list[DocumentInfo]) -> None:
        results = self.query_one("#results", OptionList)
        results.clear_options()
        for d in docs:
            label = Text(d.title)
            if d.overdue:
                label.append(f"  past review {d.review_date}", style="bold #FFA500")
            results.add_option(Option(label, id=f"doc:{d.id}"))
        if docs:
            results.highlighted = 0

    def _show_bookmarks(self, marks: list[Bookmark]) -> None:
        results = self.query_one("#results", OptionList)
        results.clear_options()
        if not marks:
            results.add_option(Option(Text("No bookmarks yet: press b in a document.",
                                           style="italic"), disabled=True))
            return
        for i, b in enumerate(marks):
            results.add_option(Option(Text("★ ").append(b.label), id=f"mark:{i}"))
        results.highlighted = 0

    def action_bookmarks(self) -> None:
        self.query_one("#query", Input).value = ""
        self.query_one("#categories", OptionList).highlighted = 1
        self.category = BOOKMARKS
        self._list_category()
        self.query_one("#results", OptionList).focus()

    # -- search ---------------------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        self._query = event.value.strip()
        if self.source is None:
            return
        if self._query:
            self._search(self._query)
        else:
            self._list_category()

    @work(thread=True, exclusive=True, group="protocol-search")
    def _search(self, query: str) -> None:
        assert self.source is not None
        try:
            hits = search(self.source, query)
        except LifeboatError as exc:
            self.app.call_from_thread(self._show_error, exc)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_hits, query, hits)

    def _show_hits(self, query: str, hits: list[Hit]) -> None:
        if query != self._query:  # typed on since: a newer search is on its way
            return
        self.hits = hits
        results = self.query_one("#results", OptionList)
        results.clear_options()
        if not hits:
            results.add_option(Option(Text(f"No protocol matches “{query}”.", style="italic"),
                                      disabled=True))
            return
        width = max(20, results.scrollable_content_region.width - 2)
        for i, h in enumerate(hits):
            where = " › ".join(h.heading_path[1:]) if len(h.heading_path) > 1 else ""
            label = highlight(h.title, query)
            label.stylize("bold")
            if where:
                label.append(" › ").append_text(highlight(where, query))
            snippet = marked_snippet(h.snippet)
            for line in (label, snippet):  # two lines per hit, so more hits fit at 80×24
                line.truncate(width, overflow="ellipsis")
            results.add_option(Option(label.append("\n").append_text(snippet), id=f"hit:{i}"))
        results.highlighted = 0

    @on(Input.Submitted, "#query")
    def _open_first(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count and results.highlighted is not None:
            self._open_option(str(results.get_option_at_index(results.highlighted).id))

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.focused is self.query_one("#query", Input):
            self.query_one("#results", OptionList).focus()
            event.stop()

    @on(OptionList.OptionSelected, "#results")
    def _result_chosen(self, event: OptionList.OptionSelected) -> None:
        self._open_option(str(event.option.id))

    def _open_option(self, option_id: str) -> None:
        kind, _, value = option_id.partition(":")
        if kind == "doc":
            open_protocol(self.app, value)
        elif kind == "hit":
            hit = self.hits[int(value)]
            open_protocol(self.app, hit.doc_id, hit.section_id, line=hit.line or None)
        elif kind == "mark":
            mark = self._bookmarks().list()[int(value)]
            open_protocol(self.app, mark.doc_id, mark.section_id)

    # -- keys -----------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.query_one("#query", Input).focus()

    def action_back(self) -> None:
        query = self.query_one("#query", Input)
        if query.value:
            query.value = ""
            query.focus()
        else:
            self.app.pop_screen()

    def on_screen_resume(self) -> None:
        if self.source is not None and self.category == BOOKMARKS and not self._query:
            self._list_category()
