"""One form row: a label, the field, and its own error message right beside it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label, Static


class FieldRow(Horizontal):
    """Label + control + inline error; ``set_error`` shows a plain message at the field."""

    DEFAULT_CSS = """
    FieldRow { height: auto; }
    FieldRow > Label { width: 16; padding: 0 1 0 0; color: $text-muted; }
    FieldRow > Input { width: 1fr; max-width: 40; }
    FieldRow > Choice { width: 1fr; }
    FieldRow > .field-error { width: 1fr; color: $error; padding: 0 0 0 1; }
    FieldRow.-invalid > Label { color: $error; text-style: bold; }
    """

    def __init__(self, label: str, control: Widget, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.label = label
        self.control = control

    def compose(self) -> ComposeResult:
        yield Label(self.label)
        yield self.control
        yield Static("", classes="field-error")

    def set_error(self, message: str | None) -> None:
        """Show ``message`` beside the field (or clear it with None)."""
        self.query_one(".field-error", Static).update(message or "")
        self.set_class(bool(message), "-invalid")
