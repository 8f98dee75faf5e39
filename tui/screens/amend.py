"""Correct a recorded entry (F9 from the record): pick it, type the new value and why.

The original stays (shown in the history below with who changed it, when and why); nothing is
deleted. The new value is checked as a first entry would be, at the field, before saving. Who
may correct whose entry is decided in the domain (``appliance.records.amendments``).
Dismisses with True when something was corrected, so the record redraws.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from appliance.errors import LifeboatError, PermissionDenied, ValidationError
from appliance.records import amendments, encounters, matching
from appliance.records.clock import day_hhmm, hhmm
from appliance.session import Session
from tui.lock_park import ShowsPatientData
from tui.widgets.field_row import FieldRow

LABELS = {"observation": "Obs", "note": "Note", "intervention": "Tx", "patient": "Patient",
          "encounter": "Incident"}


def _entries(record: dict[str, Any]) -> list[tuple[str, str, str, Any, dict[str, Any]]]:
    """(entity, id, field, current value, row) for every correctable value in the record."""
    out: list[tuple[str, str, str, Any, dict[str, Any]]] = []

    def add(entity: str, row: dict[str, Any] | None) -> None:
        if not row:
            return
        for field in amendments.AMENDABLE[entity][1]:
            if row.get(field) is not None or entity in ("patient", "encounter"):
                out.append((entity, row["id"], field, row.get(field), row))

    add("patient", record["patient"])
    add("encounter", record["encounter"])
    for key, entity in (("observations", "observation"), ("interventions", "intervention"),
                        ("notes", "note")):
        for row in record[key]:
            add(entity, row)
    return out


def _when(row: dict[str, Any]) -> str:
    return hhmm(row.get("taken_at") or row.get("given_at") or row.get("written_at"))


class AmendScreen(ShowsPatientData, ModalScreen[bool]):
    CSS_PATH = "amend.tcss"
    BINDINGS = [Binding("escape", "leave", "Back")]

    def __init__(self, session: Session, encounter_id: str) -> None:
        super().__init__()
        self.session = session
        self.encounter_id = encounter_id
        self.changed = False
        self.target: tuple[str, str, str, Any, dict[str, Any]] | None = None
        self._entries: list[tuple[str, str, str, Any, dict[str, Any]]] = []
        self._repick: int | None = None  # the entry being corrected when a lock rebuilt this

    def fresh_copy(self) -> AmendScreen:
        fresh = AmendScreen(self.session, self.encounter_id)
        fresh.changed = self.changed
        if self.target is not None and self.target in self._entries:
            fresh._repick = self._entries.index(self.target)
        return fresh

    def compose(self) -> ComposeResult:
        with Vertical(id="amend-box"):
            yield Static("Correct an entry: the original is kept", id="amend-title")
            yield OptionList(id="amend-entries")
            yield Static("Pick an entry (↑↓ Enter)", id="amend-target")
            yield FieldRow("New value", Input(id="amend-value", compact=True),
                           id="row-amend-value")
            yield FieldRow("Reason", Input(placeholder="why (required)", id="amend-reason",
                                           compact=True), id="row-amend-reason")
            yield Static("", id="amend-history")
            yield Static(" Enter next/save · Esc back", id="amend-keys")

    def on_mount(self) -> None:
        self._load()
        self.set_focus(self.query_one("#amend-entries"))
        if self._repick is not None and self._repick < len(self._entries):
            self._pick(self._repick)  # the typed value and reason are put back after this

    def _load(self) -> None:
        record = encounters.detail(self.session, self.encounter_id)
        names = {u["id"]: u["display_name"]
                 for u in self.session.db.query("SELECT id, display_name FROM users")}
        self._entries = _entries(record)
        options = self.query_one("#amend-entries", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for entity, _eid, field, value, row in self._entries:
            owner = names.get(row.get(amendments.AMENDABLE[entity][2]) or "", "")
            label = Text(f"{LABELS[entity]} {_when(row)} ".replace("  ", " "), style="bold")
            label.append(f"{field.replace('_', ' ')}: ")
            label.append((("" if value is None else str(value)).splitlines() or ["—"])[0][:40])
            if owner:
                label.append(f" ({owner})", style="dim")
            options.add_option(Option(label))
        if self._entries:
            options.highlighted = min(highlighted or 0, len(self._entries) - 1)
        self._show_history(amendments.history(self.session, self.encounter_id), names)

    def _show_history(self, rows: list[dict[str, Any]], names: dict[str, str]) -> None:
        text = Text("History of corrections\n", style="bold")
        if not rows:
            text.append("none yet", style="dim")
        for a in reversed(rows):  # newest first: the box shows the last few
            who = a.get("amended_by_name") or names.get(a["amended_by"] or "", "?")
            text.append(f"{day_hhmm(a['amended_at'])} {who}: ", style="bold")
            old, new = a["old_value"], a["new_value"]
            if a["field"] == "linked_to":  # patient ids mean nothing to a reader: names
                old, new = (matching.link_label(self.session, v) for v in (old, new))
            text.append(f"{LABELS.get(a['entity'], a['entity'])} "
                        f"{a['field'].replace('_', ' ')} {old} → {new} · why: {a['reason']}\n")
        self.query_one("#amend-history", Static).update(text)

    # -- picking and typing ---------------------------------------------------------------

    @on(OptionList.OptionSelected, "#amend-entries")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option_index)

    def _pick(self, index: int) -> None:
        self.target = self._entries[index]
        entity, _eid, field, value, row = self.target
        self.query_one("#amend-target", Static).update(
            Text.assemble("Correcting ", (f"{LABELS[entity]} {_when(row)} "
                                           f"{field.replace('_', ' ')}", "bold"),
                          f" (now {'—' if value is None else value})"))
        box = self.query_one("#amend-value", Input)
        box.value = "" if value is None else str(value)
        self._error("value", None)
        self._error("reason", None)
        self.set_focus(box)

    @on(Input.Changed)
    def _typing(self, event: Input.Changed) -> None:
        self._error(str(event.input.id).removeprefix("amend-"), None)

    @on(Input.Submitted, "#amend-value")
    def _value_done(self, _: Input.Submitted) -> None:
        if self._check_value() is not None:
            self.set_focus(self.query_one("#amend-reason"))

    @on(Input.Submitted, "#amend-reason")
    def _reason_done(self, _: Input.Submitted) -> None:
        self.save()

    def _error(self, which: str, message: str | None) -> None:
        self.query_one(f"#row-amend-{which}", FieldRow).set_error(message)

    def _check_value(self) -> str | None:
        """The typed value when it passes the first-entry checks (message at the field)."""
        if self.target is None:
            self.set_focus(self.query_one("#amend-entries"))
            self.notify("Pick the entry to correct first.", severity="warning")
            return None
        entity, _eid, field, _value, row = self.target
        typed = self.query_one("#amend-value", Input).value
        try:
            amendments.clean_value(self.session, entity, row, field, typed)
        except ValidationError as exc:
            self._error("value", exc.message)
            self.set_focus(self.query_one("#amend-value"))
            return None
        return typed

    def save(self) -> None:
        """Save the correction: refused at the field when the value or the reason is wrong."""
        typed = self._check_value()
        if typed is None or self.target is None:
            return
        reason = self.query_one("#amend-reason", Input).value
        if not reason.strip():
            self._error("reason", "Say why the entry is being corrected.")
            self.set_focus(self.query_one("#amend-reason"))
            return
        entity, eid, field, _value, _row = self.target
        try:
            amendments.amend(self.session, entity, eid, field, typed, reason)
        except PermissionDenied as exc:
            self._error("value", exc.message)
            return
        except ValidationError as exc:
            self._error("reason" if exc.field == "reason" else "value", exc.message)
            return
        except LifeboatError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.changed = True
        self.target = None
        self.query_one("#amend-value", Input).value = ""
        self.query_one("#amend-reason", Input).value = ""
        self.query_one("#amend-target", Static).update("Saved. Pick another entry or Esc")
        self.notify(f"Corrected {field.replace('_', ' ')}: the original is kept.")
        self._load()
        self.set_focus(self.query_one("#amend-entries"))

    def action_leave(self) -> None:
        self.dismiss(self.changed)
