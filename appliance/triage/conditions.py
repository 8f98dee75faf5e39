"""Building blocks the triage pack files share: TOML reading and vital-sign conditions."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appliance.errors import PackError
from appliance.triage.vitals import VITAL_FIELDS

#: Values computed from the recorded vital signs that rules may test (see
#: ``appliance.triage.assessment``): the shock index is the pulse over the systolic pressure.
DERIVED_VITALS = ("shock_index", "pain_score")

_OPS = {"<", "<=", ">", ">=", "==", "in"}
CAPITALS_MARK = "^"  # the lexicon indexes capitals-only terms under this prefix
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class VitalCondition:
    """``vitals.<name> <op> <value>``; a missing vital never satisfies a condition."""

    name: str
    op: str
    value: Any

    def holds(self, vitals: Mapping[str, Any]) -> bool:
        v = vitals.get(self.name)
        if v is None:
            return False
        op, x = self.op, self.value
        if op == "in":
            return bool(v in x)
        if op == "==":
            return bool(v == x)
        if isinstance(v, bool) or isinstance(v, str):
            return False
        return bool(v < x if op == "<" else v <= x if op == "<=" else
                    v > x if op == ">" else v >= x)

    def describe(self) -> str:
        return f"{self.name} {self.op} {self.value}"


@dataclass(frozen=True)
class Rule:
    """One red-flag (or self-care) rule."""

    id: str
    kind: str
    priority: int
    reason: str
    protocol: str
    any: frozenset[str] = frozenset()
    also_any: frozenset[str] = frozenset()
    all: frozenset[str] = frozenset()
    none: frozenset[str] = frozenset()
    age_min: float | None = None
    age_max: float | None = None
    if_age_unknown: bool = False
    sex: str | None = None
    pregnant: bool | None = None
    vitals: tuple[VitalCondition, ...] = ()
    vitals_any: tuple[VitalCondition, ...] = ()
    source: str | None = None  # the published guidance it follows, when it names its own
    # recorded findings that show the rule's concern has passed (a seizure patient recorded
    # alert again is post-ictal no longer); an unrecorded value never stands a rule down
    vitals_none: tuple[VitalCondition, ...] = ()

    def matches(self, concepts: frozenset[str], age: float | None, sex: str | None,
                pregnant: bool, vitals: Mapping[str, Any]) -> bool:
        """True when every condition of the rule holds for these facts."""
        if self.any and self.any.isdisjoint(concepts):
            return False
        if self.also_any and self.also_any.isdisjoint(concepts):
            return False
        if self.all and not self.all <= concepts:
            return False
        if self.none and not self.none.isdisjoint(concepts):
            return False
        if self.age_min is not None or self.age_max is not None:
            if age is None:
                if not self.if_age_unknown:
                    return False
            elif ((self.age_min is not None and age < self.age_min)
                  or (self.age_max is not None and age >= self.age_max)):
                return False
        if self.sex is not None and sex is not None and sex != self.sex:
            return False
        if self.pregnant is not None and pregnant != self.pregnant:
            return False
        if self.vitals and not all(c.holds(vitals) for c in self.vitals):
            return False
        if self.vitals_any and not any(c.holds(vitals) for c in self.vitals_any):
            return False
        return not any(c.holds(vitals) for c in self.vitals_none)


def entries(file: str, kind: str, table: dict[str, Any],
            keys: set[str]) -> Iterator[tuple[str, dict[str, Any], str]]:
    """(id, spec, where) for each ``[kind.<id>]`` table, its id and keys checked."""
    for entry_id, spec in table.items():
        where = f"{file}: {kind} '{entry_id}'"
        if not ID_PATTERN.match(entry_id):
            raise PackError(f"{where}: ids use lower-case letters, digits and '-'")
        if not isinstance(spec, dict):
            raise PackError(f"{where} must be a table")
        bad = set(spec) - keys
        if bad:
            raise PackError(f"{where}: unknown key(s) {sorted(bad)}")
        yield entry_id, spec, where


def text_field(where: str, value: Any) -> str:
    """A required, non-empty text value."""
    if not isinstance(value, str) or not value.strip():
        raise PackError(f"{where} is required (text)")
    return value.strip()


def level_field(where: str, value: Any) -> int:
    """A priority level, 1 (Immediate) to 5 (Non-urgent)."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in (1, 2, 3, 4, 5):
        raise PackError(f"{where} must be a level 1–5, got {value!r}")
    return value


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise PackError(f"{path.name} is missing from the pack ({path})",
                        hint="rebuild the pack with triage/lexicon.toml and "
                             "triage/red_flags.toml") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{path} is not valid TOML: {exc}") from exc


def str_list(where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PackError(f"{where} must be a list of non-empty strings")
    return value


def capitals_terms(where: str, value: Any) -> list[str]:
    """Abbreviations that are also everyday words ("PEA", "SI"): one word each, written in
    capitals, matched only when the text has them in capitals."""
    terms = str_list(where, value)
    bad = [t for t in terms if not (t.isupper() and t.isalpha())]
    if bad:
        raise PackError(f"{where}: capitals-only terms are one word in capitals, not {bad}")
    return [CAPITALS_MARK + t.lower() for t in terms]


def parse_conditions(where: str, value: Any) -> tuple[VitalCondition, ...]:
    if not isinstance(value, list) or not value:
        raise PackError(f"{where} must be a non-empty list of {{name, op, value}} tables")
    out = []
    for cond in value:
        if not isinstance(cond, dict) or set(cond) != {"name", "op", "value"}:
            raise PackError(f"{where}: each condition needs exactly name, op and value")
        name, op, val = cond["name"], cond["op"], cond["value"]
        if name not in VITAL_FIELDS and name not in DERIVED_VITALS:
            raise PackError(f"{where}: unknown vital sign '{name}'")
        if op not in _OPS:
            raise PackError(f"{where}: unknown operator '{op}' (use one of {sorted(_OPS)})")
        if op == "in" and not isinstance(val, list):
            raise PackError(f"{where}: 'in' needs a list value")
        if op in {"<", "<=", ">", ">="} and (isinstance(val, bool)
                                             or not isinstance(val, int | float)):
            raise PackError(f"{where}: '{op}' needs a number")
        out.append(VitalCondition(name, op, tuple(val) if isinstance(val, list) else val))
    return tuple(out)


