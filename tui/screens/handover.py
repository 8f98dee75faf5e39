"""Handover: ATMIST or SBAR built from the record; review, edit a line, sign, export.

Where the assistant is ready and IT has switched it on (``[assistant] handover_wording``; off by
default because it is too slow on the target laptop), m lets it tidy the wording of record lines
(in a worker; the deterministic check in ``appliance.assistant.handover_wording`` keeps the
recorded line whenever a fact would change). Model lines are marked MODEL under a banner, show
the recorded text beneath when highlighted, can be edited or put back (r), and signing them asks
for a check first.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Static

from appliance.assistant.handover_wording import HandoverWording
from appliance.errors import LifeboatError
from appliance.records import handover
from appliance.records.clock import Clock, system_clock
from appliance.session import Session
from tui import context
from tui.lock_park import ShowsPatientData
from tui.screens.confirm import leave
from tui.screens.path_prompt import PathPrompt
from tui.widgets.status_bar import StatusBar

SOURCE_MARKS = {"record": "", "edited": "edited", "model": "MODEL"}
TEXT_MARGIN = 2 + 14 + 6 + 4 * 2 + 2  # the other columns, cell padding and the scrollbar
MODEL_STYLE = "bold #FFA500"  # the assistant screen's warning colour: check before trusting
BANNER = ("MODEL lines were reworded by the local assistant ({model}). Check each against "
          "the record before signing: r puts the highlighted line back as recorded, Enter "
          "edits it.")


class HandoverScreen(ShowsPatientData, Screen[None]):
    CSS_PATH = "handover.tcss"
    BINDINGS = [Binding("escape", "leave", "Back"),
                Binding("enter", "edit", "Edit line"),
                Binding("r", "revert", "As recorded"),
                Binding("s", "sign", "Sign"),
                Binding("x", "export", "Export"),
                Binding("j", "export_fhir", "FHIR"),
                Binding("f", "switch_format", "ATMIST/SBAR"),
                Binding("m", "smooth", "Assistant wording")]

    def __init__(self, session: Session, encounter_id: str, clock: Clock = system_clock) -> None:
        super().__init__()
        self.session = session
        self.encounter_id = encounter_id
        self.clock = clock
        self.handover: handover.Handover | None = None
        self.smoothing: HandoverWording | None = None
        self.signed: handover.Handover | None = None
        self.format: str | None = None  # None: ATMIST for trauma, SBAR otherwise
        self._carried: handover.Handover | None = None

    def fresh_copy(self) -> HandoverScreen:
        """The same handover, with wording edited and not yet signed (kept in memory, as this
        screen keeps it, not in any widget, while the copy is unmounted)."""
        fresh = HandoverScreen(self.session, self.encounter_id, self.clock)
        fresh.format, fresh.signed, fresh._carried = self.format, self.signed, self.handover
        return fresh

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("Handover — building from the record…", id="ho-title")
        yield Static("", id="ho-banner")
        yield DataTable(id="ho-lines", cursor_type="row")
        yield Static("", id="ho-recorded")
        yield Static("Facts from the record only. Enter edits a line, r puts it back as "
                     "recorded; s signs it into the record; x exports a text file and a "
                     "print-ready page, j the record as FHIR; f switches ATMIST/SBAR.",
                     id="ho-help")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#ho-banner").display = False
        self.query_one("#ho-recorded").display = False
        if self._carried is not None:
            self._show(self._carried)
            self._carried = None
        else:
            self._build()

    def has_unsaved_input(self) -> bool:
        """Edited or reworded lines not yet signed (the app asks before quitting)."""
        h = self.handover
        return (h is not None and h != self.signed
                and any(line.source != "record" for line in h.lines))

    def action_leave(self) -> None:
        leave(self, self.has_unsaved_input(),
              "Your changes to the handover wording are not signed yet. Leave and lose them?")

    def on_unmount(self) -> None:
        if self.smoothing is not None:  # leaving: stop the model at its next token
            self.smoothing.cancel.set()

    @work(thread=True, exclusive=True, group="ho-build")
    def _build(self) -> None:
        from appliance.records import encounters

        record = encounters.detail(self.session, self.encounter_id)
        h = handover.generate(record, self.clock(), self.format)
        self.app.call_from_thread(self._show, h)

    def _show(self, h: handover.Handover) -> None:
        self.handover = h
        self.query_one("#ho-title", Static).update(f"{h.format} handover — {h.patient}")
        banner = self.query_one("#ho-banner", Static)
        banner.display = h.has_model_lines
        if h.has_model_lines:
            banner.update(Text(BANNER.format(model=(h.model or {}).get("model", "?")),
                               style=MODEL_STYLE))
        table = self.query_one("#ho-lines", DataTable)
        row = table.cursor_row
        # The text column gets a fixed width so long lines wrap: a line cut off at the screen's
        # edge would hide facts (e.g. the last observations at 80 columns).
        table.clear(columns=True)
        table.add_column("", width=2)
        table.add_column("Item", width=14)
        table.add_column("Text", key="text", width=max(20, table.size.width - TEXT_MARGIN))
        table.add_column("", width=6)
        for line in h.lines:
            model = line.model_written
            table.add_row(line.section, line.label,
                          Text(line.text, style="italic" if model else ""),
                          Text(SOURCE_MARKS[line.source], style=MODEL_STYLE if model else ""),
                          height=None)
        table.move_cursor(row=row)
        table.focus()
        self._show_recorded(row)

    def action_switch_format(self) -> None:
        """f: the same facts as ATMIST or as SBAR, for any patient."""
        if self._busy():
            return
        assert self.handover is not None
        if self.has_unsaved_input():
            self.notify("Sign the handover, or put back (r) the changed lines, before "
                        "switching format: changed wording would be lost.", severity="warning")
            return
        self.format = "SBAR" if self.handover.format == "ATMIST" else "ATMIST"
        self._build()

    def on_resize(self) -> None:
        if self.handover is not None:  # after layout, so the table has its new width
            self.call_after_refresh(self._show, self.handover)

    @on(DataTable.RowSelected, "#ho-lines")
    def _selected(self, _: DataTable.RowSelected) -> None:
        self.action_edit()  # the table's own Enter binding wins over the screen's

    @on(DataTable.RowHighlighted, "#ho-lines")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_recorded(event.cursor_row)

    def _show_recorded(self, index: int) -> None:
        """Under a changed line, the text the record gives, to check it against."""
        box = self.query_one("#ho-recorded", Static)
        line = (self.handover.lines[index] if self.handover is not None
                and 0 <= index < len(self.handover.lines) else None)
        box.display = line is not None and line.source != "record"
        if line is not None and line.source != "record":
            who = "the assistant" if line.model_written else "you"
            box.update(Text.assemble((f"{line.label} as recorded", "bold"),
                                     f" (reworded by {who}): {line.from_record}"))

    def _busy(self) -> bool:
        if self.smoothing is not None:
            self.notify("Wait: the assistant is still rewording the handover.")
            return True
        return self.handover is None

    def action_edit(self) -> None:
        if self._busy():
            return
        assert self.handover is not None
        index = self.query_one("#ho-lines", DataTable).cursor_row
        line = self.handover.lines[index]
        # A method, not a closure: a lock rebuilds this screen and the dialog's answer then
        # goes to the copy (tui.lock_park).
        self.app.push_screen(EditLineScreen(line.label, line.text), partial(self._edited, index))

    def _edited(self, index: int, text: str | None) -> None:
        if text is None or self.handover is None:
            return
        try:
            self._show(handover.edit(self.handover, index, text))
        except LifeboatError as exc:
            self.notify(str(exc), severity="error")

    def action_revert(self) -> None:
        """r: the highlighted line back to the text built from the record."""
        if self._busy():
            return
        assert self.handover is not None
        index = self.query_one("#ho-lines", DataTable).cursor_row
        if self.handover.lines[index].source == "record":
            self.notify("That line is already as recorded.")
            return
        self._show(handover.revert(self.handover, index))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """m exists only where the setting switches assistant wording on."""
        if action == "smooth":
            if not hasattr(self, "_wording"):
                self._wording = _wording_enabled(self.app)
            return self._wording
        return True

    def action_smooth(self) -> None:
        smoother = getattr(self.app, "handover_smoother", None)
        if smoother is None or self.handover is None:
            self.notify("The assistant is not present: the handover stays as recorded facts.")
            return
        if self._busy():
            return
        if not any(line.source == "record" for line in self.handover.lines):
            self.notify("Every line is already edited or reworded: r puts one back first.")
            return
        self.smoothing = smoother
        self._smooth(smoother, self.handover)

    @work(thread=True, exclusive=True, group="ho-smooth")
    def _smooth(self, smoother: HandoverWording, h: handover.Handover) -> None:
        total = sum(line.source == "record" for line in h.lines)

        def rewrite(text: str, label: str) -> str:
            self.app.call_from_thread(self._progress, f"{h.format} handover — the assistant "
                                      f"is rewording line {len(smoother.outcomes) + 1} of "
                                      f"{total}…")
            return smoother(text, label)

        new = handover.smooth(h, rewrite, smoother.provenance())
        self.app.call_from_thread(self._smoothed, new, smoother)

    def _progress(self, text: str) -> None:
        if self.is_attached:  # the clinician may have left meanwhile
            self.query_one("#ho-title", Static).update(text)

    def _smoothed(self, h: handover.Handover, smoother: HandoverWording) -> None:
        self.smoothing = None
        if not self.is_attached:
            return
        self._show(h)
        kept = len(smoother.outcomes) - smoother.reworded
        if not smoother.reworded:
            self.notify("The assistant's wording did not keep every fact of any line: the "
                        "handover stays as recorded.", timeout=8)
            return
        self.notify(f"The assistant reworded {smoother.reworded} line(s), marked MODEL: check "
                    f"them against the record. {kept} kept as recorded"
                    + (" (its wording would have changed a fact)." if smoother.refused else "."),
                    timeout=10)

    def action_sign(self) -> None:
        if self._busy():
            return
        h = self.handover
        assert h is not None
        model_lines = sum(line.model_written for line in h.lines)
        if not model_lines:
            self._sign(h)
            return
        from tui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self._sign(h)

        self.app.push_screen(ConfirmScreen(
            f"{model_lines} line(s) were reworded by the assistant (MODEL). Have you checked "
            "each against the record? Sign the handover as it stands?"), answer)

    @work(thread=True, exclusive=True, group="ho-save")
    def _sign(self, h: handover.Handover) -> None:
        try:
            handover.sign(self.session, h)
        except LifeboatError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.signed = h
        self.app.call_from_thread(self.notify, f"Handover signed by "
                                               f"{self.session.user.display_name}.")

    def action_export(self) -> None:
        """Ask where (a USB stick when one is mounted), refusing the device's own files."""
        from appliance.exports import check_export_folder, default_folder

        if self._busy():
            return
        assert self.handover is not None
        h, root = self.handover, self.session.device.layout.root

        def chosen(folder: str | None) -> None:
            if folder:
                self._export(h, Path(folder).expanduser())

        self.app.push_screen(PathPrompt(
            "Write the handover (.txt and a print-ready .html, plain text: they are deleted "
            "once they expire) to the folder:", str(default_folder(root)),
            lambda p: check_export_folder(root, p)), chosen)

    @work(thread=True, exclusive=True, group="ho-save")
    def _export(self, h: handover.Handover, folder: Path) -> None:
        try:
            txt, page = handover.export(self.session, h, folder)
        except LifeboatError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.notify, f"Exported {txt.name} and {page.name} to "
                                               f"{txt.parent}", timeout=10)


    def action_export_fhir(self) -> None:
        """j: the record as a FHIR Bundle (JSON), to a folder chosen as for the handover."""
        from appliance.exports import check_export_folder, default_folder

        root = self.session.device.layout.root

        def chosen(folder: str | None) -> None:
            if folder:
                self._export_fhir(Path(folder).expanduser())

        self.app.push_screen(PathPrompt(
            "Write the record as FHIR (a .json Bundle, plain patient data: deleted once it "
            "expires) to the folder:", str(default_folder(root)),
            lambda p: check_export_folder(root, p)), chosen)

    @work(thread=True, exclusive=True, group="ho-save")
    def _export_fhir(self, folder: Path) -> None:
        from sync.device_fhir import export_encounter

        try:
            path = export_encounter(self.session, self.encounter_id, folder)
        except LifeboatError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.notify, f"Exported {path.name} to {path.parent}",
                                  timeout=10)


class EditLineScreen(ShowsPatientData, ModalScreen[str | None]):
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

    def fresh_copy(self) -> EditLineScreen:
        return EditLineScreen(self.label, self.text)  # what was typed is put back after

    def compose(self) -> ComposeResult:
        # The cursor starts at the end with nothing selected: a first key press must not wipe
        # the recorded facts (Ctrl+U clears the line on purpose).
        box = Input(self.text, id="line", select_on_focus=False)
        box.border_title = f"{self.label} — Enter keeps it · Esc cancels · Ctrl+U clears"
        yield box

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


def _wording_enabled(app: App[object]) -> bool:
    from appliance import config

    try:
        lay = context.device(app).layout
        return bool(config.load(lay.config).assistant.handover_wording)
    except (LifeboatError, OSError):  # nobody signed in, or an unreadable settings file
        return False
