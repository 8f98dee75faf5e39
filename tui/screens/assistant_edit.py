"""Edit an assistant answer before accepting it (Ctrl+S saves, Esc cancels)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea


class EditAnswerScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    EditAnswerScreen { align: center middle; }
    EditAnswerScreen > Vertical { width: 90%; height: 80%; border: heavy $primary;
                                  background: $surface; }
    EditAnswerScreen TextArea { height: 1fr; }
    """
    BINDINGS = [Binding("ctrl+s", "save", "Save as edited"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Edit the answer; it is recorded as edited by you.")
            yield TextArea(self.text, id="edit-answer", soft_wrap=True)
        yield Footer()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
