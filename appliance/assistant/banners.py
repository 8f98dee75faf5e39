"""Fixed, pre-written escalation banners. Never generated, never edited by a model.

The deterministic triage engine decides when one shows (its priority level); the words are
written here, reviewed like any clinical text, and shown above any assistant output.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

BANNERS: dict[int, str] = {
    1: ("IMMEDIATE - priority 1: treat now and call for help (999 / resuscitation team). "
        "Do not wait for the assistant."),
    2: ("VERY URGENT - priority 2: senior clinical review within 10 minutes. "
        "Escalate now; do not wait for the assistant."),
}
DECISION_SUPPORT = "Decision support - check against the protocol"
RED_FLAGS = ("Red flags present: follow the linked protocol and escalate; the assistant "
             "never lowers a priority.")
NOT_FOUND = "Not found in local protocols"
NO_MODEL = ("The assistant model is not available: showing the matching protocol text "
            "instead of a written answer.")


def banner_for(priority_level: int | None) -> str | None:
    """The escalation banner for a triage priority level (1-5), or None."""
    if priority_level is None:
        return None
    return BANNERS.get(int(priority_level))


def for_triage(triage: Mapping[str, Any] | None) -> list[str]:
    """Every banner a triage result (the engine's JSON) calls for: its priority, red flags."""
    if not triage:
        return []
    priority = triage.get("priority")
    level = priority.get("level") if isinstance(priority, Mapping) else triage.get("level")
    out = []
    if isinstance(level, int) and not isinstance(level, bool) and (text := banner_for(level)):
        out.append(text)
    if triage.get("red_flags"):
        out.append(RED_FLAGS)
    return out
