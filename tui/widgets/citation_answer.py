"""Shows a grounded answer (``appliance.assistant.grounded.Answer``): it decides nothing itself.

The answer is the protocol lines, verbatim and numbered, shown as soon as the domain reports
them (before any model writes). Written sentences appear only when the answer is finished and
only those the domain's gate passed; unchecked model text is never drawn. Then the notes and
the fixed decision-support label. Pressing a digit posts ``CitationChosen`` so the screen can
open that line in the protocol viewer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from appliance.assistant import banners

if TYPE_CHECKING:
    from appliance.assistant.grounded import Answer, Citation, Sentence

_CITE = re.compile(r"\[(\d{1,2})\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CITE_STYLE = "bold #00BFFF"
_WARN = "#FFA500"


def where(source: Citation) -> str:
    """"Title › heading › subheading" of a cited section (the document title stands first)."""
    return " › ".join((source.title, *source.heading_path[1:]))


class CitationAnswer(Widget, can_focus=True):
    """The answer area of the assistant panel (embeddable in other screens)."""

    DEFAULT_CSS = """
    CitationAnswer { height: auto; padding: 0 1; }
    CitationAnswer:focus { background: $panel; }
    """
    BINDINGS = [Binding(str(n), f"cite({n})", f"[{n}]", show=False) for n in range(1, 10)]

    streamed: reactive[str] = reactive("", layout=True)
    status: reactive[str] = reactive("", layout=True)

    class CitationChosen(Message):
        """The user asked to open source ``source`` of the answer."""

        def __init__(self, source: Citation) -> None:
            super().__init__()
            self.source = source

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.sources: list[Citation] = []
        self.result: Answer | None = None
        self.finished = False

    # -- fed by the screen (on the UI thread) ---------------------------------------------------

    def start(self) -> None:
        """A new question: clear everything."""
        self.sources, self.result, self.finished = [], None, False
        self.streamed, self.status = "", "searching the protocols…"

    def show_sources(self, sources: list[Citation]) -> None:
        """The answering lines, as soon as they are chosen."""
        self.sources = list(sources)
        self.status = ""
        self.refresh(layout=True)

    def append(self, piece: str) -> None:
        """Model text as it streams: kept, never drawn (it has not been checked)."""
        self.streamed += piece
        self.status = "writing… (Esc cancels)"

    def show(self, result: Answer, status: str = "") -> None:
        """The checked answer from the domain replaces the streamed text."""
        self.result, self.sources, self.finished = result, list(result.citations), True
        self.status = status
        self.refresh(layout=True)

    def fail(self, status: str) -> None:
        self.finished, self.status = True, status
        self.refresh(layout=True)

    def clear(self) -> None:
        self.sources, self.result, self.finished = [], None, False
        self.streamed, self.status = "", ""

    # -- read by the screen ---------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The answer as the clinician would accept it: the lines, then any gated sentences."""
        if self.result is None:
            return ""
        written = " ".join(s.text for s in self.result.sentences)
        return f"{self.result.text} {written}".strip()

    def unsupported_count(self) -> int:
        """Unsupported sentences on screen: always 0, the gate keeps them off (kept for audit)."""
        return sum(not s.supported for s in self.result.sentences) if self.result else 0

    def action_cite(self, n: int) -> None:
        if 1 <= n <= len(self.sources):
            self.post_message(self.CitationChosen(self.sources[n - 1]))

    # -- drawing --------------------------------------------------------------------------------

    def render(self) -> Text:
        out = Text()
        label = self.result.label if self.result is not None else banners.DECISION_SUPPORT
        out.append(label + "\n", style="italic")
        result = self.result
        if result is not None and result.mode == "not-found":
            out.append(result.text or banners.NOT_FOUND, style="bold")
            if result.nearest_titles:
                out.append(". Nearest: " + "; ".join(result.nearest_titles))
        elif result is not None:  # the protocol's own lines are the answer
            for quote in result.quotes:
                out.append_text(_cited(quote.text)).append("\n")
            if result.sentences:
                out.append("Written from these lines (each sentence checked):\n", style="bold")
                for sentence in result.sentences:
                    out.append_text(_sentence(sentence)).append(" ")
        else:  # lines reported, the answer not finished yet
            for src in self.sources:
                out.append_text(_cited(f'"{src.line_text}" [{src.number}]')).append("\n")
        for note in result.notes if result is not None else ():
            out.append(f"\n{note}", style=f"italic {_WARN}")
        if self.status:
            out.append(f"\n[{self.status}]", style="dim")
        if self.sources:
            out.append("\nSources (press the number to open at the line):", style="bold")
            for src in self.sources:
                out.append(f"\n [{src.number}] ", style=_CITE_STYLE).append(where(src))
        return out


def _cited(text: str) -> Text:
    """Citations highlighted; the protocol's Markdown **bold** shown bold, not as asterisks."""
    piece = Text()
    for i, part in enumerate(_BOLD.split(text)):
        piece.append(part, style="bold" if i % 2 else "")
    piece.highlight_regex(_CITE, style=_CITE_STYLE)
    return piece


def _sentence(sentence: Sentence) -> Text:
    if sentence.supported:
        return _cited(sentence.text)
    tag = " QUOTE NOT IN SOURCE " if sentence.reason.startswith("quotation") else " UNSUPPORTED "
    out = Text(tag, style=f"bold black on {_WARN}").append(" ")
    out.append(sentence.text, style=f"italic {_WARN}")
    if sentence.reason:
        out.append(f" ({sentence.reason})", style="dim")
    return out
