"""The triage input and output contract (``lifeboat triage`` and :func:`appliance.triage.assess`).

Input is one JSON object; every field is optional; unknown fields and wrong types are refused with
a ValidationError naming the field. Output is :class:`TriageResult`, whose :meth:`to_json` is the
contract other tools read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from appliance.errors import ValidationError
from appliance.triage.vitals import validate_vitals

INPUT_FIELDS = ("id", "age", "sex", "pregnant", "complaint", "vitals", "pain_score",
                "mechanism", "arrival", "history")
_SEX = {"f": "F", "female": "F", "woman": "F", "m": "M", "male": "M", "man": "M",
        "x": "X", "other": "X", "u": None, "unknown": None, "": None}
MAX_TEXT = 4000


@dataclass(frozen=True)
class TriageInput:
    """A validated triage case. ``vitals`` holds clean values only (nothing imputed)."""

    age: float | None = None
    sex: str | None = None
    pregnant: bool | None = None
    complaint: str = ""
    vitals: Mapping[str, Any] = field(default_factory=dict)
    pain_score: int | None = None
    mechanism: str = ""
    arrival: str | None = None
    #: the record's current medications and conditions: read for context only (an
    #: anticoagulant, immunosuppression, diabetes), never as what the patient presents with
    history: str = ""
    id: str | None = None
    warnings: tuple[str, ...] = ()


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be text, got {type(value).__name__}", field=name)
    if len(value) > MAX_TEXT:
        raise ValidationError(f"{name} is longer than {MAX_TEXT} characters", field=name,
                              hint="summarise the presentation in a few sentences")
    return value


def parse_input(case: Mapping[str, Any]) -> TriageInput:
    """Validate a raw case mapping into a :class:`TriageInput`."""
    if not isinstance(case, Mapping):
        raise ValidationError(
            f"the case must be a JSON object, got {type(case).__name__}", field="(input)",
            hint='e.g. {"age": 71, "complaint": "chest pain"}')
    unknown = sorted(set(case) - set(INPUT_FIELDS))
    if unknown:
        raise ValidationError(f"unknown field {unknown[0]!r}", field=unknown[0],
                              hint=f"known fields: {', '.join(INPUT_FIELDS)}")
    warnings: list[str] = []
    age = case.get("age")
    if age is not None:
        if isinstance(age, bool) or not isinstance(age, int | float) or age != age:
            raise ValidationError(f"age must be a number of years, got {age!r}", field="age",
                                  hint="babies: use a fraction, e.g. 0.25 for 3 months")
        if not 0 <= age <= 125:
            raise ValidationError(f"age {age:g} is impossible (0–125 years)", field="age")
        if age > 110:
            warnings.append(f"age {age:g} is implausible: check it")
    sex = case.get("sex")
    if sex is not None:
        if not isinstance(sex, str) or sex.strip().lower() not in _SEX:
            raise ValidationError(f"sex must be F, M, X or unknown, got {sex!r}", field="sex")
        sex = _SEX[sex.strip().lower()]
    pregnant = case.get("pregnant")
    if pregnant is not None and not isinstance(pregnant, bool):
        raise ValidationError(f"pregnant must be true or false, got {pregnant!r}",
                              field="pregnant")
    if pregnant and sex == "M":
        warnings.append("pregnant is true but sex is M: check the record")
    pain = case.get("pain_score")
    if pain is not None:
        if isinstance(pain, bool) or not isinstance(pain, int | float) or pain != pain:
            raise ValidationError(f"pain_score must be a number 0–10, got {pain!r}",
                                  field="pain_score")
        if not 0 <= pain <= 10:
            raise ValidationError(f"pain_score {pain:g} is outside 0–10", field="pain_score")
    vitals_raw = case.get("vitals")
    vitals: dict[str, Any] = {}
    if vitals_raw is not None:
        vitals, vitals_warnings = validate_vitals(vitals_raw)
        warnings += vitals_warnings
    case_id = case.get("id")
    if case_id is not None and not isinstance(case_id, str | int):
        raise ValidationError("id must be text or a number", field="id")
    arrival = case.get("arrival")
    return TriageInput(
        age=age, sex=sex, pregnant=pregnant,
        complaint=_text("complaint", case["complaint"]) if case.get("complaint") else "",
        vitals=vitals, pain_score=None if pain is None else round(pain),
        mechanism=_text("mechanism", case["mechanism"]) if case.get("mechanism") else "",
        arrival=_text("arrival", arrival) if arrival is not None else None,
        history=_text("history", case["history"]) if case.get("history") else "",
        id=None if case_id is None else str(case_id), warnings=tuple(warnings))


@dataclass(frozen=True)
class Reason:
    """Why the priority is what it is: one finding, its minimum priority and its protocol."""

    text: str
    level: int
    protocol: str
    # news2 | rule | complaint | modifier | paediatric | pain | pregnancy | default | assistant
    source: str
    rule_id: str | None = None
    reference: str | None = None  # the published scale or guidance the rule follows

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "level": self.level, "protocol": self.protocol,
                "source": self.source, "rule": self.rule_id, "reference": self.reference}


@dataclass(frozen=True)
class TriageResult:
    """The outcome of one assessment; :meth:`to_json` is the command-line contract."""

    level: int
    name: str
    colour: str
    target_minutes: int
    disposition: str
    news2: dict[str, Any]
    red_flags: tuple[dict[str, str], ...]
    reasons: tuple[Reason, ...]
    protocols: tuple[dict[str, str], ...]
    rules_version: str
    rules_digest: str
    pack_version: str | None
    warnings: tuple[str, ...]
    monitoring: str | None
    concepts: tuple[dict[str, Any], ...]
    case_id: str | None = None
    assistant: dict[str, Any] | None = None
    complaints: tuple[dict[str, Any], ...] = ()
    advice: tuple[str, ...] = ()  # safety-netting for self-care

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "priority": {"level": self.level, "name": self.name},
            "disposition": self.disposition,
            "news2": self.news2,
            "red_flags": [dict(f) for f in self.red_flags],
            "reasons": [r.to_json() for r in self.reasons],
            "protocols": [dict(p) for p in self.protocols],
            "rules_version": self.rules_version,
            "rules_digest": self.rules_digest,
            "pack_version": self.pack_version,
            "warnings": list(self.warnings),
            "monitoring": self.monitoring,
            "concepts": [dict(c) for c in self.concepts],
            "assistant": self.assistant,
            "complaints": [dict(c) for c in self.complaints],
            "advice": list(self.advice),
        }
        if self.case_id is not None:
            out["id"] = self.case_id
        return out
