"""What Enter, Ctrl+S, leaving a tab and the fields' own keys do on the record, and the key line
that says so.

The key line shows only the keys that work where focus is (tui/README.md, "Record screens"). It
is one fixed line, updated as focus moves: Textual's Footer recomposes its widgets on every focus
change (every Tab between fields), too costly while typing a record (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, cast

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static, TabbedContent

from tui.widgets.choice import Choice
from tui.widgets.field_row import after_queued_keys, queue_field_key
from tui.widgets.incident_form import IncidentForm
from tui.widgets.notes_close import NotesClosePanel
from tui.widgets.observations import ObservationsPanel
from tui.widgets.patient_form import PatientForm
from tui.widgets.treatment import TreatmentPanel
from tui.widgets.triage_panel import TriagePanel

SAVE_PANELS = (PatientForm, IncidentForm, ObservationsPanel, TreatmentPanel)
SavePanel = PatientForm | IncidentForm | ObservationsPanel | TreatmentPanel
# The tabs that hold typed input, in tab order: leaving one saves it (tui/README.md).
TYPED_PANES: dict[str, type[Widget]] = {
    "patient": PatientForm, "incident": IncidentForm, "obs": ObservationsPanel,
    "triage": TriagePanel, "treatment": TreatmentPanel, "close": NotesClosePanel}
PANE_NAMES = {"patient": "Patient", "incident": "Incident", "obs": "Obs", "triage": "Triage",
              "treatment": "Treatment", "close": "Notes/close"}


class TypedPanel(Protocol):
    """What every tab that holds typed input offers (one of ``TYPED_PANES``)."""

    def has_unsaved_input(self) -> bool: ...

    def unsaved(self, typed: dict[str, Any]) -> bool: ...

    def save_typed(self, typed: dict[str, Any]) -> bool: ...


COMMON_KEYS = "F8 handover · F9 correct · Esc back"  # F2-F7 are on the tab strip
# In a text field of each tab.
TAB_KEYS = {
    "patient": "Enter/^S save patient · ^G match",
    "incident": "Enter/^S save incident",
    "obs": "Enter save set · ^T SpO2 scale 2",
    "triage": "↑↓ reason ^O protocol ^Y confirm ^R override",
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
        hint = {"triage": TAB_KEYS["triage"],
                "close": "↑↓ value · x reject it · Enter accept the rest · Tab on"}.get(
            pane, "↑↓ move")
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f" {hint} ", style="bold").append(f" {COMMON_KEYS}")
    return text


class RecordKeys(Screen[None]):
    """The record screen's key handling: Enter and Ctrl+S save the part in view, in typing
    order; a field's own keys act where they were typed; the key line follows focus."""

    @on(Choice.Changed)
    def _show_keys(self, _old: object = None, _new: Widget | None = None) -> None:
        """The key line for the field in focus: only keys that work there."""
        pane = self.query_one(TabbedContent).active
        focused = self.focused
        saves = False
        if isinstance(focused, Choice):
            panel = next((a for a in focused.ancestors if isinstance(a, SAVE_PANELS)), None)
            saves = panel is not None and enter_saves(focused, panel)
        self.query_one("#enc-keys", Static).update(key_line(pane, focused, saves),
                                                   layout=False)

    # -- leaving a tab saves it -----------------------------------------------------------------

    def typed_panel(self, pane: str) -> TypedPanel:
        """The panel of ``pane`` (a key of ``TYPED_PANES``), typed as such."""
        return cast(TypedPanel, self.query_one(TYPED_PANES[pane]))

    def save_pane(self, pane: str, then: Callable[[], None],
                  refused: Callable[[str], None]) -> None:
        """Save what is typed on ``pane`` as Ctrl+S would, then ``then()``.

        Read behind the keys already typed into the tab (as Enter is); keys typed after wait.
        Nothing typed: ``then()`` at once, nothing written (no empty record is created). Input
        the panel refuses stays where it is, its reason at the field: ``refused(pane)``.
        """
        panel_type = TYPED_PANES.get(pane)
        if panel_type is None:
            then()
            return
        widget = self.query_one(panel_type)
        panel = cast(TypedPanel, widget)
        fields = [*widget.query(Input), *widget.query(Choice)]

        def decide(typed: dict[str, Any]) -> None:
            if not panel.unsaved(typed):
                then()
            elif panel.save_typed(typed):
                then()
            else:
                refused(pane)

        after_queued_keys(fields, decide)

    def save_panes(self, panes: list[str], then: Callable[[], None],
                   refused: Callable[[str], None]) -> None:
        """:meth:`save_pane` for each of ``panes`` in turn; stops at the first refused."""
        if not panes:
            then()
            return
        self.save_pane(panes[0], lambda: self.save_panes(panes[1:], then, refused), refused)

    def action_field_key(self, key: str) -> None:
        """Backspace, arrows, Home/End… act on the field they were typed in, in order."""
        queue_field_key(self.focused, key)

    def action_save(self) -> None:
        """Ctrl+S: save the part in view, once the keys typed before it are in their fields."""
        active = self.query_one(TabbedContent).active
        if active == "close":
            note = self.query_one("#note", Input)
            notes = self.query_one(NotesClosePanel)
            after_queued_keys([note], lambda typed: notes.save_note(typed["note"]))
            return
        panels: dict[str, type[SavePanel]] = {
            "patient": PatientForm, "incident": IncidentForm, "obs": ObservationsPanel,
            "treatment": TreatmentPanel}
        panel = panels.get(active)
        if panel is not None:
            self._save_in_order(self.query_one(panel))

    def action_submit(self) -> None:
        """Enter in a field saves its part (the note field saves the note)."""
        field = self.focused
        if isinstance(field, Choice):
            self._submit_on_pick(field)
            return
        if not isinstance(field, Input) or field.id == "triage-complaint":
            raise SkipAction  # Enter keeps its usual meaning (option lists, tables, pickers)
        if field.id == "note":
            notes = self.query_one(NotesClosePanel)
            after_queued_keys([field], lambda typed: notes.save_note(typed["note"]))
            return
        panel = next((a for a in field.ancestors if isinstance(a, SAVE_PANELS)), None)
        if panel is None:
            raise SkipAction
        self._save_in_order(panel)

    def _submit_on_pick(self, choice: Choice) -> None:
        """Enter on a pick list: the choice shown moves on; with nothing picked, or on the
        form's last field, it saves the part, as Enter in a text field does."""
        panel = next((a for a in choice.ancestors if isinstance(a, SAVE_PANELS)), None)
        if panel is None or not enter_saves(choice, panel):
            raise SkipAction  # the pick list's own Enter: move on, or say which keys pick
        self._save_in_order(panel)

    def _save_in_order(self, panel: SavePanel) -> None:
        if isinstance(panel, ObservationsPanel):
            panel.save_in_order()
        else:
            after_queued_keys([*panel.query(Input), *panel.query(Choice)], panel.save)
