"""One form row: a label, the field, and its own error message right beside it.

Also what keeps fast typing in order across fields (see ``ORDERED_FOCUS_BINDINGS``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, Static


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


# Why keys can land in the wrong field: Textual routes each key to the widget focused *when
# the app dequeues it*, into that widget's own message queue, while a non-priority binding (Tab,
# a pick that moves on, Enter that saves and refocuses) only acts once the key has bubbled back
# up through those queues. A burst of keys is routed before the focus move happens, so "24 Tab
# 93" typed quickly all lands in the first field. Priority bindings run as the key is
# dequeued, before the next key is routed, so focus moves in the order the keys were typed.
ORDERED_FOCUS_BINDINGS = [
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
]


def after_queued_keys(widgets: Sequence[Widget], callback: Callable[[dict[str, str]], None]
                      ) -> None:
    """Call ``callback`` with each Input's value once the keys already queued for it are applied.

    A priority binding (Enter to save) runs before keys typed just ahead of it reach their
    fields; ``call_later`` joins the back of each field's queue, behind those keys and ahead of
    any typed later, and reads the value there. ``callback`` gets {input id: value}.
    """
    inputs = [w for w in widgets if isinstance(w, Input)]
    values: dict[str, str] = {}
    if not inputs:
        callback(values)
        return

    def take(box: Input) -> None:
        values[str(box.id)] = box.value
        if len(values) == len(inputs):
            callback(values)

    for box in inputs:
        box.call_later(take, box)
