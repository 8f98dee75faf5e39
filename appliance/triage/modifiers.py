"""First-order modifiers: findings that set a minimum priority whatever the complaint.

Emergency triage scales (CTAS, and KTAS built on it) grade a small set of findings the same way
for every presenting complaint: vital signs against age-banded limits, level of consciousness,
pain severity by site and course, and fever with signs of a systemic response. The limits are
data in the pack's ``triage/modifiers.toml``, validated strictly like the rest of the triage
files; this module reads them and turns a case into reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appliance.errors import PackError
from appliance.triage.conditions import (
    VitalCondition,
    level_field,
    parse_conditions,
    read_toml,
    text_field,
)
from appliance.triage.schema import Reason

_LEVELS = (1, 2, 3, 4, 5)
_ACVPU = ("C", "V", "P", "U")


@dataclass(frozen=True)
class VitalBand:
    """One limit: when every condition holds (and the age fits), the level is at least ``level``."""

    id: str
    level: int
    reason: str
    protocol: str
    source: str
    conditions: tuple[VitalCondition, ...]
    age_min: float | None = None
    age_max: float | None = None
    # A band graded by whether the finding comes with symptoms (CTAS grades hypertension so):
    # ``level`` with any of ``symptoms``, ``level_without`` when none is present.
    symptoms: frozenset[str] = frozenset()
    level_without: int | None = None

    def level_for(self, findings: frozenset[str]) -> int:
        if self.level_without is None or findings & self.symptoms:
            return self.level
        return self.level_without

    def applies(self, age: float | None, vitals: Mapping[str, Any]) -> bool:
        if self.age_min is not None and (age is None or age < self.age_min):
            return False
        if self.age_max is not None and (age is None or age >= self.age_max):
            return False
        return all(c.holds(vitals) for c in self.conditions)


@dataclass(frozen=True)
class PainGrid:
    """Pain severity × site (central or peripheral) × course (acute or chronic)."""

    severe: int
    moderate: int
    central: tuple[int, int, int]
    peripheral: tuple[int, int, int]
    chronic_step: int
    unknown_site: str
    protocol: str
    source: str
    # concepts that make pain chronic: long-standing, or the person's known, usual pattern (CTAS)
    chronic_when: frozenset[str] = frozenset({"chronic-course"})
    # concepts that tell a strain (lifting, digging, a twist): back or neck pain from it is
    # musculoskeletal, which CTAS grades as peripheral pain
    strain_when: frozenset[str] = frozenset()

    def level(self, score: int, site: str | None, chronic: bool) -> int | None:
        if score <= 0:
            return None
        band = 0 if score >= self.severe else 1 if score >= self.moderate else 2
        grid = self.central if (site or self.unknown_site) == "central" else self.peripheral
        return min(5, grid[band] + (self.chronic_step if chronic else 0))


@dataclass(frozen=True)
class FeverRule:
    """Adult fever graded by immunosuppression and the systemic response (SIRS signs)."""

    fever: float
    age_min: float
    immunosuppressed: int
    sirs_pulse: float
    sirs_rr: float
    all_sirs: int
    some_sirs: int
    fever_only: int
    protocol: str
    source: str
    #: complaints whose fever is the infection's own: with nothing else presented, a pulse
    #: or respiratory rate not measured is not taken for a raised one
    local_infection: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Modifiers:
    version: str
    consciousness: Mapping[str, int]
    consciousness_protocol: str
    consciousness_source: str
    pain: PainGrid
    fever: FeverRule
    bands: tuple[VitalBand, ...]
    raw: bytes = b""

    def reasons(self, *, age: float | None, vitals: Mapping[str, Any], pain: int | None,
                site: str | None, chronic: bool, immunosuppressed: bool,
                findings: frozenset[str] = frozenset(),
                complaints: frozenset[str] = frozenset()) -> list[Reason]:
        """The modifier findings for one case, each with the minimum level it sets.

        ``findings`` are the concepts read from the complaint; bands graded by symptoms look
        for theirs there. ``complaints`` are the presenting complaints' ids.
        """
        out: list[Reason] = []
        acvpu = vitals.get("consciousness")
        if isinstance(acvpu, str) and acvpu in self.consciousness:
            out.append(Reason(f"Level of consciousness {acvpu} on ACVPU",
                              self.consciousness[acvpu], self.consciousness_protocol, "modifier",
                              f"consciousness-{acvpu}", self.consciousness_source))
        worst: dict[str, tuple[int, VitalBand]] = {}  # one finding per vital: its most urgent
        for band in self.bands:
            vital = band.conditions[0].name if band.conditions else band.id
            graded = band.level_for(findings)
            if band.applies(age, vitals) and (vital not in worst or graded < worst[vital][0]):
                worst[vital] = (graded, band)
        out += [Reason(_band_text(b, lv), lv, b.protocol, "modifier", b.id, b.source)
                for lv, b in worst.values()]
        if pain is not None:
            level = self.pain.level(pain, site, chronic)
            if level is not None:
                where = site or f"{self.pain.unknown_site} (site not recognised)"
                course = "chronic" if chronic else "acute"
                out.append(Reason(f"Pain {pain}/10, {where}, {course}", level,
                                  self.pain.protocol, "pain", "pain-grid", self.pain.source))
        out += self._fever(age, vitals, immunosuppressed, complaints)
        return out

    def _fever(self, age: float | None, vitals: Mapping[str, Any],
               immunosuppressed: bool, complaints: frozenset[str]) -> list[Reason]:
        f, temp = self.fever, vitals.get("temperature")
        if not isinstance(temp, int | float) or temp < f.fever:
            return []
        if age is None or age < f.age_min:
            return []  # children's fever is graded by the paediatric ranges
        pulse, rr = vitals.get("pulse"), vitals.get("respiratory_rate")
        signs = [name for name, value, limit in (("pulse", pulse, f.sirs_pulse),
                                                  ("respiratory rate", rr, f.sirs_rr))
                 if isinstance(value, int | float) and value > limit]
        unmeasured = [name for name, value in (("pulse", pulse), ("respiratory rate", rr))
                      if not isinstance(value, int | float)]
        if immunosuppressed:
            level, why = f.immunosuppressed, "in an immunosuppressed patient"
        elif len(signs) == 2:
            level, why = f.all_sirs, f"with raised {' and '.join(signs)}: looks septic"
        elif signs:
            level, why = f.some_sirs, f"with raised {signs[0]}"
        elif unmeasured and not (complaints - {"fever"}
                                 and complaints <= f.local_infection | {"fever"}):
            level, why = f.some_sirs, f"with {' and '.join(unmeasured)} not measured"
        elif unmeasured:  # a sore throat's or a cold's own fever (NICE NG84, CKS)
            level, why = f.fever_only, (f"with a self-limiting infection and "
                                        f"{' and '.join(unmeasured)} not measured")
        else:
            level, why = f.fever_only, "with no other sign of a systemic response"
        return [Reason(f"Fever {temp:g} °C {why}", level, f.protocol, "modifier", "fever",
                       f.source)]


def _band_text(band: VitalBand, level: int) -> str:
    if band.level_without is None:
        return band.reason
    told = "with" if level == band.level else "without"
    return f"{band.reason} ({told} associated symptoms)"


def _number(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PackError(f"{where} must be a number, got {value!r}")
    return float(value)


def _table(where: str, data: Mapping[str, Any], key: str, keys: set[str],
           optional: frozenset[str] = frozenset()) -> Mapping[str, Any]:
    table = data.get(key)
    if not isinstance(table, dict):
        raise PackError(f"{where}: a [{key}] table is required")
    unknown = set(table) - keys - optional
    if unknown:
        raise PackError(f"{where}: unknown key(s) {sorted(unknown)} in [{key}]")
    missing = keys - set(table)
    if missing:
        raise PackError(f"{where}: [{key}] lacks {sorted(missing)}")
    return table


def _concept_list(name: str, table: Mapping[str, Any], key: str, default: list[str],
                  concepts: set[str] | None, section: str = "pain") -> frozenset[str]:
    listed = table.get(key, default)
    if not isinstance(listed, list) or not all(isinstance(c, str) for c in listed):
        raise PackError(f"{name}: [{section}] {key} is a list of concept ids")
    unknown = sorted(set(listed) - concepts) if concepts is not None else []
    if unknown:
        raise PackError(f"{name}: [{section}] {key} names unknown concept(s) {unknown}")
    return frozenset(listed)


def _band(where: str, spec: Any, protocols: set[str], concepts: set[str]) -> VitalBand:
    if not isinstance(spec, dict):
        raise PackError(f"{where} must be a table")
    allowed = {"id", "level", "reason", "protocol", "source", "vitals", "age_min", "age_max",
               "symptoms", "level_without"}
    unknown = set(spec) - allowed
    if unknown:
        raise PackError(f"{where}: unknown key(s) {sorted(unknown)}")
    protocol = text_field(f"{where}.protocol", spec.get("protocol"))
    if protocol not in protocols:
        raise PackError(f"{where}: protocol {protocol!r} is not in the pack")
    ages = {k: (_number(f"{where}.{k}", spec[k]) if k in spec else None)
            for k in ("age_min", "age_max")}
    level = level_field(f"{where}.level", spec.get("level"))
    symptoms, without = _symptoms(where, spec, concepts, level)
    return VitalBand(text_field(f"{where}.id", spec.get("id")), level,
                     text_field(f"{where}.reason", spec.get("reason")), protocol,
                     text_field(f"{where}.source", spec.get("source")),
                     parse_conditions(f"{where}.vitals", spec.get("vitals")),
                     ages["age_min"], ages["age_max"], symptoms, without)


def _symptoms(where: str, spec: Mapping[str, Any], concepts: set[str],
              level: int) -> tuple[frozenset[str], int | None]:
    """A band's symptom grading: both keys or neither, known concepts, never more urgent."""
    if ("symptoms" in spec) != ("level_without" in spec):
        raise PackError(f"{where}: 'symptoms' and 'level_without' go together")
    if "symptoms" not in spec:
        return frozenset(), None
    listed = spec["symptoms"]
    if not isinstance(listed, list) or not listed or not all(isinstance(c, str) for c in listed):
        raise PackError(f"{where}.symptoms must be a non-empty list of concept ids")
    unknown = sorted(set(listed) - concepts)
    if unknown:
        raise PackError(f"{where}.symptoms: unknown concept(s) {unknown}")
    without = level_field(f"{where}.level_without", spec["level_without"])
    if without < level:
        raise PackError(f"{where}: level_without must not be more urgent than level")
    return frozenset(listed), without


