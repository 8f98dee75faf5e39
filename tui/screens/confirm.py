"""A yes/no question (y/n keys), and leaving a screen that asks first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 60; height: auto; border: heavy $warning; padding: 1 2;
                               background: $surface; }
    """
    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question)
            yield Static("[b]y[/b] yes   [b]n[/b] no")
        yield Footer()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def leave(screen: Screen[object], unsaved: bool, question: str) -> None:
    """Close ``screen``; when something is not saved yet, only once the user says yes."""
    if not unsaved:
        screen.app.pop_screen()
        return

    def answer(yes: bool | None) -> None:
        if yes:
            screen.app.pop_screen()

    screen.app.push_screen(ConfirmScreen(question), answer)
