"""Extraction review for the triage flow: values read from a note, beside the words they came from.

Values stay "extracted, unconfirmed" until the clinician presses Enter (confirm all shown) —
only then is ``Confirmed`` posted with the triage input, so nothing extracted scores unseen.
``x`` drops the highlighted value. The extraction runs in a thread worker (pattern pass always;
the model pass only when a model is loaded).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from appliance.errors import LifeboatError
from tui import context


def shown(field: str, value: Any) -> str:
    """A value as a clinician reads it: 'air' / 'O2', not False / True."""
    if field == "vitals.on_oxygen":
        return "O2" if value else "air"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


class ExtractionReview(Vertical):
    """Embed with ``ExtractionReview(note)``; handle ``ExtractionReview.Confirmed``."""

    DEFAULT_CSS = """
    ExtractionReview { height: auto; }
    ExtractionReview #x-note { padding: 0 1; }
    ExtractionReview #x-values { height: auto; max-height: 14; }
    ExtractionReview #x-state { padding: 0 1; color: $warning; }
    """
    BINDINGS = [Binding("enter", "confirm", "Confirm values"),
                Binding("x", "drop", "Drop value")]

    class Confirmed(Message):
        """The clinician confirmed these values; ``case`` is the triage input to score."""

        def __init__(self, case: dict[str, Any], extraction: Any) -> None:
            super().__init__()
            self.case = case
            self.extraction = extraction

    def __init__(self, note: str, *, extraction: Any = None, take_focus: bool = True,
                 id: str | None = None) -> None:  # noqa: A002
        """``extraction``: already read (then no worker runs); ``take_focus`` False leaves focus
        where the clinician is typing (the record's notes), so no key of theirs confirms."""
        super().__init__(id=id)
        self.note = note
        self.extraction: Any = extraction
        self.take_focus = take_focus
        self.confirmed = False

    def compose(self) -> ComposeResult:
        yield Static(self.note, id="x-note")
        table: DataTable[Text | str] = DataTable(id="x-values", cursor_type="row")
        table.add_columns("Field", "Value", "From the note", "By")
        yield table
        yield Static("reading the note…", id="x-state")

    def on_mount(self) -> None:
        if self.extraction is None:
            self._extract()
        else:
            self._show(self.extraction)

    @work(thread=True, exclusive=True, group="extraction")
    def _extract(self) -> None:
        from appliance.assistant.extraction import extract
        from appliance.protocols.active_rules import active_ruleset
        from tui.widgets.assistant_state import current_runtime

        try:
            concepts = active_ruleset().concept_ids()
        except LifeboatError:
            concepts = []
        result = extract(self.note, current_runtime(context.model_state(self.app)), concepts)
        self.app.call_from_thread(self._show, result)

    def _show(self, result: Any) -> None:
        self.extraction = result
        note = Text(self.note)
        for v in result.values:
            note.stylize("bold black on #FFD700", v.start, v.end)
        self.query_one("#x-note", Static).update(note)
        table = self.query_one("#x-values", DataTable)
        table.clear()
        for i, v in enumerate(result.values):
            table.add_row(v.field.removeprefix("vitals."), shown(v.field, v.value), v.span,
                          v.source, key=str(i))
        state = Text("extracted, unconfirmed — Enter confirms, x drops a value",
                     style="bold #FFA500")
        for f in result.flags:
            state.append(f"\n⚠ {f.message}")
        for m in result.messages:
            state.append(f"\n{m}", style="dim")
        self.query_one("#x-state", Static).update(state)
        if self.take_focus:
            table.focus()

    def action_drop(self) -> None:
        table = self.query_one("#x-values", DataTable)
        if self.extraction is None or not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        index = int(str(key.value))
        value = self.extraction.values[index]
        self.extraction.values = [v for v in self.extraction.values if v is not value]
        self._show(self.extraction)

    @on(DataTable.RowSelected, "#x-values")
    def _enter_on_table(self) -> None:  # the table takes Enter first; it still means confirm
        self.action_confirm()

    def action_confirm(self) -> None:
        if self.extraction is None:
            return
        self.confirmed = True
        self.query_one("#x-state", Static).update(Text("confirmed by clinician",
                                                       style="bold #00E676"))
        self.post_message(self.Confirmed(self.extraction.to_triage_input(), self.extraction))
