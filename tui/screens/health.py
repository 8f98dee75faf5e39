"""Device health: the same checks as `lifeboat doctor`, refreshed on demand."""

from __future__ import annotations

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from appliance.checks import Check
from tui import context
from tui.widgets.status_bar import StatusBar

MARKS = {"ok": "ok", "warn": "WARN", "fail": "FAIL"}


def make(app: App[object]) -> Screen[None]:
    return HealthScreen()


class HealthScreen(Screen[None]):
    CSS_PATH = "health.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("r", "refresh", "Refresh")]

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("Device health", classes="screen-title")
        table: DataTable[str] = DataTable(id="checks", cursor_type="row")
        table.add_columns("", "Check", "Detail", "What to do")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh()

    @work(thread=True, exclusive=True)
    def action_refresh(self) -> None:
        from appliance import doctor

        checks = doctor.run(context.device(self.app).layout)
        self.app.call_from_thread(self._show, checks)

    def _show(self, checks: list[Check]) -> None:
        table = self.query_one("#checks", DataTable)
        table.clear()
        for c in checks:
            table.add_row(MARKS[c.status], c.name, c.detail,
                          c.hint if c.status != "ok" else "")
        table.focus()
