"""Notes, disposition and closing the encounter; corrections shown with who, when and why.

A saved note is read (``appliance.assistant.extraction``, its deterministic pattern pass) in a
worker; the values the record has a field for are offered below it, focus staying
in the note. The clinician rejects any with x and accepts the rest with Enter; only then are
they written (``appliance.records.note_values``).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static

from appliance.errors import LifeboatError, ValidationError
from appliance.records.clock import hhmm
from tui.widgets.choice import Choice
from tui.widgets.encounter_context import EncounterContext, Saved
from tui.widgets.extraction_review import ExtractionReview
from tui.widgets.field_row import FieldRow

DISPOSITION_OPTIONS = [
    ("1", "conveyed to ED", "to ED"), ("2", "admitted", "admitted"),
    ("3", "discharged home", "home"), ("4", "referred to primary care", "GP"),
    ("5", "self-care advice", "self-care"), ("6", "transferred", "transfer"),
    ("7", "left before treatment", "left"), ("8", "died", "died"),
]


class Accepted(Message):
    """Values from a note were written to the record (``note_values.Accepted``)."""

    def __init__(self, accepted: Any) -> None:
        super().__init__()
        self.accepted = accepted


class NotesClosePanel(VerticalScroll):
    """Free-text notes (Enter saves each), then disposition and Ctrl+E to close."""

    def __init__(self, ctx: EncounterContext, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.ctx = ctx
        self._notes: list[Text] = []

    def compose(self) -> ComposeResult:
        yield FieldRow("Note", Input(placeholder="type a note, Enter saves it", id="note",
                                     compact=True), id="row-note")
        yield Static("", id="notes-list")
        yield FieldRow("Disposition", Choice(DISPOSITION_OPTIONS, id="disposition",
                                             advance=False), id="row-disposition")
        yield Static("Ctrl+E close the encounter (asks first)", classes="hint")
        yield Static("", id="amendments")

    def has_unsaved_input(self) -> bool:
        return bool(self.query_one("#note", Input).value.strip())

    def unsaved(self, typed: dict[str, Any]) -> bool:
        """True when ``typed`` (read in key order) holds a note."""
        return bool(str(typed.get("note") or "").strip())

    def save_typed(self, typed: dict[str, Any]) -> bool:
        """Save the note as read in key order (leaving the tab)."""
        return self.save_note(str(typed.get("note") or ""))

    def save_note(self, typed: str | None = None) -> bool:
        """Save the typed note (Enter in the note field; ``typed``: read in key order)."""
        box = self.query_one("#note", Input)
        typed = box.value if typed is None else typed
        text = typed.strip()
        if not text:
            self.query_one("#row-note", FieldRow).set_error("The note is empty.")
            return False
        ctx = self.ctx

        def work(encounter_id: str) -> dict[str, Any]:
            from appliance.records import encounters

            nid = encounters.add_note(ctx.session, encounter_id, text)
            return ctx.session.db.query("SELECT * FROM notes WHERE id = ?", (nid,))[0]

        def done(row: dict[str, Any]) -> None:
            self.add_note(row)
            self.post_message(Saved("note", row))
            self._read_note(text)

        def failed(_: LifeboatError) -> None:
            if not box.value:  # not saved: the note comes back
                box.value = typed

        # Cleared now, not when written: saved once however soon Enter or a tab change follows
        # (anything typed since Enter stays).
        if box.value.startswith(typed):
            box.value = box.value[len(typed):]
        self.query_one("#row-note", FieldRow).set_error(None)
        ctx.submit(work, done, failed)
        return True

    @work(thread=True, exclusive=True, group="note-extraction")
    def _read_note(self, text: str) -> None:
        from appliance.assistant.extraction import extract
        from appliance.records.note_values import recordable

        # The pattern pass only: instant and deterministic, so reading a note never competes
        # with the clinician's typing for the two cores, nor depends on the model runtime.
        result = extract(text, None)
        result.values = [v for v in result.values if recordable(v.field)]
        result.messages = ["Read by pattern, not by the model: check each value against the "
                           "note."]
        if result.values:
            self.app.call_from_thread(self._offer, text, result)

    def _offer(self, text: str, result: Any) -> None:
        """Show what the note gave, for the record, without taking focus from the note."""
        for old in self.query(ExtractionReview):
            old.remove()
        self.mount(ExtractionReview(text, extraction=result, take_focus=False),
                   after="#notes-list")
        self.app.notify("Values read from the note: Tab to review them (x rejects one, Enter "
                        "accepts the rest). Nothing is written until you accept.", timeout=6)

    @on(ExtractionReview.Confirmed)
    def _accepted(self, message: ExtractionReview.Confirmed) -> None:
        message.stop()
        pairs = [(v.field, v.value) for v in message.extraction.values]
        ctx = self.ctx

        def work(encounter_id: str) -> Any:
            from appliance.records import note_values

            return note_values.accept(ctx.session, encounter_id, pairs)

        def done(accepted: Any) -> None:
            for box in self.query(ExtractionReview):
                box.remove()
            self.screen.set_focus(self.query_one("#note", Input))
            self.post_message(Accepted(accepted))

        if not pairs:
            self.app.notify("Every value was rejected: nothing written.")
            for box in self.query(ExtractionReview):
                box.remove()
            return
        ctx.submit(work, done)

    def add_note(self, row: dict[str, Any]) -> None:
        notes = self.query_one("#notes-list", Static)
        line = Text(f"{hhmm(row['written_at'])} ", style="bold")
        line.append(f"[{row['kind']}] " if row["kind"] != "note" else "")
        line.append(row["text"].splitlines()[0] if row["kind"] == "handover" else row["text"])
        if row.get("model_written"):
            line.append(" (model-written lines)", style="italic")
        self._notes.append(line)
        notes.update(Text("\n").join(self._notes[-6:]))

    def show_amendments(self, rows: list[dict[str, Any]]) -> None:
        """Corrections: the original value stays, with who changed it, when and why."""
        if not rows:
            return
        text = Text("Corrections:\n", style="bold")
        for a in rows:
            text.append(f"{hhmm(a['amended_at'])} {a['entity']}.{a['field']}: "
                        f"{a['old_value']} → {a['new_value']} ({a['reason']})\n")
        self.query_one("#amendments", Static).update(text)

    def disposition(self) -> str:
        value = self.query_one("#disposition", Choice).value
        if not value:
            self.query_one("#row-disposition", FieldRow).set_error(
                "Pick where the patient went (1–8) before closing.")
            self.screen.set_focus(self.query_one("#disposition"))
            raise ValidationError("Pick where the patient went before closing.",
                                  field="disposition")
        return value
