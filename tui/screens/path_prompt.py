"""Ask for a file or folder path: Enter accepts, Escape cancels. A path the check refuses (the
device's own files, a stick that is not plugged in) is refused here, in the prompt, with the
reason; the prompt stays open for another try."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from appliance.errors import LifeboatError


class PathPrompt(ModalScreen[str | None]):
    """Dismissed with the accepted path (as typed), or None."""

    DEFAULT_CSS = """
    PathPrompt { align: center middle; }
    PathPrompt > Vertical { width: 76; max-width: 100%; height: auto; border: heavy $primary;
                            background: $surface; padding: 0 1; }
    #path-error { color: $error; text-style: bold; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, default: str,
                 check: Callable[[Path], object] | None = None) -> None:
        super().__init__()
        self.question, self.default, self.check = question, default, check

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question)
            yield Input(self.default, id="path")
            yield Static("", id="path-error")

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text and self.check is not None:
            try:
                self.check(Path(text).expanduser())
            except LifeboatError as exc:
                self.query_one("#path-error", Static).update(
                    exc.message + (f"  {exc.hint}" if exc.hint else ""))
                return
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
