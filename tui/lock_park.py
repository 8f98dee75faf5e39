"""What happens to the screens behind the lock: the ones that show patient data are taken off
the screen stack (unmounted, with every widget that held the record) while the device is
locked, and built again, with what had been typed put back, once the same user unlocks.

Typed input is kept in memory only, as the widgets themselves kept it: a list of field values
keyed by where each field sits in the screen. A screen is left mounted (behind the opaque
curtain) only when it cannot be rebuilt: it has a save or search still running, or its kind is
not known here and it does not offer ``fresh_copy()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from textual.app import App
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, RadioButton, Select, Switch, TextArea

Rebuild = Callable[[Screen[Any]], "Screen[Any] | None"]
"""A fresh copy of a screen, or None when what it holds would not survive (it stays)."""
_VALUE_WIDGETS = (Input, TextArea, Select, Checkbox, Switch, RadioButton)


def _rebuilders() -> dict[type[Screen[Any]], Rebuild]:
    """Screens that show patient data, and how to build a fresh one showing the same."""
    from tui.screens.board import BoardScreen
    from tui.screens.encounter import EncounterScreen
    from tui.screens.handover import HandoverScreen

    def encounter(s: Any) -> Screen[Any]:
        return EncounterScreen(s.ctx.session, s.ctx.encounter_id, s.ctx.clock)

    def board(s: Any) -> Screen[Any]:
        return BoardScreen(s.session, s.clock)

    def handover(s: Any) -> Screen[Any] | None:
        # Reworded lines not signed yet live in the screen, not in fields: it stays mounted.
        if s.has_unsaved_input():
            return None
        return HandoverScreen(s.session, s.encounter_id, s.clock)

    return {EncounterScreen: encounter, BoardScreen: board, HandoverScreen: handover}


@dataclass
class Parked:
    """A screen taken down for the lock: its fresh copy (not yet mounted) and typed values."""

    screen: Screen[Any]
    values: dict[str, Any] = field(default_factory=dict)
    focused: str | None = None

    def put_back(self) -> None:
        """Refill the rebuilt screen's fields with what had been typed."""
        for widget in self.screen.query("*"):
            key = _key(widget, self.screen)
            if key in self.values and isinstance(widget, _VALUE_WIDGETS) \
                    and _value(widget) != self.values[key]:
                _set_value(widget, self.values[key])
            if key == self.focused and widget.focusable:
                self.screen.set_focus(widget)


def park(app: App[Any], keep: int) -> list[Parked]:
    """Take down, from the top, every screen above the first ``keep`` that can be rebuilt;
    returns them bottom first. Stops at the first that cannot (it and those under it stay)."""
    known = _rebuilders()
    parked: list[Parked] = []
    while len(app.screen_stack) > keep:
        screen = app.screen_stack[-1]
        rebuild = _rebuild_for(screen, known)
        fresh = None if rebuild is None or _busy(app, screen) else rebuild(screen)
        if fresh is None:
            break
        parked.append(_snapshot(screen, fresh))
        app.pop_screen()
    parked.reverse()
    return parked


async def restore(app: App[Any], parked: list[Parked]) -> None:
    """Push the rebuilt screens back, bottom first, and refill what had been typed."""
    for item in parked:
        await app.push_screen(item.screen)
        item.put_back()


def _rebuild_for(screen: Screen[Any], known: dict[type[Screen[Any]], Rebuild]
                 ) -> Rebuild | None:
    own = getattr(screen, "fresh_copy", None)
    if callable(own):
        return lambda _: cast(Screen[Any], own())
    return known.get(type(screen))


def _busy(app: App[Any], screen: Screen[Any]) -> bool:
    """A save or search of this screen still running: its result needs the screen."""
    for worker in app.workers:
        node = worker.node
        if worker.is_running and isinstance(node, Widget) and (
                node is screen or screen in node.ancestors_with_self):
            return True
    return False


def _snapshot(screen: Screen[Any], fresh: Screen[Any]) -> Parked:
    values = {_key(w, screen): _value(w) for w in screen.query("*")
              if isinstance(w, _VALUE_WIDGETS)}
    focused = _key(screen.focused, screen) if screen.focused is not None else None
    return Parked(fresh, values, focused)


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


def _value(widget: Widget) -> Any:
    if isinstance(widget, TextArea):
        return widget.text
    return getattr(widget, "value", None)


def _set_value(widget: Widget, value: Any) -> None:
    if isinstance(widget, TextArea):
        widget.load_text(value)
    else:
        setattr(widget, "value", value)  # noqa: B010 - Input, Select, Checkbox... alike
