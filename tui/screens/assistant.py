"""Assistant panel: ask the local protocols, get a streamed answer with checked citations.

Retrieval is the protocol searcher (works without the model); generation is the resident model
loaded after sign-in, run in a thread worker that Esc cancels. With no model the panel still
lists the matching protocol sections, and says why the assistant is off. The clinician accepts,
edits or discards each answer; that is audited, and an accepted answer attached to an encounter
is saved as a note marked model-written.
"""

from __future__ import annotations

import threading

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from appliance.errors import LifeboatError
from tui.widgets.citation_answer import CitationAnswer, Source
from tui.widgets.status_bar import StatusBar

PASSAGES = 3
PASSAGE_CHARS = 700
MAX_ANSWER_TOKENS = 160
# Fixed, pre-written banners shown when the deterministic triage engine says so (never generated).
BANNERS = {
    1: "IMMEDIATE (red) priority from the triage engine: treat and escalate now. Do not wait "
       "for the assistant.",
    2: "VERY URGENT (orange) priority from the triage engine: escalate per your local protocol "
       "now.",
}
RED_FLAG_BANNER = "Red flags present: follow the linked protocol and escalate; the assistant "\
                  "never lowers a priority."


def make(app: App[object]) -> Screen[None]:
    """Home-menu factory (no encounter attached)."""
    return AssistantScreen()


def banners_for(triage: dict[str, object] | None) -> list[str]:
    """The fixed banners the deterministic triage result calls for."""
    if not triage:
        return []
    out: list[str] = []
    priority = triage.get("priority")
    level = priority.get("level") if isinstance(priority, dict) else triage.get("level")
    if isinstance(level, int) and level in BANNERS:
        out.append(BANNERS[level])
    if triage.get("red_flags"):
        out.append(RED_FLAG_BANNER)
    return out


class AssistantScreen(Screen[None]):
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
                 triage: dict[str, object] | None = None) -> None:
        super().__init__()
        self.encounter_id = encounter_id
        self.triage = triage
        self.asked = ""
        self._cancel_event = threading.Event()
        self._generating = False
        self._model: dict[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        for text in banners_for(self.triage):
            yield Static(text, classes="banner")
        yield Static("", id="assistant-note")
        yield Input(placeholder="Ask the local protocols, e.g. adrenaline dose in anaphylaxis",
                    id="question")
        with VerticalScroll(id="answer-box"):
            yield CitationAnswer(id="answer")
        yield Footer()

    def on_mount(self) -> None:
        self.app.refresh_status()  # type: ignore[attr-defined]
        self._show_model_note()
        self.query_one("#question", Input).focus()

    def _show_model_note(self) -> None:
        state = str(getattr(self.app, "model_state", "assistant: off"))
        note = self.query_one("#assistant-note", Static)
        if "ready" in state:
            note.update("")
            note.display = False
        else:
            note.update(Text(f"{state} — matching protocol sections are listed instead.",
                             style="bold #FFA500"))
            note.display = True

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
        self._answer(question, self._cancel_event)

    @work(thread=True, exclusive=True, group="assistant")
    def _answer(self, question: str, cancel: threading.Event) -> None:
        from tui.screens.protocol_source import library_for, search
        from tui.widgets.assistant_state import current_runtime

        answer = self.query_one(CitationAnswer)
        try:
            hits = search(library_for(self.app.device.layout), question,  # type: ignore[attr-defined]
                          k=PASSAGES)
        except LifeboatError as exc:
            self.app.call_from_thread(self._done, f"search failed: {exc.message}")
            return
        if not hits:
            self.app.call_from_thread(answer.not_found, [])
            self.app.call_from_thread(self._done, None)
            return
        sources = [Source(i + 1, h.doc_id, h.section_id, h.title, tuple(h.heading_path))
                   for i, h in enumerate(hits)]
        self.app.call_from_thread(answer.start, sources)
        runtime = current_runtime()
        if runtime is None:
            self.app.call_from_thread(self._done, "no model: open a source with its number")
            return
        from appliance.assistant import prompts

        passages = "\n\n".join(f"[{s.n}] {s.where}\n{h.text[:PASSAGE_CHARS]}"
                               for s, h in zip(sources, hits, strict=True))
        messages = prompts.answer_messages(question, passages)
        self._model = {"name": runtime.stamp.name, "sha256": runtime.stamp.sha256,  # type: ignore[attr-defined]
                       "prompt_version": prompts.ANSWER_VERSION}
        try:
            gen = runtime.complete(  # type: ignore[attr-defined]
                messages, max_tokens=MAX_ANSWER_TOKENS, cancel=cancel,
                on_token=lambda piece: self.app.call_from_thread(answer.append, piece))
        except LifeboatError as exc:
            self.app.call_from_thread(self._done, f"the model failed: {exc.message}")
            return
        status = {"cancelled": "cancelled", "length": "stopped at the length limit"}.get(
            gen.finish_reason, "")
        self.app.call_from_thread(self._done, status)

    def _done(self, status: str | None) -> None:
        self._generating = False
        answer = self.query_one(CitationAnswer)
        if status is not None:
            answer.finish(status)
        answer.focus()

    # -- following citations, deciding ------------------------------------------------------------

    @on(CitationAnswer.CitationChosen)
    def _open_citation(self, event: CitationAnswer.CitationChosen) -> None:
        from tui.screens.protocols import open_protocol

        open_protocol(self.app, event.source.doc_id, event.source.section_id)

    def action_cancel_or_close(self) -> None:
        if self._generating:
            self._cancel_event.set()
        else:
            self.app.pop_screen()

    def action_decide(self, decision: str, text: str | None = None) -> None:
        answer = self.query_one(CitationAnswer)
        if self._generating or not answer.finished or not self.asked:
            self.notify("Nothing to decide yet: ask a question and let the answer finish.")
            return
        final = text if text is not None else answer.text
        session = self.app.session  # type: ignore[attr-defined]
        detail = {"question": self.asked, "decision": decision, "text": final,
                  "citations": [s.section_id for s in answer.sources],
                  "unsupported_sentences": answer.unsupported_count(), "model": self._model}
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
        answer.start([])
        answer.finish("")
        self.query_one("#question", Input).value = ""
        self.query_one("#question", Input).focus()

    def action_ask_again(self) -> None:
        self.query_one("#question", Input).focus()

    def action_edit(self) -> None:
        answer = self.query_one(CitationAnswer)
        if self._generating or not answer.finished or not self.asked:
            self.notify("Nothing to edit yet.")
            return
        from tui.screens.assistant_edit import EditAnswerScreen

        def edited(text: str | None) -> None:
            if text is not None:
                self.action_decide("edited", text)

        self.app.push_screen(EditAnswerScreen(answer.text), edited)
