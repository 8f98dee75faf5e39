"""Major-incident triage: Ten Second Triage or the Triage Sieve, one question per key press,
with the casualty tally for the METHANE report.

y / n answer; numbers are typed then Enter (s skips one you cannot measure); u takes back the
last answer; Space starts the next casualty; t switches TST ↔ Sieve; m shows the METHANE report.
Each result is counted as soon as it is reached.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from appliance.errors import LifeboatError
from appliance.triage.major_incident import (
    CATEGORIES,
    CATEGORY_LABELS,
    MethaneTally,
    TenSecondTriage,
    TriageSieve,
)
from tui.lock_park import ShowsPatientData
from tui.widgets.status_bar import StatusBar

CATEGORY_STYLES = {"P1": "bold white on #C00000", "P2": "bold black on #FFD700",
                   "P3": "bold black on #00C853", "DEAD": "bold white on #333333"}
FLOWS = {"tst": ("Ten Second Triage", TenSecondTriage), "sieve": ("Triage Sieve", TriageSieve)}


def make(app: App[object]) -> Screen[None]:
    return MajorIncidentScreen()


class MajorIncidentScreen(ShowsPatientData, Screen[None]):
    CSS_PATH = "major_incident.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("y", "yes", "Yes"),
                Binding("n", "no", "No"), Binding("u", "undo", "Undo"),
                Binding("space", "next", "Next casualty"), Binding("t", "switch", "TST/Sieve"),
                Binding("m", "methane", "METHANE")]

    def __init__(self, flow: str = "tst") -> None:
        super().__init__()
        self.flow_name = flow
        self.flow: TenSecondTriage | TriageSieve = FLOWS[flow][1]()
        self.tally = MethaneTally()
        self.number = ""
        self.counted = False
        self.casualty = 1
        self.show_methane = False

    def fresh_copy(self) -> MajorIncidentScreen:
        """The same casualty and tally: the triage state lives here, not in the widgets."""
        fresh = MajorIncidentScreen(self.flow_name)
        fresh.flow, fresh.tally, fresh.number = self.flow, self.tally, self.number
        fresh.counted, fresh.casualty, fresh.show_methane = (self.counted, self.casualty,
                                                              self.show_methane)
        return fresh

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("", id="mi-title")
        yield Static("", id="mi-question")
        yield Static("", id="mi-tally")
        yield Footer()

    def on_mount(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        title = Text(f"MAJOR INCIDENT — {FLOWS[self.flow_name][0]} — casualty {self.casualty}",
                     style="bold")
        self.query_one("#mi-title", Static).update(title)
        q, result = self.flow.question, self.flow.result
        body = Text()
        if self.show_methane:
            body.append(self.tally.text())
        elif result is not None:
            body.append(f"  {result.label}  ", style=CATEGORY_STYLES[result.category])
            for action in result.actions:
                body.append(f"\n→ {action}", style="bold")
            body.append("\n\nSpace: next casualty · u: undo")
        elif q is not None:
            body.append(q.text, style="bold")
            if q.kind == "yes_no":
                body.append("\n\n y yes    n no")
            else:
                body.append(f"\n\n {self.number or '_'} {q.unit}", style="bold reverse")
                body.append("\n\n type the number, Enter · s: cannot measure (skip)")
        self.query_one("#mi-question", Static).update(body)
        tally = Text("Tally: ")
        for cat in CATEGORIES:
            tally.append(f" {CATEGORY_LABELS[cat].split(' (')[0]}: {self.tally.counts[cat]} ",
                         style=CATEGORY_STYLES[cat]).append(" ")
        tally.append(f" total {self.tally.total}")
        self.query_one("#mi-tally", Static).update(tally)

    def _answer(self, value: object) -> None:
        if self.flow.done:
            return
        try:
            result = self.flow.answer(value)
        except LifeboatError as exc:
            self.notify(str(exc), severity="error")
            return
        if result is not None and not self.counted:
            self.tally.add(result)
            self.counted = True
        self._redraw()

    def action_yes(self) -> None:
        q = self.flow.question
        if q is not None and q.kind == "yes_no":
            self._answer(True)

    def action_no(self) -> None:
        q = self.flow.question
        if q is not None and q.kind == "yes_no":
            self._answer(False)

    def on_key(self, event: events.Key) -> None:
        q = self.flow.question
        if q is None or q.kind != "number":
            return
        if event.character and event.character.isdigit():
            self.number = (self.number + event.character)[:3]
        elif event.key == "backspace":
            self.number = self.number[:-1]
        elif event.key == "enter" and self.number:
            value, self.number = int(self.number), ""
            self._answer(value)
            event.stop()
            return
        elif event.character == "s":
            self.number = ""
            self._answer(None)
        else:
            return
        event.stop()
        self._redraw()

    def action_undo(self) -> None:
        result = self.flow.result
        if result is not None and self.counted:
            self.tally.remove(result.category)
            self.counted = False
        self.flow.undo()
        self.number = ""
        self._redraw()

    def action_next(self) -> None:
        if not self.flow.done:
            self.notify("Finish this casualty first (or u to undo).")
            return
        self.flow = FLOWS[self.flow_name][1]()
        self.counted = False
        self.casualty += 1
        self._redraw()

    def action_switch(self) -> None:
        if self.flow.answers and not self.flow.done:
            self.notify("Finish this casualty before switching method.")
            return
        self.flow_name = "sieve" if self.flow_name == "tst" else "tst"
        self.flow = FLOWS[self.flow_name][1]()
        if self.counted:
            self.casualty += 1
        self.counted = False
        self._redraw()

    def action_methane(self) -> None:
        self.show_methane = not self.show_methane
        self._redraw()
