"""Incident section: medical or trauma, complaint, time, place, mechanism, call category, area.

Picks (kind, call category, area, arrival) take one key each. The incident time is refused when
it is in the future or before the patient was born.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from appliance.errors import LifeboatError, ValidationError
from appliance.records.clock import parse_local_time
from tui.widgets.choice import Choice
from tui.widgets.encounter_context import EncounterContext, Saved
from tui.widgets.field_row import FieldRow

KIND_OPTIONS = [("m", "medical", "medical"), ("t", "trauma", "trauma")]
CALL_OPTIONS = [("1", "Cat 1", "Cat 1"), ("2", "Cat 2", "Cat 2"), ("3", "Cat 3", "Cat 3"),
                ("4", "Cat 4", "Cat 4"), ("w", "walk-in", "walk-in")]
AREA_OPTIONS = [("r", "Resus", "Resus"), ("j", "Majors", "maJors"), ("i", "Minors", "mInors"),
                ("p", "Paeds", "Paeds"), ("a", "Ambulance", "Amb bay"),
                ("w", "Waiting", "Waiting")]
ARRIVAL_OPTIONS = [("a", "ambulance", "ambulance"), ("w", "walk-in", "walked in"),
                   ("h", "helicopter", "helicopter"), ("p", "police", "police")]
TEXT_FIELDS = ("presenting_complaint", "incident_time", "location", "mechanism")
CHOICES = ("kind", "call_category", "area", "arrival")


class IncidentForm(VerticalScroll):
    """The incident and where the patient is; saved with Ctrl+S or Enter."""

    def __init__(self, ctx: EncounterContext, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.ctx = ctx
        self.saved: dict[str, Any] = {}
        self._pending: dict[str, Any] | None = None  # submitted, not yet written

    def compose(self) -> ComposeResult:
        yield FieldRow("Kind", Choice(KIND_OPTIONS, id="kind"), id="row-kind")
        yield FieldRow("Complaint", Input(placeholder="chest pain, fall…",
                                          id="presenting_complaint", compact=True,
                                          select_on_focus=False),  # added to, not retyped
                       id="row-presenting_complaint")
        yield FieldRow("Incident time", Input(placeholder="14:05 (blank: unknown)",
                                              id="incident_time", compact=True),
                       id="row-incident_time")
        yield FieldRow("Location", Input(placeholder="home, street…", id="location",
                                         compact=True), id="row-location")
        yield FieldRow("Mechanism", Input(placeholder="fall from standing…", id="mechanism",
                                          compact=True), id="row-mechanism")
        yield FieldRow("Call category", Choice(CALL_OPTIONS, id="call_category"),
                       id="row-call_category")
        yield FieldRow("Area", Choice(AREA_OPTIONS, id="area"), id="row-area")
        # The last field: a pick stays here (nothing to move on to) and Enter saves.
        yield FieldRow("Arrival", Choice(ARRIVAL_OPTIONS, id="arrival", advance=False),
                       id="row-arrival")
        yield Static("Ctrl+S save incident", classes="hint")

    def values(self, typed: dict[str, Any] | None = None) -> dict[str, Any]:
        """The form as it stands, or as ``typed`` (a snapshot taken in key order)."""
        if typed is None:
            typed = {n: self.query_one(f"#{n}", Input).value for n in TEXT_FIELDS}
            typed.update({n: self.query_one(f"#{n}", Choice).value for n in CHOICES})
        out: dict[str, Any] = {n: str(typed.get(n) or "").strip() for n in TEXT_FIELDS}
        out.update({n: typed.get(n) for n in CHOICES})
        return out

    def has_unsaved_input(self) -> bool:
        return self.unsaved()

    def unsaved(self, typed: dict[str, Any] | None = None) -> bool:
        """True when the form (or ``typed``) differs from what is saved or being saved."""
        stored = self._pending if self._pending is not None else self.saved
        return {k: v for k, v in self.values(typed).items() if v} != \
            {k: v for k, v in stored.items() if v}

    def save_typed(self, typed: dict[str, Any]) -> bool:
        """Save the form as read in key order (leaving the tab); False when refused."""
        return self.save(typed)

    def check_time(self, raw: str | None = None) -> str | None | bool:
        """The incident time as stored ISO text, None when blank, False when refused."""
        raw = self.values()["incident_time"] if raw is None else raw
        row = self.query_one("#row-incident_time", FieldRow)
        if not raw:
            row.set_error(None)
            return None
        try:
            when = parse_local_time(raw, self.ctx.clock())
            dob = self.ctx.date_of_birth
            if dob is not None and when.date() < dob:
                raise ValidationError(f"Incident before the patient was born "
                                      f"({dob:%d/%m/%Y})? Check the time or the date of birth.",
                                      field="incident_time")
        except ValidationError as exc:
            row.set_error(exc.message)
            return False
        row.set_error(None)
        return when.isoformat(timespec="seconds")

    @on(Input.Blurred, "#incident_time")
    def _left_time(self) -> None:
        self.check_time()

    def save(self, typed: dict[str, Any] | None = None) -> bool:
        """Validate and save the incident fields (``typed``: read in key order)."""
        snapshot = self.values(typed)
        when = self.check_time(snapshot["incident_time"])
        if when is False:
            self.screen.set_focus(self.query_one("#incident_time"))
            self.app.notify("Fix the incident time first.", severity="error")
            return False
        fields = {k: (v or None) for k, v in snapshot.items()}
        fields["incident_time"] = when
        ctx = self.ctx

        def work(encounter_id: str) -> None:
            from appliance.records import encounters

            encounters.update(ctx.session, encounter_id, **fields)

        def done(_: None) -> None:
            from datetime import datetime

            self.saved = snapshot
            ctx.incident_time = datetime.fromisoformat(when) if isinstance(when, str) else None
            ctx.kind, ctx.complaint = fields["kind"], fields["presenting_complaint"] or ""
            ctx.mechanism = fields["mechanism"] or ""
            self._pending = None
            self.app.notify("Incident saved.")
            self.post_message(Saved("incident"))

        def failed(_: LifeboatError) -> None:
            self._pending = None  # what is typed stays in the form, unsaved

        self._pending = snapshot
        ctx.submit(work, done, failed)
        return True

    def take(self, fields: dict[str, Any]) -> None:
        """Show fields just written elsewhere (values accepted from a note) as saved."""
        for name, value in fields.items():
            if name in TEXT_FIELDS and name != "incident_time":
                self.query_one(f"#{name}", Input).value = value or ""
                self.saved[name] = value or ""
        if "mechanism" in fields:
            self.ctx.mechanism = fields["mechanism"] or ""

    def fill(self, enc: dict[str, Any]) -> None:
        """Show a stored encounter's incident fields."""
        from appliance.records.clock import day_hhmm, parse_iso

        for name in TEXT_FIELDS:
            value = enc.get(name) or ""
            if name == "incident_time" and value:
                value = day_hhmm(value)
                self.ctx.incident_time = parse_iso(enc[name])
            self.query_one(f"#{name}", Input).value = value
        for name in CHOICES:
            self.query_one(f"#{name}", Choice).value = enc.get(name)
        self.ctx.kind = enc.get("kind")
        self.ctx.complaint = enc.get("presenting_complaint") or ""
        self.ctx.mechanism = enc.get("mechanism") or ""
        self.saved = self.values()
