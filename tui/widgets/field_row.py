"""One form row: a label, the field, and its own error message right beside it.

Also what keeps fast typing in order across fields (see ``ORDERED_FOCUS_BINDINGS``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from textual import events
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from tui.widgets.choice import Choice


class FieldRow(Horizontal):
    """Label + control + inline error; ``set_error`` shows a plain message at the field."""

    DEFAULT_CSS = """
    FieldRow { height: auto; }
    FieldRow > Label { width: 16; padding: 0 1 0 0; color: $text-muted; }
    FieldRow > Input { width: 1fr; max-width: 40; }
    FieldRow > Choice { width: 1fr; }
    FieldRow > .field-error { width: auto; max-width: 60%; color: $error; padding: 0 0 0 1; }
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
#
# Three more ways a burst differed from slow typing, each closed below:
# - An Input's own editing keys (Backspace, Delete, arrows, Home/End, → to accept a suggestion)
#   are non-priority bindings too, looked up on whatever has focus when the key has bubbled
#   back: after the letters typed behind it ("Smiht ⌫⌫ th" gave "Smit") or in the next field
#   (⌫ Tab: the Backspace hit the next field). ``ORDERED_FIELD_BINDINGS`` queue them to the
#   Input that had focus, behind its letters.
# - What Enter saves is read behind the keys queued before it (``after_queued_keys``), but the
#   keys typed after it were routed meanwhile: a refused save moved focus to the bad field after
#   they had gone elsewhere. ``KeyGate`` holds later keys until the save has decided.
# - A suggestion (→) comes from a worker, after the keys already queued: → typed in the same
#   burst found none. The queued → asks the suggester itself.
ORDERED_FOCUS_BINDINGS = [
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
]

# Every key an Input binds for itself, as a priority binding of the screen that runs
# ``action_field_key`` (see ``queue_field_key``).
_FIELD_KEYS = dict.fromkeys(key.strip() for b in Input.BINDINGS if isinstance(b, Binding)
                            for key in b.key.split(","))
ORDERED_FIELD_BINDINGS = [Binding(key, f"field_key({key!r})", show=False, priority=True)
                          for key in _FIELD_KEYS]

HOLD_LIMIT_S = 1.0  # longest keys wait behind a save; ms in practice, a guard against a hang


def queue_field_key(focused: Widget | None, key: str) -> None:
    """Queue ``key``'s own binding to the focused Input, behind the keys typed before it.

    Raises SkipAction when the focused widget is not an Input or does not bind ``key``, so the
    key goes on its usual way (a Choice's pick, a table's cursor).
    """
    if not isinstance(focused, Input):
        raise SkipAction
    actions = [b.action for b in focused._bindings.key_to_bindings.get(key, ())
               if not b.priority]
    if not actions:
        raise SkipAction
    focused.call_later(_field_action, focused, actions[0])


async def _field_action(box: Input, action: str) -> None:
    if action == "cursor_right" and box.suggester is not None and box.value \
            and box.cursor_at_end and box.selection.is_empty:
        # What the field showed as a suggestion when → was typed (its worker may not be done).
        seen = box.value if box.suggester.case_sensitive else box.value.casefold()
        suggestion = await box.suggester.get_suggestion(seen)
        if suggestion and len(suggestion) > len(box.value):
            box.value = suggestion
            box.cursor_position = len(suggestion)
            return
    await box.run_action(action)


class KeysReleased(Message):
    """The app may route the keys it held (see ``KeyGate``)."""


class KeyGate:
    """Holds the keys typed while the form is read, then lets them through in typing order.

    Mouse presses wait with them: a click moves focus, and would otherwise move it before the
    keys typed ahead of it reached their field.

    Slow typing: Enter saves, a refused field takes focus, then the next key arrives. In a
    burst the next keys are already waiting; the app keeps them here (``held``) until every
    ``hold`` is released, then routes them as if they had just been typed.
    """

    def __init__(self, app: App[object]) -> None:
        self.app = app
        self.held: deque[events.InputEvent] = deque()
        self.holds = 0
        self.keys_routed = 0  # keys the app has routed, in typing order
        self._pick_key: int | None = None  # the number of the key that picked and moved on

    def routing(self, event: events.Event) -> None:
        """Count ``event`` if it is a key the app is about to route (held keys when let go)."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.keys_routed += 1
        elif isinstance(event, events.MouseDown):
            self._pick_key = None  # a click moved focus: the next Tab is a Tab again

    def picked(self) -> None:
        """A one-key pick moved focus on as its key was routed (see ``Choice``)."""
        self._pick_key = self.keys_routed

    def absorbs_tab(self) -> bool:
        """True when the Tab being routed comes straight after a pick that moved on.

        People type "a Tab 120" from habit: the pick has already moved to the next field, so
        that Tab is absorbed rather than skipping a field. Counted in routing order, so it
        holds for a burst as for slow typing; any other key in between ends it.
        """
        absorbed = self._pick_key is not None and self._pick_key == self.keys_routed - 1
        self._pick_key = None
        return absorbed

    def holding(self) -> bool:
        """True while a key arriving now must wait behind the ones held."""
        return bool(self.holds or self.held)

    def hold(self, limit_s: float = HOLD_LIMIT_S) -> Callable[[], None]:
        """Hold keys from now on; call the returned function (once or more) to release.

        ``limit_s`` lets them go anyway, a guard against a hold never released."""
        self.holds += 1
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            timer.stop()
            self.holds -= 1
            if not self.holds:
                self.app.post_message(KeysReleased())

        timer = self.app.set_timer(limit_s, release)
        return release

    def discard(self, leading: Callable[[events.InputEvent], bool] | None = None) -> int:
        """Drop the held events (only the run of ``leading`` ones at the front, when given);
        returns how many keys were dropped, for the message that says so."""
        dropped = 0
        while self.held and (leading is None or leading(self.held[0])):
            dropped += isinstance(self.held.popleft(), events.Key)
        return dropped

    def next_key(self) -> events.InputEvent | None:
        """The next held key or click to route, or None while still held (or none left)."""
        return self.held.popleft() if self.held and not self.holds else None


def hold_keys(widget: Widget, limit_s: float = HOLD_LIMIT_S) -> Callable[[], None]:
    """Hold the app's keys (when the app has a ``key_gate``; a no-op otherwise)."""
    gate = getattr(widget.app, "key_gate", None)
    return gate.hold(limit_s) if isinstance(gate, KeyGate) else (lambda: None)


def after_queued_keys(widgets: Sequence[Widget], callback: Callable[[dict[str, Any]], object]
                      ) -> None:
    """Call ``callback`` with the fields' values once the keys already queued for them apply.

    A priority binding (Enter to save) runs before keys typed just ahead of it reach their
    fields; ``call_later`` joins the back of each field's queue, behind those keys, and reads
    the value there. Keys typed after it wait in the app's ``KeyGate`` until ``callback`` has
    run, so what it does (save, refuse and focus a field) comes before them, as with slow
    typing. ``callback`` gets {id: value} for each Input, and for each Choice its pick now
    (a pick applies as its key is dequeued).
    """
    inputs = [w for w in widgets if isinstance(w, Input)]
    values: dict[str, Any] = {str(w.id): w.value for w in widgets if isinstance(w, Choice)}
    wanted = len(values) + len(inputs)
    release = hold_keys(widgets[0]) if inputs else (lambda: None)

    def done() -> None:
        try:
            callback(values)
        finally:
            release()

    if not inputs:
        done()
        return

    def take(box: Input) -> None:
        values[str(box.id)] = box.value
        if len(values) == wanted:
            done()

    for box in inputs:
        box.call_later(take, box)
