"""Treatment: drugs and procedures with dose, unit, route, time and who gave them.

The drug name is completed from the common-drug list (→ accepts), which also fills in the usual
unit and route; a dose with no unit is refused at the field.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from appliance.errors import LifeboatError, ValidationError
from appliance.records import interventions
from appliance.records.clock import parse_local_time
from tui.widgets.choice import Choice
from tui.widgets.encounter_context import EncounterContext, Saved
from tui.widgets.field_row import FieldRow, after_queued_keys

KIND_OPTIONS = [("d", "drug", "drug"), ("p", "procedure", "procedure")]
FIELDS = ("tx-name", "tx-dose", "tx-unit", "tx-route", "tx-time", "tx-by")


class TreatmentPanel(Vertical):
    """One entry form and the list of what has been given; Enter saves the entry."""

    def __init__(self, ctx: EncounterContext, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        names = [d.name for d in interventions.COMMON_DRUGS] + \
            list(interventions.COMMON_PROCEDURES)
        yield FieldRow("Kind", Choice(KIND_OPTIONS, value="drug", id="tx-kind"))
        yield FieldRow("Name", Input(placeholder="type, → to accept", id="tx-name",
                                     suggester=SuggestFromList(names, case_sensitive=False),
                                     compact=True), id="row-name")
        yield FieldRow("Dose", Input(placeholder="300", id="tx-dose", restrict=r"[0-9.]*",
                                     compact=True), id="row-dose")
        yield FieldRow("Unit", Input(placeholder=" ".join(interventions.DOSE_UNITS[:5]),
                                     id="tx-unit", compact=True,
                                     suggester=SuggestFromList(interventions.DOSE_UNITS)),
                       id="row-dose_unit")
        yield FieldRow("Route", Input(placeholder=" ".join(list(interventions.ROUTES)[:6]),
                                      id="tx-route", compact=True,
                                      suggester=SuggestFromList(list(interventions.ROUTES),
                                                                case_sensitive=False)),
                       id="row-route")
        yield FieldRow("Time", Input(placeholder="blank = now, or 14:05", id="tx-time",
                                     compact=True), id="row-given_at")
        yield FieldRow("Given by", Input(placeholder="blank = you", id="tx-by", compact=True))
        table: DataTable[str] = DataTable(id="tx-table", cursor_type="row")
        table.add_columns("Time", "Given", "By")
        yield table
        yield Static("Enter saves the entry", classes="hint")

    def has_unsaved_input(self) -> bool:
        return any(self.query_one(f"#{f}", Input).value.strip() for f in FIELDS)

    def unsaved(self, typed: dict[str, Any]) -> bool:
        """True when ``typed`` (the entry read in key order) holds anything but the kind."""
        return any(str(typed.get(f) or "").strip() for f in FIELDS)

    def save_typed(self, typed: dict[str, Any]) -> bool:
        """Save the entry as read in key order (leaving the tab); False when refused."""
        return self.save(typed)

    def on_mount(self) -> None:
        self.watch(self.screen, "focused", self._focus_moved, init=False)

    def _focus_moved(self, old: Widget | None, new: Widget | None) -> None:
        """Leaving the name fills in the drug's usual unit and route.

        Watched on the screen, not on the name's Blurred message: that arrives after the keys
        typed behind Tab (a dose, Enter), and the first Enter found no unit yet. This runs as
        Tab moves focus; the name is read behind its queued keys and later keys wait for it.
        """
        name = self.query_one("#tx-name", Input)
        if old is name and new is not name:
            after_queued_keys([name], lambda typed: self._prefill(typed["tx-name"]))

    def _prefill(self, name: str) -> None:
        drug = interventions.find_drug(name)
        if drug is None:
            return
        for field, value in (("#tx-unit", drug.unit), ("#tx-route", drug.route)):
            box = self.query_one(field, Input)
            if not box.value:
                box.value = value

    def save(self, snapshot: dict[str, Any] | None = None) -> bool:
        """Validate the entry, naming the bad field; save it at once when it is right.

        ``snapshot`` is the entry read in key order (``field_row.after_queued_keys``).
        """
        if snapshot is None:
            snapshot = {f: self.query_one(f"#{f}", Input).value for f in FIELDS}
            snapshot["tx-kind"] = self.query_one("#tx-kind", Choice).value
        typed = {f: str(snapshot.get(f) or "") for f in FIELDS}
        values = {f: v.strip() for f, v in typed.items()}
        kind = snapshot.get("tx-kind") or "drug"
        for row in self.query(FieldRow):
            row.set_error(None)
        try:
            given_at = (parse_local_time(values["tx-time"], self.ctx.clock(), "given_at")
                        .isoformat() if values["tx-time"] else None)
            fields = interventions.clean_intervention(
                kind, values["tx-name"], values["tx-dose"] or None, values["tx-unit"] or None,
                values["tx-route"] or None, given_at, values["tx-by"] or None)
        except ValidationError as exc:
            rows = {r.id: r for r in self.query(FieldRow) if r.id}
            row = rows.get(f"row-{exc.field}")
            if row is not None:
                row.set_error(exc.message)
                self.screen.set_focus(row.control)
            else:
                self.app.notify(exc.message, severity="error")
            return False
        ctx = self.ctx

        def work(encounter_id: str) -> dict[str, Any]:
            iid = interventions.record(
                ctx.session, encounter_id, fields["kind"], fields["name"],
                dose=fields.get("dose"), dose_unit=fields.get("dose_unit"),
                route=fields.get("route"), given_at=fields["given_at"],
                given_by=fields.get("given_by"))
            return ctx.session.db.query("SELECT * FROM interventions WHERE id = ?", (iid,))[0]

        # Cleared and back to Kind now, not when the write is done: keys typed after Enter
        # wait until this has run (field_row.KeyGate) and start the next entry.
        for f in FIELDS:
            box = self.query_one(f"#{f}", Input)
            if box.value.startswith(typed[f]):
                box.value = box.value[len(typed[f]):]
        self.screen.set_focus(self.query_one("#tx-kind", Choice))  # the form's first field

        def done(row: dict[str, Any]) -> None:
            self.add_row(row)
            self.app.notify(f"Saved: {interventions.describe(row)}")
            self.post_message(Saved("intervention", row))

        def failed(_: LifeboatError) -> None:
            for f in FIELDS:  # not saved: what was typed comes back
                box = self.query_one(f"#{f}", Input)
                if not box.value:
                    box.value = typed[f]

        ctx.submit(work, done, failed)
        return True

    def add_row(self, row: dict[str, Any]) -> None:
        from appliance.records.clock import hhmm

        text = interventions.describe({**row, "given_by": None, "given_at": None}).strip()
        self.query_one("#tx-table", DataTable).add_row(hhmm(row["given_at"]), text,
                                                       row.get("given_by") or "")
