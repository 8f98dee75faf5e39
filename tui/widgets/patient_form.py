"""Patient section of the ePRF: name, date of birth or estimated age, sex, NHS number,
allergies and current medications.

Each field is checked when it is left or submitted, and the message appears at the field:
a wrong NHS check digit, a date of birth in the future, a patient born after the incident.
No name and no NHS number saves an "unknown patient", to be matched later.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from appliance.errors import LifeboatError, ValidationError
from appliance.records import age, patients
from tui.widgets.choice import Choice
from tui.widgets.encounter_context import EncounterContext, Saved
from tui.widgets.field_row import FieldRow

SEX_OPTIONS = [("m", "M", "male"), ("f", "F", "female"), ("o", "O", "other"),
               ("u", "U", "unknown")]
TEXT_FIELDS = ("family_name", "given_name", "date_of_birth", "estimated_age", "nhs_number",
               "allergies", "medications")


class PatientForm(VerticalScroll):
    """Demographics with inline validation; saved with Ctrl+S or Enter."""

    def __init__(self, ctx: EncounterContext, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.ctx = ctx
        self.saved: dict[str, Any] = {}
        self._pending: dict[str, Any] | None = None  # submitted, not yet written

    def compose(self) -> ComposeResult:
        def field(name: str, placeholder: str, restrict: str | None = None,
                  max_length: int = 0) -> Input:
            # lists (allergies, medicines) are added to, not retyped, on coming back
            return Input(placeholder=placeholder, id=name, restrict=restrict,
                         max_length=max_length, compact=True,
                         select_on_focus=name not in ("allergies", "medications"))

        yield FieldRow("Surname", field("family_name", "blank if unknown"), id="row-family_name")
        yield FieldRow("Given name", field("given_name", ""), id="row-given_name")
        yield FieldRow("Date of birth", field("date_of_birth", "31/12/1950",
                                              r"[0-9/.\-]*", 10), id="row-date_of_birth")
        yield FieldRow("Or age (est.)", field("estimated_age", "years", r"[0-9]*", 3),
                       id="row-estimated_age")
        yield FieldRow("Sex", Choice(SEX_OPTIONS, id="sex"), id="row-sex")
        yield FieldRow("NHS number", field("nhs_number", "10 digits", r"[0-9 ]*", 12),
                       id="row-nhs_number")
        yield FieldRow("Allergies", field("allergies", "penicillin - rash; none known (NKDA)",
                                          max_length=patients.HISTORY_MAX),
                       id="row-allergies")
        yield FieldRow("Medications", field("medications", "current medicines, doses",
                                            max_length=patients.HISTORY_MAX),
                       id="row-medications")
        yield Static("Ctrl+S save patient · no name = unknown patient (Ctrl+G match later)",
                     classes="hint")

    def values(self, typed: dict[str, Any] | None = None) -> dict[str, Any]:
        """The form as it stands, or as ``typed`` (a snapshot taken in key order)."""
        if typed is None:
            typed = {n: self.query_one(f"#{n}", Input).value for n in TEXT_FIELDS}
            typed["sex"] = self.query_one("#sex", Choice).value
        out: dict[str, Any] = {n: str(typed.get(n) or "").strip() for n in TEXT_FIELDS}
        out["sex"] = typed.get("sex")
        return out

    def has_unsaved_input(self) -> bool:
        return self.unsaved()

    def unsaved(self, typed: dict[str, Any] | None = None) -> bool:
        """True when the form (or ``typed``) differs from what is saved or being saved."""
        current = {k: v for k, v in self.values(typed).items() if v}
        stored = self._pending if self._pending is not None else self.saved
        return current != {k: v for k, v in stored.items() if v}

    def save_typed(self, typed: dict[str, Any]) -> bool:
        """Save the form as read in key order (leaving the tab); False when refused."""
        return self.save(typed)

    def check(self, name: str, values: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """Validate one field; show the message beside it. Returns the clean value or None."""
        raw = (self.values() if values is None else values)[name]
        row = self.query_one(f"#row-{name}", FieldRow)
        try:
            value: Any = raw
            if name == "estimated_age" and raw:
                value = int(raw)
            clean = patients.clean_demographics({name: value})
            if name == "date_of_birth" and clean.get(name):
                self._check_birth_before_incident(clean[name])
        except ValidationError as exc:
            row.set_error(exc.message)
            return None
        row.set_error(None)
        return clean

    def _check_birth_before_incident(self, dob_iso: str) -> None:
        from datetime import date

        dob = date.fromisoformat(dob_iso)
        incident = self.ctx.incident_time
        if incident is not None and incident.date() < dob:
            raise ValidationError(f"Born after the incident ({incident:%d/%m/%Y})? Check the "
                                  "date of birth or the incident time.", field="date_of_birth")

    @on(Input.Blurred)
    def _left_field(self, event: Input.Blurred) -> None:
        if event.input.id in TEXT_FIELDS:
            self.check(str(event.input.id))

    @on(Input.Changed)
    def _typing(self, event: Input.Changed) -> None:
        if event.input.id in TEXT_FIELDS:
            self.query_one(f"#row-{event.input.id}", FieldRow).set_error(None)

    def save(self, typed: dict[str, Any] | None = None) -> bool:
        """Validate every field; save when all pass, else focus the first bad one.

        ``typed`` is the form read in key order (``field_row.after_queued_keys``).
        """
        snapshot = self.values(typed)
        fields: dict[str, Any] = {}
        bad = None
        for name in (*TEXT_FIELDS, "sex"):
            clean = self.check(name, snapshot) if name != "sex" else {"sex": snapshot["sex"]}
            if clean is None:
                bad = bad or name
            else:
                fields.update(clean)
        if bad:
            self.screen.set_focus(self.query_one(f"#{bad}"))
            self.app.notify("Fix the field marked in red first.", severity="error")
            return False
        if fields.get("date_of_birth"):
            fields.pop("estimated_age", None)
        ctx = self.ctx

        def work(encounter_id: str) -> str:
            from appliance.records import encounters

            if ctx.patient_id is None:
                pid = patients.register(ctx.session, **{k: v for k, v in fields.items() if v})
                encounters.update(ctx.session, encounter_id, patient_id=pid)
                return pid
            patients.update(ctx.session, ctx.patient_id, **fields)
            return ctx.patient_id

        def done(pid: str) -> None:
            from datetime import date

            ctx.patient_id = pid
            self.saved = snapshot
            dob = fields.get("date_of_birth")
            ctx.date_of_birth = date.fromisoformat(dob) if dob else None
            ctx.age = None if dob else fields.get("estimated_age")
            if ctx.date_of_birth:
                ctx.age = age.years(ctx.date_of_birth, ctx.clock().date())
            ctx.sex = fields.get("sex")
            ctx.medications = str(fields.get("medications") or "")
            who = fields.get("family_name") or "Unknown patient"
            self._pending = None
            self.app.notify(f"Patient saved: {who}.")
            self.post_message(Saved("patient"))

        def failed(_: LifeboatError) -> None:
            self._pending = None  # what is typed stays in the form, unsaved

        self._pending = snapshot
        ctx.submit(work, done, failed)
        return True

    def take(self, fields: dict[str, Any]) -> None:
        """Show fields just written elsewhere (values accepted from a note) as saved."""
        for name, value in fields.items():
            if name == "sex":
                self.query_one("#sex", Choice).value = value
                self.ctx.sex = value
            elif name in TEXT_FIELDS:
                self.query_one(f"#{name}", Input).value = "" if value is None else str(value)
            self.saved[name] = value if name == "sex" else ("" if value is None else str(value))
        if "estimated_age" in fields and self.ctx.date_of_birth is None:
            self.ctx.age = fields["estimated_age"]

    def fill(self, patient: dict[str, Any] | None) -> None:
        """Show a stored patient (when reopening an encounter, or after accepting values)."""
        if not patient:
            return
        from datetime import date

        self.ctx.patient_id = patient["id"]
        for name in TEXT_FIELDS:
            value = patient.get(name)
            if name == "date_of_birth" and value:
                value = date.fromisoformat(value).strftime("%d/%m/%Y")
            self.query_one(f"#{name}", Input).value = "" if value is None else str(value)
        self.query_one("#sex", Choice).value = patient.get("sex")
        if patient.get("date_of_birth"):
            self.ctx.date_of_birth = date.fromisoformat(patient["date_of_birth"])
        self.ctx.sex = patient.get("sex")
        self.ctx.medications = str(patient.get("medications") or "")
        self.saved = self.values()

