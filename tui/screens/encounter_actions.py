"""The screens the record opens over itself (a protocol, the assistant, a triage override, the
handover) and closing the record (Ctrl+E).

``EncounterScreen`` (encounter.py) builds on this.
"""

from __future__ import annotations

from textual import on

from appliance.errors import LifeboatError
from tui.screens.encounter_saving import RecordSaving
from tui.widgets.notes_close import NotesClosePanel
from tui.widgets.triage_panel import TriagePanel


class RecordActions(RecordSaving):
    """What the triage panel asks for, the handover (F8) and closing the record (Ctrl+E)."""

    # -- screens the triage panel asks for ----------------------------------------------------

    @on(TriagePanel.OpenProtocol)
    def _open_protocol(self, message: TriagePanel.OpenProtocol) -> None:
        from tui.screens.protocols import open_protocol

        open_protocol(self.app, message.protocol)

    @on(TriagePanel.AskAssistant)
    def _ask_assistant(self, message: TriagePanel.AskAssistant) -> None:
        from tui.screens.assistant import AssistantScreen

        self.app.push_screen(AssistantScreen(message.encounter_id, triage=message.triage,
                                             patient_age_years=message.age))

    @on(TriagePanel.OverrideAsked)
    def _override(self, message: TriagePanel.OverrideAsked) -> None:
        from tui.screens.override import OverrideScreen

        self.app.push_screen(OverrideScreen(message.level), message.decided)

    def action_handover(self) -> None:
        if self.ctx.encounter_id is None:
            self.notify("Record something first: the handover is built from the record.")
            return
        from tui.screens.handover import HandoverScreen

        self.app.push_screen(HandoverScreen(self.ctx.session, self.ctx.encounter_id,
                                            self.ctx.clock))

    # -- closing the record -------------------------------------------------------------------

    def action_close_encounter(self) -> None:
        """Ctrl+E: save what is typed (leaving the record), then ask to close it."""
        self.save_panes(self.panes_to_save(), lambda: self._when_written(self._ask_close),
                        self._stay)

    def _ask_close(self) -> None:
        if self.ctx.encounter_id is None:
            self.notify("Nothing recorded yet: Escape to leave.")
            return
        self._show_pane("close")
        try:
            disposition = self.query_one(NotesClosePanel).disposition()
        except LifeboatError:
            return
        from tui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self._close(disposition)

        self.app.push_screen(ConfirmScreen(f"Close this record: {disposition}? It leaves the "
                                           "board (nothing is deleted)."), answer)

    def _close(self, disposition: str) -> None:
        ctx = self.ctx

        def job(encounter_id: str) -> None:
            from appliance.records import encounters

            encounters.close(ctx.session, encounter_id, disposition)

        def done(_: None) -> None:
            self.closed = True
            self.notify(f"Record closed: {disposition}.")
            self.app.pop_screen()

        self._submit(job, done)
