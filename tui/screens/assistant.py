"""Assistant panel: a thin shell over ``appliance.assistant.grounded.answer``.

The domain chooses the protocol lines that answer (no model) and, only if asked, gated model
sentences; this screen runs it in a thread worker (Esc sets its cancel event), shows the lines
as soon as the domain reports them and then the finished ``Answer``. Asked from a record, the
patient's age picks the age-banded row or item. The fixed banners come from
``appliance.assistant.banners``. The clinician accepts, edits or discards each answer; that is
audited (with any written sentences the gate withheld), and an accepted answer attached to an
encounter is saved as a note marked model-written.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from appliance.assistant import banners
from appliance.errors import LifeboatError
from tui import context
from tui.lock_park import ShowsPatientData
from tui.widgets.citation_answer import CitationAnswer
from tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from appliance.assistant.grounded import Answer


def make(app: App[object]) -> Screen[None]:
    """Home-menu factory (no encounter attached)."""
    return AssistantScreen()


def _priority_level(triage: dict[str, Any] | None) -> int | None:
    priority = (triage or {}).get("priority")
    level = priority.get("level") if isinstance(priority, dict) else (triage or {}).get("level")
    return level if isinstance(level, int) and not isinstance(level, bool) else None


def _status(result: Answer) -> str:
    if result.cancelled:
        return "cancelled"
    if result.generation is not None and result.generation.finish_reason == "length":
        return "stopped at the length limit"
    return ""


class AssistantScreen(ShowsPatientData, Screen[None]):
    CSS_PATH = "assistant.tcss"
    BINDINGS = [
        Binding("escape", "cancel_or_close", "Cancel/Back"),
        # Plain letters: the question box consumes them while typing, and Input already uses
        # Ctrl+A/E/D for the cursor.
        Binding("a", "decide('accepted')", "Accept"),
        Binding("e", "edit", "Edit"),
        Binding("d", "decide('discarded')", "Discard"),
        Binding("slash", "ask_again", "New question", show=False),
    ]

    def __init__(self, encounter_id: str | None = None,
                 triage: dict[str, object] | None = None,
                 patient_age_years: float | None = None) -> None:
        super().__init__()
        self.encounter_id = encounter_id
        self.triage = triage
        self.patient_age_years = patient_age_years
        self.asked = ""
        self._cancel_event = threading.Event()
        self._generating = False

    def fresh_copy(self) -> AssistantScreen:
        """The same question box and patient context; an answer shown is asked for again."""
        return AssistantScreen(self.encounter_id, self.triage, self.patient_age_years)

    def compose(self) -> ComposeResult:
        yield StatusBar()
        for text in banners.for_triage(self.triage):
            yield Static(text, classes="banner")
        yield Static("", id="assistant-note")
        yield Input(placeholder="Ask the local protocols, e.g. adrenaline dose in anaphylaxis",
                    id="question")
        with VerticalScroll(id="answer-box"):
            yield CitationAnswer(id="answer")
        yield Footer()

    def on_mount(self) -> None:
        context.refresh_status(self.app)
        self._show_model_note()
        self.query_one("#question", Input).focus()

    def _show_model_note(self) -> None:
        # Answers are protocol lines whether or not a model is loaded: nothing to warn about.
        note = self.query_one("#assistant-note", Static)
        note.update("")
        note.display = False

    # -- asking ---------------------------------------------------------------------------------

    @on(Input.Submitted, "#question")
    def _ask(self, event: Input.Submitted) -> None:
        question = event.value.strip()
        if not question or self._generating:
            return
        self.asked = question
        self._cancel_event = threading.Event()
        self._generating = True
        self._show_model_note()
        self.query_one(CitationAnswer).start()
        self._answer(question, self._cancel_event)

    @work(thread=True, exclusive=True, group="assistant")
    def _answer(self, question: str, cancel: threading.Event) -> None:
        from appliance.assistant.grounded import answer as grounded_answer
        from tui.screens.protocol_source import library_for
        from tui.widgets.assistant_state import current_runtime

        widget = self.query_one(CitationAnswer)
        call = self.app.call_from_thread
        try:
            # The cached library keeps one searcher (and its embedder) per installed pack.
            searcher = library_for(context.device(self.app).layout).searcher()
            result = grounded_answer(
                question, searcher,
                current_runtime(context.model_state(self.app)),
                cancel=cancel, priority_level=_priority_level(self.triage),
                on_sources=lambda sources: call(widget.show_sources, sources),
                patient_age_years=self.patient_age_years)
        except LifeboatError as exc:
            call(self._failed, f"search failed: {exc.message}")
            return
        call(self._done, result)

    def _done(self, result: Answer) -> None:
        self._generating = False
        answer = self.query_one(CitationAnswer)
        answer.show(result, _status(result))
        answer.focus()

    def _failed(self, status: str) -> None:
        self._generating = False
        answer = self.query_one(CitationAnswer)
        answer.fail(status)
        answer.focus()

    # -- following citations, deciding ------------------------------------------------------------

    @on(CitationAnswer.CitationChosen)
    def _open_citation(self, event: CitationAnswer.CitationChosen) -> None:
        from tui.screens.protocols import open_protocol

        open_protocol(self.app, event.source.doc_id, event.source.section_id,
                      line=event.source.line_text or None)

    def action_cancel_or_close(self) -> None:
        if self._generating:
            self._cancel_event.set()
        else:
            self.app.pop_screen()

    def action_decide(self, decision: str, text: str | None = None) -> None:
        answer = self.query_one(CitationAnswer)
        result = answer.result
        if self._generating or result is None or not self.asked:
            self.notify("Nothing to decide yet: ask a question and let the answer finish.")
            return
        final = text if text is not None else answer.text
        session = context.session(self.app)
        model = None if result.model is None else {**result.model.to_dict(),
                                                   "prompt_version": result.prompt_version}
        detail = {"question": self.asked, "decision": decision, "text": final,
                  "mode": result.mode,
                  "citations": [{"section_id": s.section_id, "line": s.line}
                                for s in answer.sources],
                  "unsupported_sentences": answer.unsupported_count(),
                  "withheld_sentences": [{"text": s.text, "reason": s.reason}
                                         for s in result.rejected],
                  "omitted_passages": result.omitted_passages, "model": model}
        subject = f"encounter:{self.encounter_id}" if self.encounter_id else None
        try:
            session.audit(f"assistant.answer.{decision}", subject=subject, detail=detail)
            if self.encounter_id and decision != "discarded" and final.strip():
                from appliance.records.encounters import add_note

                add_note(session, self.encounter_id, final, kind="assistant",
                         model_written=True)
        except LifeboatError as exc:
            self.notify(exc.message, severity="error")
            return
        self.notify(f"Answer {decision}" + (" and saved to the record" if self.encounter_id
                                            and decision != "discarded" else "") + ".")
        self.asked = ""
        answer.clear()
        self.query_one("#question", Input).value = ""
        self.query_one("#question", Input).focus()

    def action_ask_again(self) -> None:
        self.query_one("#question", Input).focus()

    def action_edit(self) -> None:
        answer = self.query_one(CitationAnswer)
        if self._generating or answer.result is None or not self.asked:
            self.notify("Nothing to edit yet.")
            return
        from tui.screens.assistant_edit import EditAnswerScreen

        def edited(text: str | None) -> None:
            if text is not None:
                self.action_decide("edited", text)

        self.app.push_screen(EditAnswerScreen(answer.text), edited)
