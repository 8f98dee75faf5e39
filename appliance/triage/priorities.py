"""The five triage priorities and four dispositions Lifeboat uses.

Names, colours and "see within" times are the public UK emergency-department categories listed in
``clinical_rules.md``; Lifeboat does not reproduce any proprietary triage flowchart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Priority:
    """One triage priority: 1 is the most urgent."""

    level: int
    name: str
    colour: str
    target_minutes: int


PRIORITIES: dict[int, Priority] = {
    1: Priority(1, "Immediate", "red", 0),
    2: Priority(2, "Very urgent", "orange", 10),
    3: Priority(3, "Urgent", "yellow", 60),
    4: Priority(4, "Standard", "green", 120),
    5: Priority(5, "Non-urgent", "blue", 240),
}

DISPOSITIONS: tuple[str, ...] = ("emergency", "urgent", "routine", "self-care")

DISPOSITION_ADVICE: dict[str, str] = {
    "emergency": "Emergency department now / 999",
    "urgent": "Same-day clinical assessment",
    "routine": "Primary care (routine appointment)",
    "self-care": "Self-care advice with safety-netting",
}

#: Priority levels where the patient must be seen in an emergency setting.
EMERGENCY_LEVELS = frozenset({1, 2})


def priority(level: int) -> Priority:
    """The :class:`Priority` for ``level`` (1–5); raises ``KeyError`` for anything else."""
    return PRIORITIES[level]


def disposition_for(level: int) -> str:
    """Disposition for a priority: 1–2 emergency, 3 urgent, 4 routine, 5 self-care."""
    if level in EMERGENCY_LEVELS:
        return "emergency"
    return {3: "urgent", 4: "routine", 5: "self-care"}[level]
