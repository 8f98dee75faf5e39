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
from tui.theme import PRIORITY_STYLES
from tui.widgets.row_table import Column, RowTable
from tui.widgets.status_bar import StatusBar

REFRESH_S = 30.0
BREACH = "bold white on #C00000"
DUE = "bold black on #FFA500"


def make(app: App[object]) -> Screen[None]:
    return BoardScreen(context.session(app), context.clock(app))


def cells(e: board.BoardEntry, now: Any) -> tuple[Text, ...]:
    """The row for one entry: priority, patient, age, area, complaint, wait, NEWS2, reassess."""
    style = PRIORITY_STYLES.get(e.priority or 0, "reverse")
    prio = Text(f" {e.priority or '?'} {e.priority_name}{'' if e.confirmed else '*'} ",
                style=style)
    waited = Text(f"{e.waited_min}/{e.target_min}m")
    if e.breached:
        waited = Text(f"⚠ {e.waited_min}/{e.target_min}m", style=BREACH)
    news = Text("—" if e.news2 is None else str(e.news2))
    if e.reassess_due_at is None:
        due = Text("")
    elif e.reassess_overdue:
        late = int((now - e.reassess_due_at).total_seconds() // 60)
        due = Text("obs now" if e.news2 is None else f"obs DUE +{late}m", style=DUE)
    else:
        mins = int((e.reassess_due_at - now).total_seconds() // 60)
        due = Text(f"obs in {mins}m")
    return (prio, Text(e.patient), Text(e.age), Text(e.area or ""), Text(e.complaint),
            waited, news, due)


COLUMNS = [Column("prio", "Priority"), Column("patient", "Patient"), Column("age", "Age"),
           Column("area", "Area"), Column("complaint", "Complaint"), Column("wait", "Waited"),
           Column("news2", "NEWS2"), Column("due", "Reassess")]
WIDEST = {"patient": 24, "complaint": 30}


def widths(entries: list[board.BoardEntry]) -> list[int]:
    """Column widths from the entries' plain strings (no cell is rendered to measure it)."""
    def widest(values: Any) -> int:
        return max((len(v) for v in values), default=0)

    found = {
        "prio": widest(f" {e.priority or '?'} {e.priority_name}* " for e in entries),
        "patient": widest(e.patient for e in entries), "age": widest(e.age for e in entries),
        "area": widest(e.area or "" for e in entries),
        "complaint": widest(e.complaint for e in entries),
        "wait": widest(f"⚠ {e.waited_min}/{e.target_min}m" for e in entries),
        "news2": 2, "due": len("obs DUE +999m") if entries else 0}
    return [min(found[c.key], WIDEST.get(c.key, 99)) for c in COLUMNS]


class BoardScreen(Screen[None]):
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
            rows = board.load_rows(self.session)
        except LifeboatError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.show, rows)

    def show(self, rows: list[dict[str, Any]] | None = None) -> None:
        """Re-sort and redraw (keeping the cursor on the same patient)."""
        if rows is not None:
            self.rows = rows
            self.shown_once = True
        now = self.clock()
        current = self.selected()
        self.entries = entries = board.build(self.rows, now, area=self.area, search=self.search)
        table = self.query_one("#board-table", RowTable)
        # Cells are made only for the rows drawn (a clock tick no longer rebuilds 500 rows).
        table.set_rows(len(entries), lambda i: cells(entries[i], now), widths(entries))
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
        title.append("  (* = not confirmed)", style="dim")
        self.query_one("#board-title", Static).update(title)

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
        from tui.record_spare import open_record

        self.app.push_screen(open_record(self.app, self.session, self.clock, eid))

    @on(RowTable.RowSelected, "#board-table")
    def _row_chosen(self) -> None:
        self.action_open()

    def action_new(self) -> None:
        from tui.record_spare import open_record

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
