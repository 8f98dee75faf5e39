"""Verify the audit log's hash chain and show the result plainly."""

from __future__ import annotations

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from appliance.store.audit import VerifyResult
from tui import context
from tui.widgets.status_bar import StatusBar


def make(app: App[object]) -> Screen[None]:
    return AuditScreen()


class AuditScreen(Screen[None]):
    DEFAULT_CSS = """
    #audit-result { padding: 1 2; }
    #audit-result.bad { color: $error; text-style: bold; }
    #audit-result.good { color: $success; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("r", "verify", "Verify again")]

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("Checking the audit log…", id="audit-result")
        yield Footer()

    def on_mount(self) -> None:
        self.action_verify()

    @work(thread=True, exclusive=True)
    def action_verify(self) -> None:
        result = context.session(self.app).verify_audit()
        self.app.call_from_thread(self._show, result)

    def _show(self, result: VerifyResult) -> None:
        box = self.query_one("#audit-result", Static)
        if result.ok:
            box.update(f"Audit log intact: {result.entries} entries verified.\n"
                       f"Chain head {result.head[:32]}…")
        else:
            box.update(f"AUDIT LOG TAMPERED: {result.problem}.\n"
                       "Stop using this device for patient data and call IT.")
        box.set_class(not result.ok, "bad")
        box.set_class(bool(result.ok), "good")
