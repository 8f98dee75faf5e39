"""The record's key line: only the keys that work where focus is (tui/README.md).

One fixed line, updated as focus moves: Textual's Footer recomposes ~20 widgets on every focus
change (every Tab between fields), which was most of the cost of typing a record.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Input

from tui.widgets.choice import Choice

COMMON_KEYS = "F8 handover · F9 correct · Esc back"  # F2-F7 are on the tab strip
# In a text field of each tab.
TAB_KEYS = {
    "patient": "Enter/^S save patient · ^G match",
    "incident": "Enter/^S save incident",
    "obs": "Enter save set · ^T SpO2 scale 2",
    "triage": "↑↓ reason · ^O its protocol · ^Y confirm · ^R override",
    "treatment": "Enter save entry · → accept name",
    "close": "Enter/^S save note · ^E close",
}
# On a pick list of each tab: what Ctrl+S does there (Enter moves on).
PICK_TAIL = {
    "patient": "^S save patient", "incident": "^S save incident", "obs": "^S save set",
    "triage": "^Y confirm · ^R override", "treatment": "^S save entry", "close": "^E close",
}


def enter_saves(choice: Choice, form: Widget) -> bool:
    """Enter on a pick list of a form saves the form when nothing is picked or the list is the
    form's last field; otherwise it keeps the choice and moves on (tui/README.md)."""
    fields = [w for w in form.query("Input, Choice") if w.focusable]
    return choice.value is None or (bool(fields) and fields[-1] is choice)


def key_line(pane: str, focused: Widget | None = None, enter_saves: bool = False) -> Text:
    """The key hints for one tab of the record, for the field that has focus.

    ``enter_saves``: on a pick list, Enter saves the part (see :func:`enter_saves`).
    """
    if isinstance(focused, Choice):
        keys = "/".join(key for key, _, _ in focused.options)
        enter = "Enter save" if enter_saves else "Enter next"
        hint = f"{keys} pick · {enter} · {PICK_TAIL.get(pane, '')}"
    elif focused is None or isinstance(focused, Input):
        hint = TAB_KEYS.get(pane, "")
    else:  # a list or table: its own arrows
        hint = {"triage": "↑↓ reason · ^O its protocol · ^Y confirm · ^R override",
                "close": "↑↓ value · x reject it · Enter accept the rest · Tab on"}.get(
            pane, "↑↓ move")
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f" {hint} ", style="bold").append(f" {COMMON_KEYS}")
    return text
