"""Handover wording: the local model may make one handover line read better, never change it.

The model gets one line built from the record and a short fixed prompt. What it writes is kept
only if :func:`check` passes: the line's words, numbers, units, times, drug names and
abbreviations must all still be there *in the same order*, and the only words it may add or drop
are a few joining words (``a``, ``the``, ``and``, ``was``…); punctuation and case may change. So
"RR 22, SpO2 95% air" may become "RR 22 and SpO2 95% on air." but never "RR 95", "HR 22", "no
SpO2" or "SpO2 95% on oxygen". Anything else — a dropped or added number, a new word, a swapped
order, an empty or much longer line, a model error — keeps the recorded line unchanged. With the
small bundled model many lines stay as recorded; that is the safe outcome, not a failure.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from models.runtime import Message, ModelRuntime

PROMPT_VERSION = "handover-wording-2026.11-1"

SYSTEM = """You tidy one line of a clinical handover so it reads as a clear sentence.
Keep every word, number, unit, time, drug name and abbreviation exactly as written, in the same
order. You may only add small joining words (a, the, and, with, was, of) and punctuation.
Never add, remove or change a fact. Reply with the sentence only."""

USER = "{label}: {text}"

TEMPERATURE = 0.0
"""Greedy decoding: the same line gives the same wording, so a result can be reproduced."""
MAX_LINE_CHARS = 400
"""Longer lines (several notes) are left as recorded: too much for a small model to keep."""
MAX_GROWTH = 1.5
"""A rewording may be at most this much longer (plus a little slack for short lines)."""

# Words the model may add or drop: they join facts but state none. Negations, "or", "then",
# pronouns (which would state a sex) and number words are deliberately absent.
GLUE = frozenset("""a an the and of at on in with was were is are has had by for to from as
patient aged old""".split())

_TOKEN = re.compile(r"\d+(?:[.:/]\d+)*|[^\W\d_]+\d*|[%°<>=+~/]", re.UNICODE)
_NUMBER = re.compile(r"\d")
_END = " .;,"


def _norm(token: str) -> str:
    """Compare words without case or a plural 's' ("Years" = "year"); a single capital letter
    (ACVPU "A", "T" for temperature) stays distinct from the joining word "a"."""
    if len(token) == 1 and token.isupper():
        return token
    word = token.casefold()
    if word.isalpha() and len(word) >= 4 and word.endswith("s") and word[-2] not in "siu":
        word = word[:-1]
    return word


def content(text: str) -> list[str]:
    """The line's facts in order: every token except joining words and punctuation."""
    tokens = [_norm(t) for t in _TOKEN.findall(text)]
    return [t for t in tokens if t not in GLUE]


def check(original: str, rewritten: str) -> str | None:
    """Why ``rewritten`` may not replace ``original`` (a plain reason), or None when it may."""
    new = " ".join(rewritten.split())
    if not new:
        return "empty"
    if len(new) > len(original) * MAX_GROWTH + 20:
        return "much longer than the recorded line"
    before, after = content(original), content(new)
    if before == after:
        return None
    numbers_before = Counter(t for t in before if _NUMBER.search(t))
    numbers_after = Counter(t for t in after if _NUMBER.search(t))
    if dropped := numbers_before - numbers_after:
        return "drops " + ", ".join(sorted(dropped))
    if added := numbers_after - numbers_before:
        return "adds " + ", ".join(sorted(added))
    if missing := Counter(before) - Counter(after):
        return "drops " + ", ".join(f"'{w}'" for w in sorted(missing))
    if extra := Counter(after) - Counter(before):
        return "adds " + ", ".join(f"'{w}'" for w in sorted(extra))
    return "changes the order of the facts"


def messages(label: str, text: str) -> list[Message]:
    return [{"role": "system", "content": SYSTEM},
            {"role": "user", "content": USER.format(label=label, text=text)}]


def _clean_reply(text: str) -> str:
    """The first line of the reply without quotes or a repeated 'Label:' prefix."""
    line = next((ln for ln in text.strip().splitlines() if ln.strip()), "")
    return line.strip().strip('"“”').strip()


@dataclass
class Outcome:
    """What happened to one line: the text to use and, when the model's was refused, why."""

    original: str
    text: str
    refused: str | None = None

    @property
    def reworded(self) -> bool:
        return self.text != self.original


@dataclass
class HandoverWording:
    """Rewords handover lines with the resident model; callable as ``rewrite(text) -> text``.

    Keeps a tally of what it did, for the screen and the record (``provenance``).
    """

    runtime: ModelRuntime
    cancel: threading.Event = field(default_factory=threading.Event)
    outcomes: list[Outcome] = field(default_factory=list)

    def reword(self, text: str, label: str = "Line") -> Outcome:
        """One line, checked; never raises for model trouble (the recorded line stays)."""
        if self.cancel.is_set():
            outcome = Outcome(text, text, "cancelled")
        elif len(text) > MAX_LINE_CHARS:
            outcome = Outcome(text, text, "too long to reword")
        else:
            outcome = self._ask(text, label)
        self.outcomes.append(outcome)
        return outcome

    def _ask(self, text: str, label: str) -> Outcome:
        budget = min(2 * self.runtime.count_tokens(text) + 16, 200)
        # One line is asked for: stop at the first line break (small models ramble on after
        # it), or at once when the clinician leaves the screen.
        stop = threading.Event()
        written: list[str] = []

        def on_token(piece: str) -> None:
            written.append(piece)
            if "\n" in "".join(written).strip() or self.cancel.is_set():
                stop.set()

        try:
            gen = self.runtime.complete(messages(label, text), max_tokens=budget,
                                        temperature=TEMPERATURE, on_token=on_token,
                                        cancel=stop)
        except Exception as exc:  # noqa: BLE001 - any model failure keeps the recorded line
            return Outcome(text, text, f"model error ({type(exc).__name__})")
        if self.cancel.is_set():
            return Outcome(text, text, "cancelled")
        ended = gen.finish_reason == "stop" or (gen.finish_reason == "cancelled" and stop.is_set())
        if not ended:
            return Outcome(text, text, f"model stopped early ({gen.finish_reason})")
        reply = _clean_reply(gen.text)
        prefix = f"{label}:"
        if reply.casefold().startswith(prefix.casefold()):
            reply = reply[len(prefix):].strip()
        reason = check(text, reply)
        if reason is not None:
            return Outcome(text, text, reason)
        reply = " ".join(reply.split())
        if reply.rstrip(_END) == text.rstrip(_END):  # a full stop is not worth a clinician's check
            return Outcome(text, text)
        return Outcome(text, reply)

    def __call__(self, text: str, label: str = "Line") -> str:
        return self.reword(text, label).text

    @property
    def reworded(self) -> int:
        return sum(o.reworded for o in self.outcomes)

    @property
    def refused(self) -> int:
        return sum(o.refused is not None for o in self.outcomes)

    def provenance(self) -> dict[str, Any]:
        """Which model and prompt wrote the model lines (stored with the signed handover)."""
        return {"model": self.runtime.stamp.name, "sha256": self.runtime.stamp.sha256,
                "prompt_version": PROMPT_VERSION}
