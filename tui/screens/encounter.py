"""The patient record (ePRF): one screen, one tab per part; Enter, Ctrl+S or leaving the tab
saves each part.

F2 patient · F3 incident · F4 observations · F5 triage · F6 treatment · F7 notes and close ·
F8 handover, F9 correct an entry (original kept), Ctrl+G match an unknown patient.
Leaving a tab (F-key or click), the record (Escape) or the app (Ctrl+Q) saves what is typed
as Ctrl+S would; input that is refused keeps you on its tab with the reason at the field.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static, TabbedContent, TabPane

from appliance.errors import LifeboatError
from appliance.records import age
from appliance.records.clock import Clock, system_clock
from appliance.session import Session
from tui.lock_park import ShowsPatientData
from tui.screens.encounter_actions import RecordActions
from tui.screens.encounter_keys import key_line
from tui.widgets.encounter_context import EncounterContext, Saved
from tui.widgets.field_row import ORDERED_FIELD_BINDINGS, ORDERED_FOCUS_BINDINGS
from tui.widgets.incident_form import IncidentForm
from tui.widgets.notes_close import Accepted, NotesClosePanel
from tui.widgets.observations import ObservationsPanel
from tui.widgets.patient_form import PatientForm
from tui.widgets.record_header import header_text
from tui.widgets.record_tabs import RecordTabs
from tui.widgets.status_bar import StatusBar
from tui.widgets.treatment import TreatmentPanel
from tui.widgets.triage_panel import TriagePanel

TABS = {"f2": ("patient", "#family_name"), "f3": ("incident", "#kind"),
        "f4": ("obs", "#respiratory_rate"), "f5": ("triage", "#triage-complaint"),
        "f6": ("treatment", "#tx-kind"), "f7": ("close", "#note")}


class EncounterScreen(ShowsPatientData, RecordActions):
    CSS_PATH = "encounter.tcss"
    # Keys that move focus or read the form are priority bindings: they act as the key is
    # dequeued, in typing order, before later keys are routed (see field_row).
    BINDINGS = [
        *ORDERED_FOCUS_BINDINGS,
        Binding("f2", "tab('f2')", "Patient", priority=True),
        Binding("f3", "tab('f3')", "Incident", priority=True),
        Binding("f4", "tab('f4')", "Obs", priority=True),
        Binding("f5", "tab('f5')", "Triage", priority=True),
        Binding("f6", "tab('f6')", "Treatment", priority=True),
        Binding("f7", "tab('f7')", "Notes/close", priority=True),
        Binding("f8", "handover", "Handover"),
        Binding("f9", "amend", "Correct", priority=True),
        Binding("ctrl+g", "match_patient", "Match", priority=True),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("enter", "submit", "Save", show=False, priority=True),
        # Before the fields' own keys: in a text field Ctrl+E would be end-of-line (End is).
        Binding("ctrl+e", "close_encounter", "Close", show=False, priority=True),
        Binding("escape", "back", "Back"),
        *ORDERED_FIELD_BINDINGS,  # after Enter-to-save: a field's own keys, in typing order
    ]

    def __init__(self, session: Session, encounter_id: str | None = None,
                 clock: Clock = system_clock) -> None:
        super().__init__(EncounterContext(session, encounter_id, clock),
                         "obs" if encounter_id else "patient")
        self._triage_stale = False
        self._styled_theme: str | None = None  # set by bind(): a spare's first show

    def fresh_copy(self) -> EncounterScreen:
        return EncounterScreen(self.ctx.session, self.ctx.encounter_id, self.ctx.clock)

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static(self._header(None), id="enc-header")
        # An existing record opens on its observations: drawn first, not after the patient tab.
        with RecordTabs(id="enc-tabs", initial="obs" if self.ctx.encounter_id else "patient"):
            with TabPane("F2 Patient", id="patient"):
                yield PatientForm(self.ctx, id="patient-form")
            with TabPane("F3 Incident", id="incident"):
                yield IncidentForm(self.ctx, id="incident-form")
            with TabPane("F4 Obs", id="obs"):
                yield ObservationsPanel(self.ctx, id="obs-panel")
            with TabPane("F5 Triage", id="triage"):
                yield TriagePanel(self.ctx, self._latest_vitals, id="triage-panel")
            with TabPane("F6 Treatment", id="treatment"):
                yield TreatmentPanel(self.ctx, id="treatment-panel")
            with TabPane("F7 Notes/close", id="close"):
                yield NotesClosePanel(self.ctx, id="close-panel")
        yield Static(key_line("obs" if self.ctx.encounter_id else "patient"), id="enc-keys")

    def on_mount(self) -> None:
        self.watch(self, "focused", self._show_keys, init=False)
        if self.ctx.encounter_id:
            self._show_stored()
        else:
            self._focus_first_field()

    def _focus_first_field(self) -> None:
        # A query, not query_one: a spare removed while composing (record_spare) may lack
        # its fields. bind() focuses again when a spare is taken.
        for field in self.query("#family_name"):
            self.set_focus(field)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual re-applies the stylesheet to every widget (~170, hidden tabs too) when a
        # screen is shown. A spare's first show needs none: it was styled as it was composed,
        # and class changes since restyled their own widgets. (A theme change meanwhile would
        # need it: then the refresh stays.)
        if self._styled_theme is not None and self._styled_theme == self.app.theme:
            event.refresh_styles = False
        if self._styled_theme is not None:
            self.query_one(StatusBar).catch_up()  # composed while the status moved on
        self._styled_theme = None

    def bind(self, encounter_id: str | None) -> None:
        """Open ``encounter_id`` in this composed, never-shown new record (record_spare)."""
        self._styled_theme = self.app.theme
        if encounter_id is None:
            self._focus_first_field()
            return
        assert self.ctx.encounter_id is None and not self.is_current, "a spare is used once"
        self.ctx.encounter_id = encounter_id
        self._show_stored()

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        if message.section == "complaint":  # typed on the triage tab, saved as it was left
            self.query_one(IncidentForm).take({"presenting_complaint": message.detail})
        if message.section in ("patient", "triage", "incident", "complaint", "observation"):
            self._refresh_header()  # an observation set may change the engine's priority
        if message.section == "incident":
            self.query_one(TriagePanel).query_one("#triage-complaint", Input).value = \
                self.ctx.complaint
        if message.section in ("observation", "patient", "incident"):
            self._refresh_triage()

    @on(Accepted)
    def _note_values(self, message: Accepted) -> None:
        """Values accepted from a note are in the record: show them where they belong."""
        a = message.accepted
        if a.patient_id:
            self.ctx.patient_id = a.patient_id
        self.query_one(PatientForm).take(a.patient)
        self.query_one(IncidentForm).take(a.encounter)
        if a.observation_id:
            rows = self.ctx.session.db.query("SELECT * FROM observations WHERE id = ?",
                                             (a.observation_id,))
            self.query_one(ObservationsPanel).add_set(rows[0])
        written = [*a.patient, *a.encounter] + (["observations"] if a.observation_id else [])
        kept = f" Kept as recorded: {', '.join(a.kept)}." if a.kept else ""
        self.notify(f"From the note, written: {', '.join(written) or 'nothing'}.{kept}")
        self._refresh_header()
        self._refresh_triage()

    def _refresh_triage(self) -> None:
        """Re-run triage now if its tab is in view, else when it is next shown (F5).

        Updating the hidden panel would slow every observation save.
        """
        self._triage_stale = self.query_one(TabbedContent).active != "triage"
        if not self._triage_stale:
            self.query_one(TriagePanel).refresh_result()

    def _latest_vitals(self) -> dict[str, Any]:
        panel = self.query_one(ObservationsPanel)
        vitals = panel.latest_vitals()
        if panel.sets and panel.sets[-1].get("pain_score") is not None:
            vitals["pain_score"] = panel.sets[-1]["pain_score"]
        return vitals

    # -- loading an existing encounter --------------------------------------------------------

    def _show_stored(self) -> None:
        """Read and fill the record (obs tab shown, first field focused) before the first
        frame: the read is quick, and a worker's result would wait behind a first, wasted
        render."""
        try:
            record = self.ctx.load()
        except LifeboatError as exc:
            self.notify(str(exc), severity="error")
            return
        self._fill(record)

    def _fill(self, record: dict[str, Any] | None, redraw: bool = False) -> None:
        if record is None:
            return
        if redraw:  # after a correction or a match: show the record as it now stands
            self._clear_lists()
        self.query_one(PatientForm).fill(record["patient"])
        if self.ctx.date_of_birth is None and record["patient"]:
            self.ctx.age = record["patient"].get("estimated_age")
        elif self.ctx.date_of_birth is not None:
            self.ctx.age = age.years(self.ctx.date_of_birth, self.ctx.clock().date())
        self.query_one(IncidentForm).fill(record["encounter"])
        obs = self.query_one(ObservationsPanel)
        for row in record["observations"]:
            obs.add_set(row)
        tx = self.query_one(TreatmentPanel)
        for row in record["interventions"]:
            tx.add_row(row)
        notes = self.query_one(NotesClosePanel)
        for row in record["notes"]:
            notes.add_note(row)
        notes.show_amendments(record["amendments"])
        triage = self.query_one(TriagePanel)
        triage.query_one("#triage-complaint", Input).value = self.ctx.complaint
        triage.refresh_result()
        self._enc = record["encounter"]
        self._refresh_header()
        if not redraw:
            self._show_pane("obs")
            self.set_focus(self.query_one("#respiratory_rate"))

    def _clear_lists(self) -> None:
        from textual.widgets import DataTable

        self.query_one(ObservationsPanel).clear_history()
        for table in self.query(DataTable):
            table.clear()
        self.query_one(NotesClosePanel)._notes.clear()

    def _redraw(self, changed: bool | None = True) -> None:
        if changed and self.ctx.encounter_id:
            self._fill(self.ctx.load(), redraw=True)

    # -- header -------------------------------------------------------------------------------

    def _header(self, enc: dict[str, Any] | None) -> Text:
        form = self.query_one_optional(PatientForm)  # None while composing
        return header_text(enc, str(form.saved.get("family_name") or "") if form else "",
                           self.ctx, self._engine_priority())

    def _engine_priority(self) -> dict[str, Any] | None:
        """The engine's priority as the board would show it: with observations recorded, or
        Immediate on the complaint alone."""
        panel = self.query_one_optional(TriagePanel)  # cached, unlike query()
        if panel is None:
            return None
        result = panel.result
        if result is None or getattr(self, "_triage_stale", False):
            from appliance.protocols.active_rules import active_ruleset
            from appliance.triage import assess

            try:  # the panel itself is redrawn only when its tab is shown
                result = assess(panel.case(), active_ruleset()).to_json()
            except LifeboatError:
                return None
        level = result["priority"]["level"]
        measured = self.query_one_optional(ObservationsPanel) is not None and \
            bool(self._latest_vitals())
        if level != 1 and not measured:
            return None
        return {"level": level, "name": result["priority"]["name"]}

    def _refresh_header(self) -> None:
        if self.ctx.encounter_id:
            from appliance.records import encounters

            self._enc = encounters.header(self.ctx.session, self.ctx.encounter_id)
        self.query_one("#enc-header", Static).update(self._header(getattr(self, "_enc", None)))

    # -- actions ------------------------------------------------------------------------------

    def action_tab(self, key: str) -> None:
        """F2-F7: save what is typed on this tab (as Ctrl+S would), then show the other one;
        refused input keeps focus here, its reason at the field."""
        pane, focus = TABS[key]
        if pane == self._pane:
            self.set_focus(self.query_one(focus))
            return

        def show() -> None:
            self._show_pane(pane)
            self.set_focus(self.query_one(focus))  # before the keys typed after the F-key

        self.save_pane(self._pane, show, self._stay)

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        shown, left = str(event.pane.id), self._pane
        if shown != left:  # a click on the tab strip: save the tab left, or go back to it
            self._pane = shown
            self.save_pane(left, lambda: None, self._back_to)
        self._show_keys()
        if shown == "triage" and self._triage_stale:
            self._refresh_triage()

    @on(TriagePanel.ResultShown)
    def _engine_changed(self) -> None:
        self.query_one("#enc-header", Static).update(self._header(getattr(self, "_enc", None)))

    def action_amend(self) -> None:
        """F9: correct a recorded entry; the original stays in the history."""
        if self.ctx.encounter_id is None:
            self.notify("Nothing recorded yet to correct.")
            return
        from tui.screens.amend import AmendScreen

        self.app.push_screen(AmendScreen(self.ctx.session, self.ctx.encounter_id),
                             self._redraw)

    def action_match_patient(self) -> None:
        """Ctrl+G on the patient tab: match an unknown patient (link, never merge)."""
        if self.query_one(TabbedContent).active != "patient":
            raise SkipAction
        if self.ctx.patient_id is None:
            self.notify("Save the patient first (blank name = unknown patient).")
            return
        from tui.screens.match_patient import MatchPatientScreen

        self.app.push_screen(MatchPatientScreen(self.ctx.session, self.ctx.patient_id),
                             self._redraw)
