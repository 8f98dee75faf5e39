"""The record's one-line header: priority, who the patient is, age and complaint."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from tui.theme import PRIORITY_STYLES
from tui.widgets.encounter_context import EncounterContext


def header_text(enc: dict[str, Any] | None, saved_name: str, ctx: EncounterContext,
                engine: dict[str, Any] | None = None) -> Text:
    """``saved_name`` is the surname as saved (not as being typed); ``enc`` the stored header;
    ``engine`` the triage engine's priority (level, name) while nobody has confirmed one: shown
    as the board shows it, marked with * as not confirmed."""
    text = Text(no_wrap=True, overflow="ellipsis")
    prio = (enc or {}).get("priority")
    if enc and prio:
        text.append(f" {prio} {enc['priority_name']} ", style=PRIORITY_STYLES[prio]).append(" ")
    elif engine:
        level = engine["level"]
        text.append(f" {level} {engine['name']}* ", style=PRIORITY_STYLES[level])
        text.append(" ")
    else:
        text.append(" not triaged ", style="reverse").append(" ")
    linked = (enc or {}).get("linked_name")  # an unnamed patient linked to a known one
    text.append(saved_name.upper() or linked or "Unknown patient", style="bold")
    if ctx.age is not None:
        text.append(f" · {ctx.age:g} y")
    if ctx.complaint:
        text.append(f" · {ctx.complaint}")
    if ctx.encounter_id is None:
        text.append(" · new record: saved by Enter, ^S or leaving a tab", style="dim")
    return text
