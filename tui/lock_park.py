"""What happens to the screens behind the lock: every screen that shows patient data is taken
off the screen stack (unmounted, with every widget that held the record) while the device is
locked, with everything stacked above it, and built again, with what had been typed put back,
once the same user unlocks.

A screen that shows patient data says so by deriving from :class:`ShowsPatientData` and builds
its own fresh copy. Going down from the top to the lowest such screen, each screen is:

- **parked** when it offers a fresh copy: the copy (not mounted) and the values typed into its
  fields are kept, in memory only, as the widgets themselves kept them; a dialog's answer goes
  to the rebuilt screen under it (its callback is a method of that screen);
- **dropped** when it is a dialog that cannot be rebuilt (a yes/no question, a path prompt) or
  a screen with no patient data of its own (a protocol page): it is asked or opened again;
- **left mounted**, with everything under it, when it has a save or search still running
  (its result needs the screen): the opaque curtain keeps it from being drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, RadioButton, Select, Switch, TextArea

_VALUE_WIDGETS = (Input, TextArea, Select, Checkbox, Switch, RadioButton)


class ShowsPatientData:
    """Mixin for a screen that shows patient data: the lock takes it (and what is above it)
    off the stack. ``fresh_copy`` builds a new, unmounted screen showing the same; state that
    lives outside its fields (an unsigned handover, a triage flow) is handed to the copy."""

    quiet_workers: frozenset[str] = frozenset()
    """Worker groups that only read (a board's reload): they do not keep the screen up, and
    the screen drops their results once it is down."""

    def fresh_copy(self) -> Screen[Any] | None:
        raise NotImplementedError

    def restored(self) -> None:
        """Called once the copy is mounted and its fields refilled (e.g. to search again)."""


@dataclass
class Parked:
    """A screen taken down for the lock: its fresh copy (not yet mounted), typed values, and
    for a dialog, which screen under it its answer goes to and how."""

    screen: Screen[Any]
    values: dict[str, Any] = field(default_factory=dict)
    focused: str | None = None
    old: Screen[Any] | None = None
    answer_to: Screen[Any] | None = None
    answer: Any = None  # (method name, args, keywords) on ``answer_to``

    def put_back(self) -> None:
        """Refill the rebuilt screen's fields with what had been typed."""
        for widget in self.screen.query("*"):
            key = _key(widget, self.screen)
            if key in self.values and isinstance(widget, _VALUE_WIDGETS) \
                    and _value(widget) != self.values[key]:
                _set_value(widget, self.values[key])
            if key == self.focused and widget.focusable:
                _focus_to_carry_on(self.screen, widget)
        if isinstance(self.screen, ShowsPatientData):
            self.screen.restored()


def park(app: App[Any], keep: int) -> list[Parked]:
    """Take down, from the top, every screen above the lowest one (above the first ``keep``)
    that shows patient data; returns what was parked, bottom first. Stops at a screen that is
    busy (it and those under it stay)."""
    stack = app.screen_stack
    shows = [i for i, s in enumerate(stack) if i >= keep and isinstance(s, ShowsPatientData)]
    if not shows:
        return []
    parked: list[Parked] = []
    while len(app.screen_stack) > shows[0]:
        screen = app.screen_stack[-1]
        if _busy(app, screen):
            break
        item = _park_one(screen, app.screen_stack[-2])
        if item is None and isinstance(screen, ShowsPatientData) \
                and not isinstance(screen, ModalScreen):
            break  # a record screen that cannot be rebuilt is not thrown away
        if item is not None:
            parked.append(item)
        app.pop_screen()
    parked.reverse()
    return parked


async def restore(app: App[Any], parked: list[Parked]) -> None:
    """Push the rebuilt screens back, bottom first, and refill what had been typed."""
    rebuilt: dict[int, Screen[Any]] = {}
    for item in parked:
        callback = None
        if item.answer is not None:
            target = rebuilt.get(id(item.answer_to), item.answer_to)
            if target is None or target is not app.screen:
                continue  # the screen its answer was for is not back: the dialog is not either
            name, args, keywords = item.answer
            callback = partial(getattr(target, name), *args, **keywords)
        await app.push_screen(item.screen, callback)
        if item.old is not None:
            rebuilt[id(item.old)] = item.screen
        item.put_back()


def _park_one(screen: Screen[Any], below: Screen[Any]) -> Parked | None:
    """The parked form of ``screen``, or None when it is dropped."""
    fresh = screen.fresh_copy() if isinstance(screen, ShowsPatientData) else None
    if fresh is None:
        return None
    answer = None
    callbacks = getattr(screen, "_result_callbacks", None) or []
    if callbacks:
        answer = _method_on(callbacks[-1].callback, below)
        if answer is None and callbacks[-1].callback is not None:
            return None  # its answer would go to a screen that is no more
    values = {_key(w, screen): _value(w) for w in screen.query("*")
              if isinstance(w, _VALUE_WIDGETS)}
    focused = _key(screen.focused, screen) if screen.focused is not None else None
    return Parked(fresh, values, focused, screen, below if answer else None, answer)


def _method_on(callback: Any, screen: Screen[Any]) -> tuple[str, tuple[Any, ...],
                                                            dict[str, Any]] | None:
    """``callback`` as (method name, args, keywords) when it is a method of ``screen`` (or a
    partial of one), so it can be called on that screen's fresh copy instead."""
    args: tuple[Any, ...] = ()
    keywords: dict[str, Any] = {}
    if isinstance(callback, partial):
        callback, args, keywords = callback.func, callback.args, callback.keywords
    if getattr(callback, "__self__", None) is screen:
        return callback.__name__, args, dict(keywords)
    return None


def busy_showing_patient_data(app: App[Any], keep: int) -> bool:
    """Whether a screen :func:`park` would take down has a save or search still running."""
    return any(isinstance(s, ShowsPatientData) and _busy(app, s)
               for s in app.screen_stack[keep:])


def _busy(app: App[Any], screen: Screen[Any]) -> bool:
    """A save or search of this screen still running or about to: its result needs the
    screen. A read the screen calls quiet (``ShowsPatientData.quiet_workers``) does not."""
    quiet = getattr(screen, "quiet_workers", frozenset())
    for worker in app.workers:
        node = worker.node
        if not worker.is_finished and worker.group not in quiet and isinstance(node, Widget) and (
                node is screen or screen in node.ancestors_with_self):
            return True
    return False


def _key(widget: Widget, screen: Screen[Any]) -> str:
    """Where ``widget`` sits: ids up to the screen, or type and position where there is none
    (a rebuilt screen composes the same tree, so the same key finds the same field)."""
    parts = []
    node: Any = widget
    while node is not None and node is not screen:
        parent = node.parent
        if node.id:
            parts.append(f"#{node.id}")
        else:
            siblings = [c for c in getattr(parent, "children", ()) if type(c) is type(node)]
            place = siblings.index(node) if node in siblings else 0
            parts.append(f"{type(node).__name__}[{place}]")
        node = parent
    return "/".join(reversed(parts))


def _focus_to_carry_on(screen: Screen[Any], widget: Widget) -> None:
    """Focus ``widget`` so typing carries on after what is in it (a field that selects all
    on focus would have the next key replace what was put back)."""
    if isinstance(widget, Input) and widget.select_on_focus:
        widget.select_on_focus = False
        screen.set_focus(widget)
        widget.call_later(setattr, widget, "select_on_focus", True)  # after its Focus event
        return
    screen.set_focus(widget)


def _value(widget: Widget) -> Any:
    if isinstance(widget, TextArea):
        return widget.text
    return getattr(widget, "value", None)


def _set_value(widget: Widget, value: Any) -> None:
    if isinstance(widget, TextArea):
        widget.load_text(value)
    else:
        setattr(widget, "value", value)  # noqa: B010 - Input, Select, Checkbox... alike
