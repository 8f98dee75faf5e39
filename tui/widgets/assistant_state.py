"""Loading the assistant's model after sign-in, and the one-line state the status bar shows.

The state is one of ``assistant: loading…``, ``assistant: ready: NAME`` or
``assistant: off: REASON``; REASON says why in words a paramedic can act on (disabled in
settings, low battery, too little memory, no model installed, the file failed to load).
Everything here blocks (hashing, llama.cpp load) and runs in a thread worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from appliance.device import Device
from appliance.errors import LifeboatError

if TYPE_CHECKING:
    from appliance.assistant.handover_wording import HandoverWording
    from models.runtime import ModelRuntime

LOADING = "assistant: loading…"


@dataclass(frozen=True)
class AssistantState:
    """Whether the model is usable, and the status-bar text."""

    ready: bool
    text: str
    model_name: str = ""

    @classmethod
    def off(cls, reason: str) -> AssistantState:
        return cls(False, f"assistant: off: {reason}")


def power_gate(device: Device) -> tuple[AssistantState | None, int]:
    """(an "off" state when the power policy pauses the assistant, else None; threads to use)."""
    from appliance.health import policy, readings

    state = policy.evaluate(readings.read(device.layout.root), device.config.power)
    configured = device.config.assistant.threads
    if state.assistant_paused:
        return AssistantState.off(state.pause_reason or "power policy"), 0
    if configured <= 0:
        from models.selection import this_machine

        configured = this_machine().physical_cores
    return None, state.threads(configured)


def load_model(device: Device, report: Callable[[AssistantState], None] | None = None,
               ) -> AssistantState:
    """Load (or reuse) the resident model as settings and the power policy allow."""
    if not device.config.assistant.enabled:
        return AssistantState.off("disabled in settings")
    try:
        blocked, threads = power_gate(device)
    except LifeboatError as exc:
        return AssistantState.off(exc.message)
    if blocked is not None:
        return blocked
    if report:
        report(AssistantState(False, LOADING))
    from models import llama

    try:
        runtime = llama.load(device.config.assistant.model, threads=threads)
    except LifeboatError as exc:
        reason = exc.message.rstrip(".")
        if "No model can run" in reason:
            reason = "no model fits this machine" if "needs" in (exc.hint or "") else \
                "no model installed"
        return AssistantState.off(reason[:60])
    except Exception as exc:  # noqa: BLE001 - a broken model must never take the app down
        return AssistantState.off(f"model failed to load ({type(exc).__name__})")
    return AssistantState(True, f"assistant: ready: {runtime.stamp.name}", runtime.stamp.name)


def current_runtime(model_state: str) -> ModelRuntime | None:
    """The loaded model, without ever loading one; None unless the app's assistant state is
    ready (a model stays resident in the process, but settings, low battery or low memory may
    have switched the assistant off since)."""
    if not model_state.startswith("assistant: ready"):
        return None
    from models import llama

    return llama.loaded()


def handover_smoother(model_state: str) -> HandoverWording | None:
    """Handover wording on the resident model (``HandoverWording``), or None unless the
    assistant is ready: the handover then stays as recorded facts."""
    runtime = current_runtime(model_state)
    if runtime is None:
        return None
    from appliance.assistant.handover_wording import HandoverWording

    return HandoverWording(runtime)
