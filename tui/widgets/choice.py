"""A one-key picker: common entries are picked, not typed (ACVPU, air/oxygen, sex, area…).

The rule, the same on every pick list (tui/README.md, "Record screens"):
- a choice's key picks it and moves to the next field, so a choice costs one key press;
- a Tab typed straight after a pick is absorbed: the pick has already moved on, and the habit
  "pick, Tab" must not skip the next field (``KeyGate.picked``);
- Enter keeps the choice shown and moves on; with nothing picked it says which keys pick;
- Backspace clears; ← → step through the choices. A key that picks nothing says which do.
The value is ``None`` until something is picked: nothing is assumed on the user's behalf.

Every key is a priority binding of the focused Choice, so a pick (and the move to the next field)
happens as the key is dequeued, before the keys typed after it are routed; handled in ``on_key``
instead, "a 120" typed quickly would send "120" here (see ``field_row.ORDERED_FOCUS_BINDINGS``).
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.keys import _character_to_key
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

NBSP = "\u00a0"  # keeps a key and its label on one line when the choices wrap


class Choice(Widget, can_focus=True):
    """Pick one of a few options by its key."""

    DEFAULT_CSS = """
    Choice { height: auto; width: 1fr; padding: 0 1; background: $boost; }
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

        ``compact`` shows the labels only (for narrow fields such as ACVPU). Choices wrap onto
        more lines rather than being cut off when the field is narrow.
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
        self._bindings.bind("enter", "keep", show=False, priority=True)

    @property
    def label(self) -> str:
        return next((lab for _, v, lab in self.options if v == self.value), "")

    def keys_help(self) -> str:
        """'a air · o O2': which key picks what."""
        return " · ".join(f"{key} {label}" for key, _, label in self.options)

    def render(self) -> Text:
        parts = []
        for key, value, label in self.options:
            style = "bold reverse" if value == self.value else ""
            if self.compact:
                parts.append(Text(label, style=style or "dim"))
                continue
            part = Text(key, style=f"bold underline {style}".strip())
            part.append(f"{NBSP}{label}".replace(" ", NBSP), style=style)
            parts.append(part)
        return Text(" " if self.compact else "  ").join(parts)

    def watch_value(self, value: str | None) -> None:
        self.post_message(self.Changed(self, value))

    def action_pick(self, value: str | None) -> None:
        """Select ``value`` (None clears) and, after a pick, move to the next field."""
        self.value = value
        gate = getattr(self.app, "key_gate", None)
        if value is not None and self.advance and self._move_on() and gate is not None:
            gate.picked()

    def action_keep(self) -> None:
        """Enter: keep the choice shown and move on; with none, say which keys pick."""
        if self.value is None:
            self.app.notify(f"Nothing picked: {self.keys_help()} (Tab leaves it blank).",
                            severity="warning", timeout=4)
            return
        self._move_on()

    def _move_on(self) -> bool:
        if self.screen.focused is not self:
            return False
        self.screen.focus_next()
        return True

    def action_step(self, step: int) -> None:
        """Cycle through the options with the arrow keys."""
        values = [v for _, v, _ in self.options]
        if values:
            i = values.index(self.value) if self.value in values else -1
            self.value = values[(i + step) % len(values)]

    def on_key(self, event: events.Key) -> None:
        # A printable key that picks nothing: say so, rather than drop it silently.
        if event.is_printable and event.character not in (" ", None):
            event.stop()
            self.app.notify(f"'{event.character}' picks nothing here: {self.keys_help()}.",
                            severity="warning", timeout=4)
