"""Handover: ATMIST or SBAR built from the record; review, edit a line, sign, export."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Static

from appliance.errors import LifeboatError
from appliance.records import handover
from appliance.records.clock import Clock, system_clock
from appliance.session import Session
from tui.widgets.status_bar import StatusBar

SOURCE_MARKS = {"record": "", "edited": "edited", "model": "MODEL"}


class HandoverScreen(Screen[None]):
    CSS_PATH = "handover.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"),
                Binding("enter", "edit", "Edit line"), Binding("s", "sign", "Sign"),
                Binding("x", "export", "Export .txt/.html"),
                Binding("m", "smooth", "Assistant wording", show=False)]

    def __init__(self, session: Session, encounter_id: str, clock: Clock = system_clock) -> None:
        super().__init__()
        self.session = session
        self.encounter_id = encounter_id
        self.clock = clock
        self.handover: handover.Handover | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("Handover — building from the record…", id="ho-title")
        table: DataTable[str] = DataTable(id="ho-lines", cursor_type="row")
        table.add_column("", width=2)
        table.add_column("Item", width=14)
        table.add_column("From the record", key="text")
        table.add_column("", width=6)
        yield table
        yield Static("Facts from the record only. Enter edits a line; s signs it into the record; "
                     "x exports a text file and a print-ready page.", id="ho-help")
        yield Footer()

    def on_mount(self) -> None:
        self._build()

    @work(thread=True, exclusive=True)
    def _build(self) -> None:
        from appliance.records import encounters

        record = encounters.detail(self.session, self.encounter_id)
        h = handover.generate(record, self.clock())
        self.app.call_from_thread(self._show, h)

    def _show(self, h: handover.Handover) -> None:
        self.handover = h
        self.query_one("#ho-title", Static).update(f"{h.format} handover — {h.patient}")
        table = self.query_one("#ho-lines", DataTable)
        row = table.cursor_row
        table.clear()
        for line in h.lines:
            table.add_row(line.section, line.label, line.text, SOURCE_MARKS[line.source],
                          height=None)
        table.move_cursor(row=row)
        table.focus()

    def action_edit(self) -> None:
        if self.handover is None:
            return
        index = self.query_one("#ho-lines", DataTable).cursor_row
        line = self.handover.lines[index]

        def edited(text: str | None) -> None:
            if text is None or self.handover is None:
                return
            try:
                self._show(handover.edit(self.handover, index, text))
            except LifeboatError as exc:
                self.notify(str(exc), severity="error")

        self.app.push_screen(EditLineScreen(line.label, line.text), edited)

    def action_smooth(self) -> None:
        smoother = getattr(self.app, "handover_smoother", None)
        if smoother is None or self.handover is None:
            self.notify("The assistant is not present: the handover stays as recorded facts.")
            return
        self._smooth(smoother)

    @work(thread=True, exclusive=True)
    def _smooth(self, smoother: object) -> None:
        assert self.handover is not None
        h = handover.smooth(self.handover, smoother)  # type: ignore[arg-type]
        self.app.call_from_thread(self._show, h)

    def action_sign(self) -> None:
        if self.handover is not None:
            self._sign(self.handover)

    @work(thread=True, exclusive=True, group="ho-save")
    def _sign(self, h: handover.Handover) -> None:
        try:
            handover.sign(self.session, h)
        except LifeboatError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.notify, f"Handover signed by "
                                               f"{self.session.user.display_name}.")

    def action_export(self) -> None:
        if self.handover is not None:
            self._export(self.handover)

    @work(thread=True, exclusive=True, group="ho-save")
    def _export(self, h: handover.Handover) -> None:
        try:
            txt, page = handover.export(self.session, h)
        except LifeboatError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.notify, f"Exported {txt.name} and {page.name} to "
                                               f"{txt.parent}", timeout=10)


class EditLineScreen(ModalScreen[str | None]):
    """Edit one handover line; Enter keeps it, Escape cancels."""

    DEFAULT_CSS = """
    EditLineScreen { align: center middle; }
    EditLineScreen > Input { width: 90%; border: heavy $primary; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, label: str, text: str) -> None:
        super().__init__()
        self.label = label
        self.text = text

    def compose(self) -> ComposeResult:
        box = Input(self.text, id="line")
        box.border_title = f"{self.label} — Enter keeps it, Escape cancels"
        yield box

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)
