"""Override the engine's priority: pick a priority (one key), optionally a disposition, a reason."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from tui.widgets.choice import Choice
from tui.widgets.field_row import FieldRow

PRIORITY_OPTIONS = [("1", "1", "Immediate"), ("2", "2", "Very urgent"), ("3", "3", "Urgent"),
                    ("4", "4", "Standard"), ("5", "5", "Non-urgent")]
DISPOSITION_OPTIONS = [("e", "emergency", "emergency"), ("u", "urgent", "urgent"),
                       ("r", "routine", "routine"), ("s", "self-care", "self-care")]


@dataclass(frozen=True)
class OverrideDecision:
    priority: int
    disposition: str | None
    reason: str


class OverrideScreen(ModalScreen[OverrideDecision | None]):
    """Returns the clinician's decision, or None when cancelled."""

    DEFAULT_CSS = """
    OverrideScreen { align: center middle; }
    OverrideScreen > Vertical { width: 76; height: auto; border: heavy $warning;
                                padding: 0 1; background: $surface; }
    #override-error { color: $error; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, engine_level: int) -> None:
        super().__init__()
        self.engine_level = engine_level

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Override the engine's priority {self.engine_level}. "
                         "Your reason is recorded with your name.")
            yield FieldRow("Priority", Choice(PRIORITY_OPTIONS, id="priority"))
            yield FieldRow("Disposition", Choice(DISPOSITION_OPTIONS, id="disposition"))
            yield FieldRow("Reason", Input(placeholder="why, in a few words", id="reason",
                                           compact=True))
            yield Static("", id="override-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#priority").focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#reason")
    def _save(self) -> None:
        level = self.query_one("#priority", Choice).value
        reason = self.query_one("#reason", Input).value.strip()
        error = self.query_one("#override-error", Static)
        if level is None:
            error.update("Pick a priority (1–5).")
            self.query_one("#priority").focus()
            return
        if int(level) == self.engine_level and not self.query_one("#disposition", Choice).value:
            error.update("That is the engine's priority: confirm it instead (Ctrl+Y).")
            return
        if not reason:
            error.update("Say why you are overriding: it is recorded.")
            return
        self.dismiss(OverrideDecision(int(level), self.query_one("#disposition", Choice).value,
                                      reason))
