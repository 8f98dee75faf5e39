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
from textual.widgets import DataTable, Footer, Input, Static

from appliance.errors import LifeboatError
from appliance.records import board
from appliance.records.clock import Clock, system_clock
from appliance.session import Session
from tui.theme import PRIORITY_STYLES
from tui.widgets.status_bar import StatusBar

REFRESH_S = 30.0
BREACH = "bold white on #C00000"
DUE = "bold black on #FFA500"


def make(app: App[object]) -> Screen[None]:
    return BoardScreen(app.session, getattr(app, "clock", system_clock))  # type: ignore[attr-defined]


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
        self._shown: list[tuple[Text, ...]] = []

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("Board", id="board-title")
        yield Input(placeholder="search name, NHS number, complaint — Enter keeps, Esc clears",
                    id="board-search", compact=True)
        table: DataTable[Text] = DataTable(id="board-table", cursor_type="row",
                                           zebra_stripes=True)
        table.add_column("Priority", key="prio")
        table.add_column("Patient", key="patient")
        table.add_column("Age", key="age")
        table.add_column("Area", key="area")
        table.add_column("Complaint", key="complaint")
        table.add_column("Waited", key="wait")
        table.add_column("NEWS2", key="news2")
        table.add_column("Reassess", key="due")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#board-search").display = False
        self.query_one("#board-table").focus()
        self.action_reload()
        self.set_interval(REFRESH_S, self.action_reload)

    def on_screen_resume(self) -> None:
        if self.is_mounted:
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
        now = self.clock()
        current = self.selected()
        self.entries = board.build(self.rows, now, area=self.area, search=self.search)
        self._fill([cells(e, now) for e in self.entries])
        ids = [e.encounter_id for e in self.entries]
        if current is not None and current in ids:
            self.query_one("#board-table", DataTable).move_cursor(row=ids.index(current))
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

    def _fill(self, new: list[tuple[Text, ...]]) -> None:
        """Show ``new`` by changing only the cells that differ.

        Rows are slots (row i shows entry i), so a re-sort or a clock tick updates cells in
        place: DataTable re-measures every cell of every added row (most of a 500-row redraw),
        while ``update_cell`` without a width update costs almost nothing.
        """
        table = self.query_one("#board-table", DataTable)
        columns = table.ordered_columns
        old, shown = self._shown, len(self._shown)
        for i in range(shown - 1, len(new) - 1, -1):
            table.remove_row(f"slot{i}")
        for i in range(shown, len(new)):
            table.add_row(*new[i], key=f"slot{i}")
        for i in range(min(shown, len(new))):
            if new[i] == old[i]:
                continue
            for column, before, after in zip(columns, old[i], new[i], strict=True):
                if before != after:
                    table.update_cell(f"slot{i}", column.key, after,
                                      update_width=after.cell_len > column.content_width)
        self._shown = new

    def row_ids(self) -> list[str]:
        """Encounter ids in the order the board shows them."""
        return [e.encounter_id for e in self.entries]

    def selected(self) -> str | None:
        table = self.query_one("#board-table", DataTable)
        if table.row_count == 0 or not self.entries:
            return None
        return self.entries[min(table.cursor_row, len(self.entries) - 1)].encounter_id

    def action_open(self) -> None:
        eid = self.selected()
        if eid is None:
            return
        from tui.screens.encounter import EncounterScreen

        self.app.push_screen(EncounterScreen(self.session, eid, self.clock))

    @on(DataTable.RowSelected, "#board-table")
    def _row_chosen(self) -> None:
        self.action_open()

    def action_new(self) -> None:
        from tui.screens.encounter import EncounterScreen

        self.app.push_screen(EncounterScreen(self.session, clock=self.clock))

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
