"""A streamed, grounded answer: sentences with numbered citations ``[n]``, the sources listed.

Every sentence must end with a citation to one of the listed sources; a sentence without a valid
one is shown marked UNSUPPORTED (the check is in code, on the text as it streams, so the model
cannot talk its way past it). Pressing a digit, or choosing a source, posts ``CitationChosen`` so
the screen can open that section in the protocol browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

_CITE = re.compile(r"\[(\d{1,2})\]")
_END = re.compile(r"[.!?](?:\s*\[\d{1,2}\])*(?=\s|$)|(?:\[\d{1,2}\]\s*)+[.!?]?(?=\s|$)")
LABEL = "Decision support from local protocols — check before acting."


@dataclass(frozen=True)
class Source:
    """A retrieved protocol section the model was shown, numbered from 1."""

    n: int
    doc_id: str
    section_id: str
    title: str
    heading_path: tuple[str, ...]

    @property
    def where(self) -> str:
        return " › ".join((self.title, *self.heading_path[1:]))


@dataclass(frozen=True)
class Sentence:
    text: str
    citations: tuple[int, ...]
    supported: bool


def sentences(text: str, n_sources: int, final: bool = True) -> list[Sentence]:
    """Split ``text`` into sentences and check each cites a source in 1..``n_sources``.

    While streaming (``final`` False) an unfinished last sentence is reported as supported so it
    is not flagged before its citation arrives.
    """
    out: list[Sentence] = []
    pos = 0
    for m in _END.finditer(text):
        chunk = text[pos:m.end()].strip()
        pos = m.end()
        if chunk:
            out.append(_sentence(chunk, n_sources))
    rest = text[pos:].strip()
    if rest:
        s = _sentence(rest, n_sources)
        out.append(s if final else Sentence(s.text, s.citations, True))
    # A citation alone after a sentence ("… dose. [2]") belongs to the sentence before it.
    merged: list[Sentence] = []
    for s in out:
        if merged and not _CITE.sub("", s.text).strip(" .") and s.citations:
            prev = merged.pop()
            cites = prev.citations + s.citations
            merged.append(Sentence(f"{prev.text} {s.text}", cites,
                                   all(1 <= c <= n_sources for c in cites)))
        else:
            merged.append(s)
    return merged


def _sentence(chunk: str, n_sources: int) -> Sentence:
    cites = tuple(int(c) for c in _CITE.findall(chunk))
    return Sentence(chunk, cites, bool(cites) and all(1 <= c <= n_sources for c in cites))


class CitationAnswer(Widget, can_focus=True):
    """The answer area of the assistant panel (embeddable in other screens)."""

    DEFAULT_CSS = """
    CitationAnswer { height: auto; padding: 0 1; }
    CitationAnswer:focus { background: $panel; }
    """
    BINDINGS = [Binding(str(n), f"cite({n})", f"[{n}]", show=False) for n in range(1, 10)]

    text: reactive[str] = reactive("", layout=True)
    status: reactive[str] = reactive("", layout=True)

    class CitationChosen(Message):
        """The user asked to open source ``source`` of the answer."""

        def __init__(self, source: Source) -> None:
            super().__init__()
            self.source = source

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.sources: list[Source] = []
        self.finished = False
        self.nearest: list[str] = []

    def start(self, sources: list[Source]) -> None:
        self.sources, self.finished, self.nearest = sources, False, []
        self.text, self.status = "", "generating… (Esc cancels)"

    def append(self, piece: str) -> None:
        self.text += piece

    def finish(self, status: str = "") -> None:
        self.finished = True
        self.status = status
        self.refresh(layout=True)

    def not_found(self, nearest: list[str]) -> None:
        self.sources, self.nearest, self.finished = [], nearest, True
        self.text, self.status = "", "not found in local protocols"

    def unsupported_count(self) -> int:
        return sum(not s.supported for s in sentences(self.text, len(self.sources)))

    def action_cite(self, n: int) -> None:
        if 1 <= n <= len(self.sources):
            self.post_message(self.CitationChosen(self.sources[n - 1]))

    def render(self) -> Text:
        out = Text()
        out.append(LABEL + "\n", style="italic")
        if self.nearest or (self.finished and not self.text and not self.sources):
            out.append("Not found in local protocols.", style="bold")
            if self.nearest:
                out.append(" Nearest: " + "; ".join(self.nearest))
            return out
        for s in sentences(self.text, len(self.sources), final=self.finished):
            if not s.supported:
                out.append(" UNSUPPORTED ", style="bold black on #FFA500").append(" ")
                out.append(s.text, style="italic #FFA500")
            else:
                piece = Text(s.text)
                piece.highlight_regex(_CITE, style="bold #00BFFF")
                out.append_text(piece)
            out.append(" ")
        if self.status:
            out.append(f"\n[{self.status}]", style="dim")
        if self.sources:
            out.append("\nSources (press the number to open):", style="bold")
            for src in self.sources:
                out.append(f"\n [{src.n}] ", style="bold #00BFFF").append(src.where)
        return out
