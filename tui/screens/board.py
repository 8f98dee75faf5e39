"""The patient board: every open encounter on this device, most urgent first.

Colours per priority, a breach warning when the wait passes the priority's target, reassessment
reminders from NEWS2, filter by area (a), search (/), Enter opens the record, n a new one. The
board re-reads every 30 s and whenever it comes back into view; the clock is injectable
(``app.clock``) so tests and snapshots are exact.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from appliance.errors import LifeboatError
from appliance.records import board
from appliance.records.clock import Clock, system_clock
from appliance.session import Session
from tui import context
from tui.lock_park import ShowsPatientData
from tui.theme import PRIORITY_STYLES
from tui.widgets.row_table import Column, RowTable
from tui.widgets.status_bar import StatusBar

REFRESH_S = 30.0
BREACH = "bold white on #C00000"
DUE = "bold black on #FFA500"
SCROLLBAR = 2  # kept free so that a long board's scrollbar never hides the last column


def make(app: App[object]) -> Screen[None]:
    return BoardScreen(context.session(app), context.clock(app))


SHORT_NAMES = {1: "Immed", 2: "V.urg", 3: "Urgent", 4: "Std", 5: "Non-u", None: "Triage"}


def _priority_label(e: board.BoardEntry, narrow: bool) -> str:
    name = SHORT_NAMES[e.priority] if narrow else e.priority_name
    return f" {e.priority or '?'} {name}{'' if e.confirmed else '*'} "


def cells(e: board.BoardEntry, now: Any, narrow: bool = False) -> tuple[Text, ...]:
    """The row for one entry: priority, patient, age, area, complaint, wait, NEWS2, reassess.

    ``narrow`` (an 80-column terminal) abbreviates the priority, the wait and the reminder so
    that every column that matters for safety fits without scrolling.
    """
    style = PRIORITY_STYLES.get(e.priority or 0, "reverse")
    prio = Text(_priority_label(e, narrow), style=style)
    warn = "⚠" if narrow else "⚠ "
    waited = Text(f"{e.waited_min}/{e.target_min}m")
    if e.breached:
        waited = Text(f"{warn}{e.waited_min}/{e.target_min}m", style=BREACH)
    news = Text("—" if e.news2 is None else str(e.news2))
    if e.reassess_due_at is None:
        due = Text("")
    elif e.reassess_overdue:
        late = int((now - e.reassess_due_at).total_seconds() // 60)
        text = ("now" if narrow else "obs now") if e.news2 is None else \
            (f"DUE+{late}m" if narrow else f"obs DUE +{late}m")
        due = Text(text, style=DUE)
    else:
        mins = int((e.reassess_due_at - now).total_seconds() // 60)
        due = Text(f"in {mins}m" if narrow else f"obs in {mins}m")
    return (prio, Text(e.patient), Text(e.age), Text(e.area or ""), Text(e.complaint),
            waited, news, due)


COLUMNS = [Column("prio", "Priority"), Column("patient", "Patient"), Column("age", "Age"),
           Column("area", "Area"), Column("complaint", "Complaint"), Column("wait", "Waited"),
           Column("news2", "NEWS2"), Column("due", "Reassess")]
WIDEST = {"patient": 22, "complaint": 30}
NARROW_WIDEST = {"patient": 16, "age": 4}
MIN_COMPLAINT = 16  # below this a wide row gives way to the narrow one


def widths(entries: list[board.BoardEntry], available: int = 10_000) -> tuple[bool, list[int]]:
    """Whether to draw narrow, and the column widths, from the entries' plain strings (no cell
    is rendered to measure it) and the cells ``available``.

    Wide rows are used when they fit. Narrow rows drop the area (the board's filter and title
    show it), abbreviate, use one space between columns and give the complaint what is left.
    """
    def widest(values: Any) -> int:
        return max((len(v) for v in values), default=0)

    found = {
        "prio": widest(_priority_label(e, False) for e in entries),
        "patient": widest(e.patient for e in entries), "age": widest(e.age for e in entries),
        "area": widest(e.area or "" for e in entries),
        "complaint": widest(e.complaint for e in entries),
        "wait": widest(f"⚠ {e.waited_min}/{e.target_min}m" for e in entries),
        "news2": 2, "due": len("obs DUE +999m") if entries else 0}
    i = [c.key for c in COLUMNS].index("complaint")

    def fit(sizes: list[int], gap: int, least: int) -> list[int]:
        """The complaint takes what the other shown columns leave (up to its widest)."""
        others = sum(w + gap for j, w in enumerate(sizes) if w and j != i)
        sizes[i] = max(least, min(found["complaint"], WIDEST["complaint"],
                                  available - 1 - others - gap))
        return sizes

    wide = fit([max(min(found[c.key], WIDEST.get(c.key, 99)), len(c.label))
                for c in COLUMNS], 2, MIN_COMPLAINT)
    if 1 + sum(wide) + 2 * len(wide) <= available:
        return False, wide
    found.update(prio=widest(_priority_label(e, True) for e in entries),
                 wait=found["wait"] - 1, due=len("DUE+999m") if entries else 0)
    narrow = fit([0 if c.key == "area" else
                  max(min(found[c.key], NARROW_WIDEST.get(c.key, 99)), len(c.label))
                  for c in COLUMNS], 1, len("Complaint"))
    return True, narrow


class BoardScreen(ShowsPatientData, Screen[None]):
    CSS_PATH = "board.tcss"
    BINDINGS = [Binding("escape", "back", "Back"), Binding("enter", "open", "Open"),
                Binding("n", "new", "New"), Binding("a", "area", "Area"),
                Binding("slash", "search", "Search"), Binding("r", "reload", "Refresh")]

    def __init__(self, session: Session, clock: Clock = system_clock) -> None:
        super().__init__()
        self.session = session
        self.clock = clock
        self.rows: list[dict[str, Any]] = []
        self.area: str | None = None
        self.search = ""
        self.entries: list[board.BoardEntry] = []
        self.shown_once = False

    quiet_workers = frozenset({"board"})  # reloads only read: the lock need not wait

    def fresh_copy(self) -> BoardScreen:
        fresh = BoardScreen(self.session, self.clock)
        fresh.area, fresh.search = self.area, self.search
        return fresh

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("Board", id="board-title")
        yield Input(placeholder="search name, NHS number, complaint — Enter keeps, Esc clears",
                    id="board-search", compact=True)
        table = RowTable(COLUMNS, id="board-table")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#board-search").display = False
        self.query_one("#board-table").focus()
        self.action_reload()
        self.set_interval(REFRESH_S, self.action_reload)

    def on_screen_resume(self) -> None:
        # Coming back to the board (not its first showing: on_mount has just loaded it, and a
        # second load and sort of 500 rows would land in the same frame).
        if self.is_mounted and self.shown_once:
            self.action_reload()

    @work(thread=True, exclusive=True, group="board")
    def action_reload(self) -> None:
        try:
            rows = board.load_rows(self.session, self.clock())
        except LifeboatError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.show, rows)
        # Then any undecided priority the engine would now raise (a second, rarer redraw).
        raised = board.with_engine_raises(rows, self.clock())
        if raised is not None:
            self.app.call_from_thread(self.show, raised)
        # And complaints the lexicon cannot read, by their nearest meaning, as the record's
        # triage tab shows them (the embedder loads once, here in the worker).
        from appliance.protocols.active_rules import active_ruleset
        from appliance.triage.nearest import shared_for

        meant = board.with_meaning_raises(raised or rows, self.clock(),
                                          shared_for(active_ruleset()))
        if meant is not None:
            self.app.call_from_thread(self.show, meant)

    def show(self, rows: list[dict[str, Any]] | None = None) -> None:
        """Re-sort and redraw (keeping the cursor on the same patient)."""
        if not self.is_attached:
            return  # taken down (locked, or left) while its reload ran
        if rows is not None:
            self.rows = rows
            self.shown_once = True
        now = self.clock()
        current = self.selected()
        self.entries = entries = board.build(self.rows, now, area=self.area, search=self.search)
        table = self.query_one("#board-table", RowTable)
        narrow, sizes = widths(entries, self.available_width())
        table.gap = 1 if narrow else 2
        # Cells are made only for the rows drawn: a clock tick must not rebuild every row.
        table.set_rows(len(entries), lambda i: cells(entries[i], now, narrow), sizes)
        ids = [e.encounter_id for e in entries]
        if current is not None and current in ids:
            table.move_cursor(row=ids.index(current))
        breaches = sum(e.breached for e in self.entries)
        due = sum(e.reassess_overdue for e in self.entries)
        title = Text(f"Board — {len(self.entries)} open", style="bold")
        title.append(f" · area: {self.area or 'all'}")
        if self.search:
            title.append(f" · search: {self.search}")
        if breaches:
            title.append(f"  ⚠ {breaches} past target ", style=BREACH)
        if due:
            title.append(f"  {due} obs due ", style=DUE)
        title.append("  * = not confirmed", style="dim")
        self.query_one("#board-title", Static).update(title)

    def available_width(self) -> int:
        """Cells a row may take: the table's width less its scrollbar."""
        table = self.query_one("#board-table", RowTable)
        return (table.size.width or self.app.size.width) - SCROLLBAR

    def on_resize(self) -> None:
        if self.shown_once:
            self.show()

    def row_ids(self) -> list[str]:
        """Encounter ids in the order the board shows them."""
        return [e.encounter_id for e in self.entries]

    def selected(self) -> str | None:
        table = self.query_one("#board-table", RowTable)
        if table.row_count == 0 or not self.entries:
            return None
        return self.entries[min(table.cursor_row, len(self.entries) - 1)].encounter_id

    def action_open(self) -> None:
        eid = self.selected()
        if eid is None:
            return
        from tui.screens.record_spare import open_record

        self.app.push_screen(open_record(self.app, self.session, self.clock, eid))

    @on(RowTable.RowSelected, "#board-table")
    def _row_chosen(self) -> None:
        self.action_open()

    def action_new(self) -> None:
        from tui.screens.record_spare import open_record

        self.app.push_screen(open_record(self.app, self.session, self.clock))

    def action_area(self) -> None:
        options: list[str | None] = [None, *board.areas(self.rows)]
        self.area = options[(options.index(self.area) + 1) % len(options)] \
            if self.area in options else None
        self.show()

    def action_search(self) -> None:
        box = self.query_one("#board-search", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#board-search")
    def _searching(self, event: Input.Changed) -> None:
        self.search = event.value
        self.show()

    @on(Input.Submitted, "#board-search")
    def _search_done(self) -> None:
        self.query_one("#board-table").focus()

    def action_back(self) -> None:
        box = self.query_one("#board-search", Input)
        if box.has_focus or self.search:
            box.value = ""
            box.display = False
            self.search = ""
            self.show()
            self.query_one("#board-table").focus()
            return
        self.app.pop_screen()
