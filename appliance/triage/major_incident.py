"""Major-incident triage as step-by-step flows, one question at a time, plus METHANE tallies.

* :class:`TenSecondTriage` (NHS England TST): any responder, no physiology.
* :class:`TriageSieve` (MIMMS sieve, still taught): walking, breathing, rate, circulation.
* :class:`MethaneTally` counts casualties by category for the METHANE report.

A flow exposes ``question`` (None when finished), ``answer(...)``, ``result`` and ``undo()`` so a
TUI can run one key press per question and let the responder correct a slip.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from appliance.errors import ValidationError

#: Categories used by both flows; DEAD is reported as "not breathing" in TST wording.
CATEGORIES = ("P1", "P2", "P3", "DEAD")
CATEGORY_LABELS = {"P1": "P1 Immediate", "P2": "P2 Urgent", "P3": "P3 Delayed (walking)",
                   "DEAD": "Not breathing / dead"}


@dataclass(frozen=True)
class Question:
    """One step: ``kind`` is "yes_no" or "number" (number questions may be answered None)."""

    id: str
    text: str
    kind: str = "yes_no"
    unit: str = ""


@dataclass(frozen=True)
class Outcome:
    """The category and what to do now."""

    category: str
    label: str
    actions: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"category": self.category, "label": self.label, "actions": list(self.actions)}


@dataclass
class _Flow:
    """Shared machinery: a history of answers replayed through ``_step``."""

    answers: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def question(self) -> Question | None:
        """The question to ask now, or None when the flow has a result."""
        return self._replay()[0]

    @property
    def result(self) -> Outcome | None:
        """The outcome once the flow has finished."""
        return self._replay()[1]

    @property
    def done(self) -> bool:
        return self.result is not None

    def answer(self, value: Any) -> Outcome | None:
        """Answer the current question (bool for yes/no, a number or None for numbers)."""
        q = self.question
        if q is None:
            raise ValidationError("this casualty has already been triaged", field="answer",
                                  hint="start a new flow for the next casualty")
        if q.kind == "yes_no" and not isinstance(value, bool):
            raise ValidationError(f"{q.text} needs yes or no", field=q.id)
        if q.kind == "number" and value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float) or value < 0):
            raise ValidationError(f"{q.text} needs a number of {q.unit} (or skip)", field=q.id)
        self.answers.append((q.id, value))
        return self.result

    def undo(self) -> None:
        """Take back the last answer."""
        if self.answers:
            self.answers.pop()

    def _replay(self) -> tuple[Question | None, Outcome | None]:
        given = dict(self.answers)
        return self._step(given)

    def _step(self, given: dict[str, Any]) -> tuple[Question | None, Outcome | None]:
        raise NotImplementedError


class TenSecondTriage(_Flow):
    """Walking → P3; catastrophic bleeding → P1; talking → penetrating torso? P1 : P2;
    not talking → breathing after opening the airway? P1 (recovery position) : not breathing."""

    WALKING = Question("walking", "Is the casualty walking?")
    BLEEDING = Question("catastrophic_bleeding", "Catastrophic bleeding?")
    TALKING = Question("talking", "Is the casualty talking?")
    PENETRATING = Question("penetrating_torso",
                           "Penetrating injury to the torso (chest, abdomen or back)?")
    BREATHING = Question("breathing", "Open the airway. Is the casualty breathing?")

    def _step(self, given: dict[str, Any]) -> tuple[Question | None, Outcome | None]:
        if "walking" not in given:
            return self.WALKING, None
        if given["walking"]:
            return None, Outcome("P3", CATEGORY_LABELS["P3"],
                                 ("direct to the casualty clearing point",))
        if "catastrophic_bleeding" not in given:
            return self.BLEEDING, None
        if given["catastrophic_bleeding"]:
            return None, Outcome("P1", CATEGORY_LABELS["P1"],
                                 ("control the bleeding now: tourniquet or direct pressure",))
        if "talking" not in given:
            return self.TALKING, None
        if given["talking"]:
            if "penetrating_torso" not in given:
                return self.PENETRATING, None
            if given["penetrating_torso"]:
                return None, Outcome("P1", CATEGORY_LABELS["P1"])
            return None, Outcome("P2", CATEGORY_LABELS["P2"])
        if "breathing" not in given:
            return self.BREATHING, None
        if given["breathing"]:
            return None, Outcome("P1", CATEGORY_LABELS["P1"], ("place in the recovery position",))
        return None, Outcome("DEAD", "Not breathing", ("move on to the next casualty",))


class TriageSieve(_Flow):
    """Walking → P3; not breathing after airway opening → dead; RR < 10 or > 29 → P1;
    capillary refill > 2 s (or, if it cannot be measured, pulse > 120) → P1; else P2."""

    WALKING = Question("walking", "Is the casualty walking?")
    BREATHING = Question("breathing", "Open the airway. Is the casualty breathing?")
    RR = Question("respiratory_rate", "Respiratory rate?", "number", "breaths/min")
    CRT = Question("capillary_refill_s", "Capillary refill time? (skip if you cannot measure)",
                   "number", "seconds")
    PULSE = Question("pulse", "Pulse rate?", "number", "beats/min")

    def _step(self, given: dict[str, Any]) -> tuple[Question | None, Outcome | None]:
        if "walking" not in given:
            return self.WALKING, None
        if given["walking"]:
            return None, Outcome("P3", CATEGORY_LABELS["P3"])
        if "breathing" not in given:
            return self.BREATHING, None
        if not given["breathing"]:
            return None, Outcome("DEAD", CATEGORY_LABELS["DEAD"])
        if "respiratory_rate" not in given:
            return self.RR, None
        rr = given["respiratory_rate"]
        if rr is not None and (rr < 10 or rr > 29):
            return None, Outcome("P1", CATEGORY_LABELS["P1"], ("breathing rate abnormal",))
        if "capillary_refill_s" not in given:
            return self.CRT, None
        crt = given["capillary_refill_s"]
        if crt is None:
            if "pulse" not in given:
                return self.PULSE, None
            pulse = given["pulse"]
            if pulse is not None and pulse > 120:
                return None, Outcome("P1", CATEGORY_LABELS["P1"], ("pulse over 120",))
        elif crt > 2:
            return None, Outcome("P1", CATEGORY_LABELS["P1"], ("capillary refill over 2 s",))
        if rr is None:  # could not count: do not downgrade a casualty we could not assess
            return None, Outcome("P1", CATEGORY_LABELS["P1"], ("breathing rate not counted",))
        return None, Outcome("P2", CATEGORY_LABELS["P2"])


METHANE_FIELDS = (
    ("major_incident", "M", "Major incident declared (or standby)"),
    ("exact_location", "E", "Exact location"),
    ("type", "T", "Type of incident"),
    ("hazards", "H", "Hazards, present and potential"),
    ("access", "A", "Access and egress routes"),
    ("number", "N", "Number and severity of casualties"),
    ("emergency_services", "E", "Emergency services present and required"),
)


@dataclass
class MethaneTally:
    """Casualty counts by category plus the free-text METHANE fields."""

    counts: Counter[str] = field(default_factory=Counter)
    details: dict[str, str] = field(default_factory=dict)

    def add(self, category: str | Outcome) -> None:
        """Count one triaged casualty."""
        cat = category.category if isinstance(category, Outcome) else category
        if cat not in CATEGORIES:
            raise ValidationError(f"unknown category {cat!r}", field="category",
                                  hint=f"use one of {', '.join(CATEGORIES)}")
        self.counts[cat] += 1

    def remove(self, category: str) -> None:
        """Correct a miscount (never below zero)."""
        if self.counts[category] > 0:
            self.counts[category] -= 1

    def set(self, key: str, text: str) -> None:
        """Fill one METHANE field (the N line is generated from the tallies)."""
        if key not in {k for k, _, _ in METHANE_FIELDS} or key == "number":
            raise ValidationError(f"unknown METHANE field {key!r}", field=key)
        self.details[key] = text

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def report(self) -> dict[str, Any]:
        """The METHANE report as a dict (letters in order) with tallies."""
        tallies = {c: self.counts.get(c, 0) for c in CATEGORIES}
        number = (f"{self.total} casualties: P1 {tallies['P1']}, P2 {tallies['P2']}, "
                  f"P3 {tallies['P3']}, not breathing/dead {tallies['DEAD']}")
        lines = [{"letter": letter, "field": key, "label": label,
                  "text": number if key == "number" else self.details.get(key, "")}
                 for key, letter, label in METHANE_FIELDS]
        return {"tallies": tallies, "total": self.total, "lines": lines}

    def text(self) -> str:
        """The report as lines ready to read out over the radio."""
        return "\n".join(f"{line['letter']} – {line['label']}: {line['text'] or '(not given)'}"
                         for line in self.report()["lines"])
