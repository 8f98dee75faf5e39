"""Device health: the same checks as `lifeboat doctor`, refreshed on demand.

Each check is one wrapped row (mark, name, detail, what to do) in a table drawn to the screen's
width, so the advice is never cut off at 80 columns and the first showing is already laid out.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from appliance.checks import Check
from tui import context
from tui.widgets.status_bar import StatusBar

MARKS = {"ok": ("ok", "#00E676"), "warn": ("WARN", "bold black on #FFA500"),
         "fail": ("FAIL", "bold white on #C00000")}


def make(app: App[object]) -> Screen[None]:
    return HealthScreen()


def checks_table(checks: list[Any]) -> Table:
    """The checks, problems first, each with what to do."""
    table = Table(expand=True, show_edge=False, pad_edge=False, box=None, show_lines=False,
                  header_style="bold")
    table.add_column("", width=4, no_wrap=True)
    table.add_column("Check", ratio=2)
    table.add_column("Detail", ratio=4)
    table.add_column("What to do", ratio=4)
    order = {"fail": 0, "warn": 1, "ok": 2}
    for c in sorted(checks, key=lambda c: order.get(c.status, 3)):
        mark, style = MARKS[c.status]
        table.add_row(Text(mark, style=style), c.name, c.detail,
                      Text(c.hint if c.status != "ok" else "", style="bold"))
    return table


class HealthScreen(Screen[None]):
    CSS_PATH = "health.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("r", "refresh", "Refresh")]

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("Device health", classes="screen-title")
        with VerticalScroll(id="checks-box"):
            yield Static("Checking…", id="checks")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#checks-box").focus()
        self.action_refresh()

    @work(thread=True, exclusive=True)
    def action_refresh(self) -> None:
        from sync.doctor import run_all

        checks = run_all(context.device(self.app).layout)
        self.app.call_from_thread(self._show, checks)

    def _show(self, checks: list[Check]) -> None:
        problems = sum(c.status != "ok" for c in checks)
        title = "Device health — " + (f"{problems} to act on" if problems else "ready")
        self.query_one(".screen-title", Static).update(title)
        self.query_one("#checks", Static).update(checks_table(checks))
