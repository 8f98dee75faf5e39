"""The small interface every model backend offers, and the results it returns.

Callers (extraction, grounded answers, the TUI worker) depend on this, not on llama.cpp:
``complete`` returns a :class:`Generation`; streaming goes through ``on_token`` (called on the
calling thread for each piece of text) and cancellation through a ``threading.Event``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol, runtime_checkable

Message = dict[str, str]
"""One chat message: ``{"role": "system" | "user" | "assistant", "content": "..."}``."""

OnToken = Callable[[str], None]


@dataclass(frozen=True)
class ModelStamp:
    """Which model produced a result: stored with every assessment that used it."""

    name: str
    sha256: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Generation:
    """One finished (or cancelled) completion."""

    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    first_token_s: float | None
    finish_reason: str
    """"stop", "length" or "cancelled"."""
    model: ModelStamp
    cached_prefix_tokens: int = 0
    """Prompt tokens whose state came from the system-prompt cache instead of being evaluated."""

    @property
    def tokens_per_s(self) -> float:
        gen_time = self.seconds - (self.first_token_s or 0.0)
        return self.completion_tokens / gen_time if gen_time > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tokens_per_s"] = round(self.tokens_per_s, 2)
        return data


@runtime_checkable
class ModelRuntime(Protocol):
    """A loaded generator model. One generation runs at a time; calls block until done."""

    stamp: ModelStamp
    context_length: int

    def tokenize(self, text: str) -> list[int]:
        """Token ids of ``text`` as the model sees it (no BOS)."""
        ...

    def count_tokens(self, text: str) -> int:
        """``len(tokenize(text))``: what budgets are counted in."""
        ...

    def complete(self, messages: Sequence[Message], *, max_tokens: int = 256,
                 json_schema: dict[str, Any] | None = None, grammar: str | None = None,
                 temperature: float = 0.0, on_token: OnToken | None = None,
                 cancel: threading.Event | None = None,
                 cache_system_prompt: bool = True) -> Generation:
        """Run the chat ``messages``; with ``json_schema`` (or a GBNF ``grammar``) the output is
        constrained to match it.

        ``on_token`` receives each piece of text as it is generated; setting ``cancel`` stops
        at the next token with finish_reason "cancelled".
        """
        ...

    def close(self) -> None:
        """Free the model's memory; the runtime is unusable afterwards."""
        ...
