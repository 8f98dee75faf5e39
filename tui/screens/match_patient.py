"""Match an unknown patient (Ctrl+G on the record's patient tab).

Type an NHS number, or a surname (and date of birth), and Enter: patients already on this device
who could be this person are listed. Enter on one, then y, links the unknown record to them —
both records and their encounters stay; nothing is merged or deleted. When the person is not on
the device, Ctrl+R registers the typed details on this record instead. Dismisses with True when
the patient changed, so the record redraws.

When the patient is already linked, the screen shows to whom and offers to correct it: type why
the link is wrong, then pick the right person (change) or press Ctrl+N (remove). Both are
amendments: the old link stays in the history with who, when and why.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from appliance.errors import LifeboatError, ValidationError
from appliance.records import matching, patients
from appliance.records.clock import day_hhmm
from appliance.session import Session
from tui.lock_park import ShowsPatientData
from tui.widgets.field_row import FieldRow

FIELDS = (("nhs_number", "NHS number", "10 digits", r"[0-9 ]*", 12),
          ("family_name", "Surname", "", None, 0),
          ("date_of_birth", "Date of birth", "31/12/1950", r"[0-9/.\-]*", 10))


def describe(row: dict[str, Any]) -> Text:
    """'SMITH, Ann · 02/03/1954 · NHS 943 476 5919 · F' for a result line."""
    from datetime import date

    text = Text(f"{(row.get('family_name') or '').upper()}", style="bold")
    if row.get("given_name"):
        text.append(f", {row['given_name']}")
    if row.get("date_of_birth"):
        text.append(f" · {date.fromisoformat(row['date_of_birth']):%d/%m/%Y}")
    elif row.get("estimated_age") is not None:
        text.append(f" · ~{row['estimated_age']} y")
    if row.get("nhs_number"):
        n = row["nhs_number"]
        text.append(f" · NHS {n[:3]} {n[3:6]} {n[6:]}")
    if row.get("sex"):
        text.append(f" · {row['sex']}")
    return text


class MatchPatientScreen(ShowsPatientData, ModalScreen[bool]):
    CSS_PATH = "match_patient.tcss"
    BINDINGS = [Binding("escape", "leave", "Back"),
                Binding("ctrl+r", "register", "Register details", priority=True),
                Binding("ctrl+n", "remove_link", "Remove link", priority=True)]

    def __init__(self, session: Session, patient_id: str) -> None:
        super().__init__()
        self.session = session
        self.patient_id = patient_id
        self.results: list[dict[str, Any]] = []
        self.changed = False
        self.linked: dict[str, Any] | None = None  # the known patient this one is linked to
        self._search_again = False

    def fresh_copy(self) -> MatchPatientScreen:
        fresh = MatchPatientScreen(self.session, self.patient_id)
        fresh.changed, fresh._search_again = self.changed, bool(self.results)
        return fresh

    def restored(self) -> None:
        """After a lock: the candidates listed before it, searched again from the store."""
        if self._search_again:
            self.search()

    def compose(self) -> ComposeResult:
        with Vertical(id="match-box"):
            yield Static("Match an unknown patient (link, never merge)", id="match-title")
            yield Static("", id="match-state")
            yield FieldRow("Reason", Input(placeholder="why the link is wrong (required)",
                                           id="m-reason", max_length=200, compact=True),
                           id="row-m-reason")
            for name, label, placeholder, restrict, length in FIELDS:
                yield FieldRow(label, Input(placeholder=placeholder, id=f"m-{name}",
                                            restrict=restrict, max_length=length,
                                            compact=True), id=f"row-m-{name}")
            yield OptionList(id="match-results")
            yield Static(" Enter search/link · ^R register these details · Esc back",
                         id="match-keys")

    def on_mount(self) -> None:
        patient = patients.get(self.session, self.patient_id) or {}
        state = self.query_one("#match-state", Static)
        self.query_one("#row-m-reason").display = bool(patient.get("linked_to"))
        if patient.get("linked_to"):
            self.linked = patients.get(self.session, patient["linked_to"]) or {
                "id": patient["linked_to"]}
            self._show_link(state)
            self.query_one("#match-title", Static).update(
                "Correct this patient's link (the old link is kept in the history)")
            self.query_one("#match-keys", Static).update(
                " Reason, then search and Enter on the right person to change the link · "
                "^N remove it · Esc back")
            self.set_focus(self.query_one("#m-reason"))
            return
        if not patient.get("unknown"):
            state.update(Text.assemble("Already identified: ", describe(patient)))
        else:
            state.update("Unknown patient: search for who they are")
        self.set_focus(self.query_one("#m-nhs_number"))

    def _show_link(self, state: Static) -> None:
        assert self.linked is not None
        text = Text.assemble(("Linked to ", "bold"), describe(self.linked))
        history = matching.link_history(self.session, self.patient_id)
        if history:
            last = history[-1]
            text.append(f"\nLink corrected {len(history)}×, last {day_hhmm(last['amended_at'])} "
                        f"by {last.get('amended_by_name') or '?'}: {last['reason']}",
                        style="dim")
        state.update(text)

    def _typed(self) -> dict[str, str]:
        return {n: self.query_one(f"#m-{n}", Input).value.strip() for n, *_ in FIELDS}

    def _error(self, name: str | None, message: str | None) -> None:
        for n in (*(f[0] for f in FIELDS), "reason"):
            if name is None or n == name:
                self.query_one(f"#row-m-{n}", FieldRow).set_error(message)
        if name is not None and message:
            self.set_focus(self.query_one(f"#m-{name}"))

    def _reason(self) -> str | None:
        """The typed reason for correcting the link, or None (said at the field)."""
        reason = self.query_one("#m-reason", Input).value.strip()
        if not reason:
            self._error("reason", "Say why the link is wrong.")
            return None
        return reason

    def _clean(self, typed: dict[str, str]) -> dict[str, Any] | None:
        """The typed details checked as a first entry (message at the field), or None."""
        try:
            return patients.clean_demographics(typed)
        except ValidationError as exc:
            self._error(exc.field if exc.field in typed else "nhs_number", exc.message)
            return None

    @on(Input.Changed)
    def _typing(self, event: Input.Changed) -> None:
        self.query_one(f"#row-{event.input.id}", FieldRow).set_error(None)

    @on(Input.Submitted)
    def search(self, event: Input.Submitted | None = None) -> None:
        """List the known patients who could be this person."""
        if event is not None and event.input.id == "m-reason":
            self.set_focus(self.query_one("#m-nhs_number"))  # the reason comes first
            return
        clean = self._clean(self._typed())
        if clean is None:
            return
        try:
            self.results = matching.candidates(
                self.session, nhs=clean.get("nhs_number"), family_name=clean.get("family_name"),
                date_of_birth=clean.get("date_of_birth"))
        except ValidationError as exc:
            self._error("nhs_number" if exc.field == "query" else exc.field, exc.message)
            return
        self.results = [r for r in self.results if r["id"] != self.patient_id
                        and r["id"] != (self.linked or {}).get("id")]
        box = self.query_one("#match-results", OptionList)
        box.clear_options()
        if not self.results:
            box.add_option(Option(Text("No one on this device matches: Ctrl+R registers "
                                       "these details", style="dim"), disabled=True))
            return
        for row in self.results:
            box.add_option(Option(describe(row)))
        box.highlighted = 0
        self.set_focus(box)

    @on(OptionList.OptionSelected, "#match-results")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        known = self.results[event.option_index]
        from tui.screens.confirm import ConfirmScreen

        if self.linked is not None:
            reason = self._reason()
            if reason is None:
                return
            question = Text.assemble("Change the link from ", describe(self.linked), " to ",
                                     describe(known), "? The old link stays in the history.")
            act = partial(self._correct, known, reason)
        else:
            question = Text.assemble("Link this unknown patient to ", describe(known),
                                     "? Both records stay; nothing is merged or deleted.")
            act = partial(self._link, known)

        def answer(yes: bool | None) -> None:
            if yes:
                act()

        self.app.push_screen(ConfirmScreen(question.plain), answer)

    def action_remove_link(self) -> None:
        """Ctrl+N: this patient is not the person they were linked to."""
        if self.linked is None:
            self.notify("This patient is not linked to anyone.")
            return
        reason = self._reason()
        if reason is None:
            return
        from tui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self._correct(None, reason)

        self.app.push_screen(ConfirmScreen(Text.assemble(
            "Remove the link to ", describe(self.linked), "? Both records stay; the old link "
            "stays in the history.").plain), answer)

    def _correct(self, known: dict[str, Any] | None, reason: str) -> None:
        """Change the link to ``known``, or remove it (None), as an amendment."""
        try:
            if known is None:
                matching.remove_link(self.session, self.patient_id, reason)
            else:
                matching.change_link(self.session, self.patient_id, known["id"], reason)
        except ValidationError as exc:
            if exc.field == "reason":
                self._error("reason", exc.message)
            else:
                self.notify(str(exc), severity="error", timeout=8)
            return
        except LifeboatError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.notify("Link removed." if known is None else
                    f"Link changed to {(known.get('family_name') or '').upper()}.")
        self.dismiss(True)

    def _link(self, known: dict[str, Any]) -> None:
        try:
            matching.link(self.session, self.patient_id, known["id"])
        except LifeboatError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.notify(f"Linked to {(known.get('family_name') or '').upper()}.")
        self.dismiss(True)

    def action_register(self) -> None:
        """Ctrl+R: the person is not on the device — put the typed details on this record."""
        typed = self._typed()
        if not (typed["nhs_number"] or typed["family_name"]):
            self._error("family_name", "Type at least a surname or an NHS number.")
            return
        clean = self._clean(typed)
        if clean is None:
            return
        try:
            patients.update(self.session, self.patient_id,
                            **{k: v for k, v in clean.items() if v})
        except LifeboatError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.notify(f"Patient identified: {(clean.get('family_name') or '').upper()}.")
        self.dismiss(True)

    def action_leave(self) -> None:
        self.dismiss(self.changed)