def load_modifiers(path: Path, protocols: set[str],
                   concepts: set[str] | None = None) -> Modifiers:
    """Read and strictly validate ``triage/modifiers.toml`` (``concepts``: the lexicon's ids)."""
    data = read_toml(path)
    name = path.name
    unknown = set(data) - {"version", "consciousness", "pain", "fever", "band"}
    if unknown:
        raise PackError(f"{name}: unknown top-level key(s) {sorted(unknown)}")
    version = text_field(f"{name}: version", data.get("version"))
    cons = _table(name, data, "consciousness", {*_ACVPU, "protocol", "source"})
    pain = _table(name, data, "pain", {"severe", "moderate", "central", "peripheral",
                                       "chronic_step", "unknown_site", "protocol", "source"},
                  optional=frozenset({"chronic_when", "strain_when"}))
    fever = _table(name, data, "fever", {"fever", "age_min", "immunosuppressed", "sirs_pulse",
                                         "sirs_rr", "all_sirs", "some_sirs", "fever_only",
                                         "protocol", "source"},
                   optional=frozenset({"local_infection"}))
    for table, key in ((cons, "consciousness"), (pain, "pain"), (fever, "fever")):
        if table["protocol"] not in protocols:
            raise PackError(f"{name}: [{key}] protocol {table['protocol']!r} is not in the pack")
    grids = {}
    for site in ("central", "peripheral"):
        row = pain[site]
        if not isinstance(row, list) or len(row) != 3:
            raise PackError(f"{name}: [pain] {site} lists the levels for severe, moderate, mild")
        grids[site] = tuple(level_field(f"{name}: [pain] {site}", v) for v in row)
    if pain["unknown_site"] not in ("central", "peripheral"):
        raise PackError(f"{name}: [pain] unknown_site is 'central' or 'peripheral'")
    severe, moderate = (int(_number(f"{name}: [pain] {k}", pain[k]))
                        for k in ("severe", "moderate"))
    if not 1 <= moderate < severe <= 10:
        raise PackError(f"{name}: [pain] needs 1 ≤ moderate < severe ≤ 10")
    grid = PainGrid(severe, moderate, grids["central"], grids["peripheral"],  # type: ignore[arg-type]
                    int(_number(f"{name}: [pain] chronic_step", pain["chronic_step"])),
                    pain["unknown_site"], pain["protocol"], text_field(f"{name}: [pain] source",
                                                                  pain["source"]),
                    _concept_list(name, pain, "chronic_when", ["chronic-course"], concepts),
                    _concept_list(name, pain, "strain_when", [], concepts))
    fever_rule = FeverRule(
        fever=_number(f"{name}: [fever] fever", fever["fever"]),
        age_min=_number(f"{name}: [fever] age_min", fever["age_min"]),
        immunosuppressed=level_field(f"{name}: [fever] immunosuppressed",
                                     fever["immunosuppressed"]),
        sirs_pulse=_number(f"{name}: [fever] sirs_pulse", fever["sirs_pulse"]),
        sirs_rr=_number(f"{name}: [fever] sirs_rr", fever["sirs_rr"]),
        all_sirs=level_field(f"{name}: [fever] all_sirs", fever["all_sirs"]),
        some_sirs=level_field(f"{name}: [fever] some_sirs", fever["some_sirs"]),
        fever_only=level_field(f"{name}: [fever] fever_only", fever["fever_only"]),
        protocol=fever["protocol"], source=text_field(f"{name}: [fever] source", fever["source"]),
        local_infection=_concept_list(name, fever, "local_infection", [], concepts, "fever"))
    specs = data.get("band", [])
    if not isinstance(specs, list):
        raise PackError(f"{name}: [[band]] entries must be tables")
    known = concepts or set()
    bands = tuple(_band(f"{name}: band #{i + 1}", s, protocols, known)
                  for i, s in enumerate(specs))
    ids = [b.id for b in bands]
    if len(set(ids)) != len(ids):
        raise PackError(f"{name}: a band id is used twice")
    levels = {k: level_field(f"{name}: [consciousness] {k}", cons[k]) for k in _ACVPU}
    return Modifiers(version, levels, cons["protocol"],
                     text_field(f"{name}: [consciousness] source", cons["source"]), grid,
                     fever_rule, bands, path.read_bytes())
