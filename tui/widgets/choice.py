"""A one-key picker: common entries are picked, not typed (ACVPU, air/oxygen, sex, area…).

Each option has a hotkey; pressing it selects the option and moves to the next field, so a
choice costs one key press. Backspace clears. The value is ``None`` until something is picked:
nothing is assumed on the user's behalf.

Every key is a priority binding of the focused Choice, so a pick (and the move to the next field)
happens as the key is dequeued, before the keys typed after it are routed; handled in ``on_key``
instead, "a 120" typed quickly would send "120" here (see ``field_row.ORDERED_FOCUS_BINDINGS``).
"""

from __future__ import annotations

from rich.text import Text
from textual.keys import _character_to_key
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class Choice(Widget, can_focus=True):
    """Pick one of a few options by its key."""

    DEFAULT_CSS = """
    Choice { height: 1; width: 1fr; padding: 0 1; background: $boost; }
    Choice:focus { background: $primary 25%; }
    """

    value: reactive[str | None] = reactive(None)

    class Changed(Message):
        def __init__(self, choice: Choice, value: str | None) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(self, options: list[tuple[str, str, str]], *, value: str | None = None,
                 advance: bool = True, compact: bool = False,
                 id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        """``options`` are (hotkey, value, label); ``advance`` moves focus on after a pick.

        ``compact`` shows the labels only (for narrow fields such as ACVPU).
        """
        super().__init__(id=id, classes=classes)
        self.options = options
        self.advance = advance
        self.compact = compact
        self.set_reactive(Choice.value, value)
        for hot, option, _ in options:
            for char in {hot.lower(), hot.upper()}:
                key = char if char.isalnum() else _character_to_key(char)
                self._bindings.bind(key, f"pick({option!r})", show=False, priority=True)
        self._bindings.bind("backspace,delete", "pick(None)", show=False, priority=True)
        self._bindings.bind("right", "step(1)", show=False, priority=True)
        self._bindings.bind("left", "step(-1)", show=False, priority=True)

    @property
    def label(self) -> str:
        return next((lab for _, v, lab in self.options if v == self.value), "")

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, value, label in self.options:
            style = "bold reverse" if value == self.value else ""
            if self.compact:
                text.append(label, style=style or "dim").append(" ")
                continue
            text.append(f"{key}", style=f"bold underline {style}".strip())
            text.append(f" {label}", style=style).append("  ")
        return text

    def watch_value(self, value: str | None) -> None:
        self.post_message(self.Changed(self, value))

    def action_pick(self, value: str | None) -> None:
        """Select ``value`` (None clears) and, after a pick, move to the next field."""
        self.value = value
        if value is not None and self.advance:
            self.screen.focus_next()

    def action_step(self, step: int) -> None:
        """Cycle through the options with the arrow keys."""
        values = [v for _, v, _ in self.options]
        if values:
            i = values.index(self.value) if self.value in values else -1
            self.value = values[(i + step) % len(values)]
