"""Triage inside an encounter: red flags appear as the complaint is typed, the engine's priority
with every reason, one key to open the linked protocol, then confirm or override with a reason.

The deterministic engine (``appliance.triage.assess``, a few milliseconds) decides; the result,
with its rule and pack versions, is recorded when the clinician confirms or overrides it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from appliance.errors import LifeboatError
from tui.theme import PRIORITY_STYLES
from tui.widgets.choice import Choice
from tui.widgets.encounter_context import EncounterContext, Saved
from tui.widgets.field_row import FieldRow
from tui.widgets.observations import news2_text

PREGNANT_OPTIONS = [("y", "yes", "pregnant"), ("n", "no", "not pregnant")]
_PREGNANCY_AGES = (10, 60)  # years: outside them the question is not asked
SEX_FOR_ENGINE = {"M": "M", "F": "F", "O": "X", "U": None}


class TriagePanel(Vertical):
    """Live engine result for the case as recorded so far; Ctrl+Y confirm, Ctrl+R override.

    Opening another screen (protocol, assistant, override form) is asked of the screen that
    holds the panel, with the messages below.
    """

    class OpenProtocol(Message):
        """Show the protocol linked to the highlighted reason."""

        def __init__(self, protocol: str) -> None:
            super().__init__()
            self.protocol = protocol

    class AskAssistant(Message):
        """Open the grounded assistant with this patient's triage result for its banners."""

        def __init__(self, encounter_id: str | None, triage: dict[str, Any] | None,
                     age: float | None) -> None:
            super().__init__()
            self.encounter_id = encounter_id
            self.triage = triage
            self.age = age

    class ResultShown(Message):
        """The engine's priority on screen changed (the record's header shows it unconfirmed)."""

    class OverrideAsked(Message):
        """Ask for an override of ``level``; ``decided`` records the answer (None: cancelled)."""

        def __init__(self, level: int, decided: Callable[[Any], None]) -> None:
            super().__init__()
            self.level = level
            self.decided = decided

    BINDINGS = [Binding("ctrl+o", "open_protocol", "Protocol"),
                Binding("ctrl+y", "confirm", "Confirm"),
                Binding("ctrl+r", "override", "Override"),
                Binding("f10", "ask_assistant", "Ask assistant"),
                # From the complaint or pregnancy field too: ^O opens the reason highlighted.
                Binding("up", "reason(-1)", "Previous reason", show=False),
                Binding("down", "reason(1)", "Next reason", show=False)]

    def __init__(self, ctx: EncounterContext, vitals: Any,
                 *, id: str | None = None) -> None:  # noqa: A002
        """``vitals`` is a callable returning the latest observation set's values."""
        super().__init__(id=id)
        self.ctx = ctx
        self.vitals = vitals
        self.result: dict[str, Any] | None = None
        self.decision: str | None = None

    def compose(self) -> ComposeResult:
        # free text is added to, not retyped: coming back to it, a key appends (select-on-focus
        # would let the first key of "and vomiting" wipe "chest pain")
        yield FieldRow("Complaint", Input(placeholder="as the patient says it: CP, SOB, fell…",
                                          id="triage-complaint", compact=True,
                                          select_on_focus=False))
        row = FieldRow("Pregnancy", Choice(PREGNANT_OPTIONS, id="triage-pregnant"),
                       id="triage-pregnant-row")
        # not asked of a man, a child or an older woman: one less question at the roadside
        row.display = self._may_be_pregnant()
        yield row
        yield Static("", id="triage-priority")
        yield Static(news2_text(None), id="triage-news2")
        yield OptionList(id="triage-reasons")
        yield Static("", id="triage-decision")

    def _may_be_pregnant(self) -> bool:
        age = self.ctx.age
        return ((self.ctx.sex or "U") != "M"
                and (age is None or _PREGNANCY_AGES[0] <= age <= _PREGNANCY_AGES[1]))

    def on_mount(self) -> None:
        self.query_one("#triage-complaint", Input).value = self.ctx.complaint
        self.refresh_result()

    # -- the complaint typed here is saved when the tab is left (tui/README.md) ---------------

    def has_unsaved_input(self) -> bool:
        return self.unsaved({"triage-complaint": self.query_one("#triage-complaint",
                                                                Input).value})

    def unsaved(self, typed: dict[str, Any]) -> bool:
        """A complaint typed here that the record does not hold yet (blank is not saved)."""
        complaint = str(typed.get("triage-complaint") or "").strip()
        return bool(complaint) and complaint != self.ctx.complaint

    def save_typed(self, typed: dict[str, Any]) -> bool:
        """Save the complaint typed here as the record's presenting complaint."""
        complaint = str(typed.get("triage-complaint") or "").strip()
        ctx = self.ctx

        def work(encounter_id: str) -> None:
            from appliance.records import encounters

            encounters.update(ctx.session, encounter_id, presenting_complaint=complaint)

        def done(_: None) -> None:
            self.app.notify(f"Complaint saved: {complaint}.")
            self.post_message(Saved("complaint", complaint))

        ctx.complaint = complaint  # now: a second leave before the write does not save twice
        ctx.submit(work, done)
        return True

    def case(self) -> dict[str, Any]:
        """The triage input built from what the record holds now."""
        vitals = dict(self.vitals())
        pain = vitals.pop("pain_score", None)
        case: dict[str, Any] = {"complaint": self.query_one("#triage-complaint", Input).value,
                                "vitals": vitals}
        if self.ctx.age is not None:
            case["age"] = self.ctx.age
        sex = SEX_FOR_ENGINE.get(self.ctx.sex or "U")
        if sex:
            case["sex"] = sex
        pregnant = self.query_one("#triage-pregnant", Choice).value
        if pregnant and self._may_be_pregnant():
            case["pregnant"] = pregnant == "yes"
        if pain is not None:
            case["pain_score"] = pain
        if self.ctx.mechanism:
            case["mechanism"] = self.ctx.mechanism
        if self.ctx.medications:
            case["history"] = self.ctx.medications
        return case

    @on(Input.Changed, "#triage-complaint")
    @on(Choice.Changed, "#triage-pregnant")
    def refresh_result(self) -> None:
        """Re-run the engine (a few ms, deterministic) and show priority, flags and reasons."""
        from appliance.protocols.active_rules import active_ruleset
        from appliance.triage import assess

        if not self.is_mounted:
            return
        self.query_one("#triage-pregnant-row").display = self._may_be_pregnant()
        case, rules = self.case(), active_ruleset()
        try:
            result = assess(case, rules).to_json()
        except LifeboatError as exc:
            self.query_one("#triage-priority", Static).update(Text(str(exc), style="bold red"))
            return
        self.result = result
        self.decision = None
        self._show(result)
        if any(r.get("rule") == "complaint-not-recognised" for r in result["reasons"]):
            self.run_worker(lambda: self._by_meaning(case, rules), thread=True,
                            exclusive=True, group="triage-nearest")

    def _by_meaning(self, case: dict[str, Any], rules: Any) -> None:
        """In a thread: the complaint nearest in meaning (the sentence embedder, loaded once)
        may raise the priority of a complaint the lexicon cannot read."""
        from appliance.triage import assess
        from appliance.triage.nearest import shared_for

        nearest = shared_for(rules)
        if nearest is None:
            return
        try:
            raised = assess(case, rules, nearest=nearest).to_json()
        except LifeboatError:
            return
        self.app.call_from_thread(self._raised_by_meaning, case, raised)

    def _raised_by_meaning(self, case: dict[str, Any], raised: dict[str, Any]) -> None:
        current = self.result
        if (not self.is_mounted or case != self.case() or current is None
                or raised["priority"]["level"] >= current["priority"]["level"]):
            return  # typed on since, or nothing nearer in meaning is more urgent
        self.result = raised
        self.decision = None
        self._show(raised)

    def _show(self, r: dict[str, Any]) -> None:
        self.post_message(self.ResultShown())
        level = r["priority"]["level"]
        banner = Text(f" {level} {r['priority']['name'].upper()} ",
                      style=PRIORITY_STYLES[level])
        from appliance.triage.priorities import PRIORITIES

        minutes = r["priority"].get("see_within_minutes", PRIORITIES[level].target_minutes)
        banner.append(f"  see within {minutes} min · {r['disposition']}")
        if r.get("warnings"):
            banner.append("\n" + "; ".join(w.rstrip(".") for w in r["warnings"]),
                          style="bold #FFA500")
        advice = r.get("advice", [])  # self-care is never given without safety-netting
        if advice:
            # in the list under the reasons, which scrolls: at 80x24 two complaints' advice
            # in the banner pushed every reason off the screen
            banner.append("\nSafety-netting advice to give: under the reasons (↓)",
                          style="bold")
        self.query_one("#triage-priority", Static).update(banner)
        self.query_one("#triage-news2", Static).update(self._news2(r))
        reasons = self.query_one("#triage-reasons", OptionList)
        reasons.clear_options()
        for i, reason in enumerate(r["reasons"]):
            flag = "⚑ " if reason.get("source") == "rule" else "· "
            reasons.add_option(Option(
                Text.assemble((f"{reason['level']} ", PRIORITY_STYLES[reason["level"]]),
                              f" {flag}{reason['text']}", (f"  [{reason['protocol']}]", "dim")),
                id=f"r{i}"))
        for i, text in enumerate(advice):
            reasons.add_option(Option(Text.assemble(("Safety-netting: ", "bold"), text),
                                      id=f"a{i}", disabled=True))
        if r["reasons"]:
            reasons.highlighted = 0
        self.query_one("#triage-decision", Static).update(
            "Ctrl+O protocol · Ctrl+Y confirm · Ctrl+R override · F10 ask assistant")

    @staticmethod
    def _news2(r: dict[str, Any]) -> Text:
        n = r.get("news2") or {}
        if not n or n.get("total") is None:
            return news2_text(None) if n.get("applicable", True) else Text(n.get("note") or "")
        from types import SimpleNamespace

        return news2_text(SimpleNamespace(
            applicable=n.get("applicable", True), total=n["total"], complete=n["complete"],
            band=n.get("band"), monitoring=n.get("monitoring") or r.get("monitoring"),
            red_parameters=n.get("red_parameters", []), missing=n.get("missing", []),
            note=n.get("note")))

    def selected_protocol(self) -> str | None:
        if not self.result or not self.result["reasons"]:
            return None
        index = self.query_one("#triage-reasons", OptionList).highlighted or 0
        index = min(index, len(self.result["reasons"]) - 1)  # advice rows hold no protocol
        return str(self.result["reasons"][index]["protocol"])

    def action_reason(self, step: int) -> None:
        """↑/↓ outside the list: move the highlighted reason (the one Ctrl+O opens)."""
        reasons = self.query_one("#triage-reasons", OptionList)
        count = len(self.result["reasons"]) if self.result else 0
        if count:
            current = reasons.highlighted or 0
            if current + step >= count:  # past the last reason: scroll to the advice under it
                reasons.scroll_down(animate=False)
                return
            reasons.highlighted = max(0, current + step)

    def action_ask_assistant(self) -> None:
        """The grounded assistant, with this patient's triage result for its fixed banners."""
        self.post_message(self.AskAssistant(self.ctx.encounter_id, self.result, self.ctx.age))

    def action_open_protocol(self) -> None:
        protocol = self.selected_protocol()
        if protocol is None:
            self.app.notify("No protocol linked yet: type the complaint first.")
            return
        self.post_message(self.OpenProtocol(protocol))

    def action_confirm(self) -> None:
        self._decide(None)

    def action_override(self) -> None:
        if not self.result:
            return

        def chosen(decision: Any) -> None:
            if decision is not None:  # cancelled: nothing is recorded
                self._decide(decision)

        self.post_message(self.OverrideAsked(self.result["priority"]["level"], chosen))

    def _decide(self, override: Any) -> None:
        """Record the engine's result and the decision (confirm when ``override`` is None)."""
        if not self.result:
            self.app.notify("Nothing to confirm yet.", severity="warning")
            return
        result, ctx = self.result, self.ctx
        complaint = self.query_one("#triage-complaint", Input).value.strip()

        def work(encounter_id: str) -> str:
            from appliance.records import assessments

            # Result, decision, board priority (and a changed complaint): one transaction.
            changed = complaint if complaint and complaint != ctx.complaint else None
            if override is None:
                assessments.decide(ctx.session, encounter_id, result, complaint=changed)
                return f"Confirmed priority {result['priority']['level']} " \
                       f"{result['priority']['name']} ({ctx.session.user.display_name})."
            assessments.decide(ctx.session, encounter_id, result, priority=override.priority,
                               reason=override.reason, disposition=override.disposition,
                               complaint=changed)
            return (f"Overridden to priority {override.priority} by "
                    f"{ctx.session.user.display_name}: {override.reason}")

        def done(text: str) -> None:
            ctx.complaint = complaint
            self.decision = text
            self.query_one("#triage-decision", Static).update(Text(text, style="bold"))
            self.app.notify(text)
            self.post_message(Saved("triage", text))

        ctx.submit(work, done)
