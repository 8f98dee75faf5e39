"""The presenting-complaint taxonomy: ``triage/complaints.toml`` in a protocol pack.

Each complaint (on the scale of the CEDIS list an emergency department uses) says how people
write it, whether a pain with it is central or peripheral, the level it sets by itself, and the
discriminators that make it more urgent. The loader validates the file strictly and turns it
into lexicon concepts (so the complaint's words are matched like any symptom) and rules (so a
discriminator is evaluated like a red flag).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from appliance.errors import PackError
from appliance.triage.conditions import (
    Rule,
    capitals_terms,
    entries,
    level_field,
    parse_conditions,
    read_toml,
    str_list,
    text_field,
)
from appliance.triage.lexicon import Concept

_KEYS = {"label", "group", "site", "level", "protocol", "source", "terms", "capitals", "concepts",
         "advice", "mechanism", "discriminator", "stand_down", "generic", "yields_to"}
_DISCRIMINATOR_KEYS = {"level", "reason", "any", "all", "age_min", "age_max", "vitals", "none"}


@dataclass(frozen=True)
class StandDown:
    """A context that makes a complaint less urgent than its own level: stroke signs that began
    days ago are past the window for clot treatment. Only context (how long, how usual) may
    stand a complaint down, never another symptom."""

    any: frozenset[str]
    level: int
    reason: str
    advice: str | None = None  # safety-netting, required when it stands down to self-care
    none: frozenset[str] = frozenset()  # what keeps the complaint at its own level
    all: frozenset[str] = frozenset()  # what must all be present besides (Ottawa: both rules)

    def applies(self, concepts: frozenset[str]) -> bool:
        return ((not self.any or not self.any.isdisjoint(concepts)) and self.all <= concepts
                and self.none.isdisjoint(concepts))


@dataclass(frozen=True)
class Complaint:
    """One presenting complaint and what it means for the priority."""

    id: str
    label: str
    group: str
    site: str | None
    level: int
    protocol: str
    source: str
    concepts: frozenset[str]
    advice: str | None = None
    #: how it happened (a fall, an assault) rather than what is wrong: its level counts only
    #: when no other complaint says what the injury or illness is
    mechanism: bool = False
    #: contexts that stand it down, in the pack's order: the first that applies is used
    stand_down: tuple[StandDown, ...] = ()
    stood_down: str | None = None  # the stand-down's reason, once it applies
    #: its concepts that say no more than that it happened ("bitten": by what, not told) ...
    generic: frozenset[str] = frozenset()
    #: ... and the complaints that, when found, say what it was (an insect, a snake): then it
    #: is theirs, unless a concept of its own that is not generic was found too
    yields_to: frozenset[str] = frozenset()

    def yields(self, concepts: frozenset[str], found: set[str]) -> bool:
        """True when only its generic words were found and another complaint names what."""
        return (bool(self.yields_to & found)
                and not concepts & (self.concepts - self.generic))

    def settled(self, concepts: frozenset[str]) -> Complaint:
        """The complaint as these concepts leave it: stood down when its context is present."""
        down = next((d for d in self.stand_down if d.applies(concepts)), None)
        if down is None:
            return self
        return replace(self, level=down.level, advice=down.advice or self.advice,
                       stood_down=down.reason)

    @property
    def reason(self) -> str:
        return self.stood_down or f"Presenting complaint: {self.label}"


@dataclass(frozen=True)
class Unrecognised:
    """What a complaint the taxonomy cannot read sets: a level to see it by, and why."""

    level: int
    reason: str
    protocol: str


@dataclass(frozen=True)
class Taxonomy:
    version: str
    complaints: tuple[Complaint, ...]
    rules: tuple[Rule, ...]
    unrecognised: Unrecognised
    raw: bytes

    def found(self, concepts: frozenset[str]) -> list[Complaint]:
        """The complaints any of these (positive) concepts stand for; a mechanism only when
        nothing else names the injury or illness."""
        index = self._by_concept
        found = {c.id for concept in concepts for c in index.get(concept, ())}
        hits = [c for c in self.complaints if c.id in found and not c.yields(concepts, found)]
        named = [c for c in hits if not c.mechanism]
        return named or hits

    @cached_property
    def _by_concept(self) -> dict[str, tuple[Complaint, ...]]:
        index: dict[str, list[Complaint]] = {}
        for complaint in self.complaints:
            for concept in complaint.concepts:
                index.setdefault(concept, []).append(complaint)
        return {k: tuple(v) for k, v in index.items()}


def _stand_downs(where: str, spec: Any, level: int,
                 lexicon: Mapping[str, Concept]) -> tuple[StandDown, ...]:
    """One ``[complaint.x.stand_down]`` table, or several as ``[[complaint.x.stand_down]]``."""
    if spec is None:
        return ()
    specs = spec if isinstance(spec, list) else [spec]
    return tuple(_stand_down(f"{where}[{i}]" if isinstance(spec, list) else where, one, level,
                             lexicon) for i, one in enumerate(specs))


def _stand_down(where: str, spec: Any, level: int,
                lexicon: Mapping[str, Concept]) -> StandDown:
    if not isinstance(spec, dict) or not {"level", "reason"} <= set(spec) <= {
            "any", "all", "level", "reason", "advice", "none"} or not {"any", "all"} & set(spec):
        raise PackError(f"{where} needs any or all, level and reason (and advice at level 5)")
    anyof = str_list(f"{where}.any", spec.get("any", []))
    allof = str_list(f"{where}.all", spec.get("all", []))
    ids = anyof + allof
    not_context = [c for c in ids if c not in lexicon or lexicon[c].kind != "context"]
    if not_context:
        raise PackError(f"{where}: only context concepts may stand a complaint down, not "
                        f"{not_context}")
    down = level_field(f"{where}.level", spec["level"])
    if down <= level:
        raise PackError(f"{where}: level {down} is not less urgent than the complaint's {level}")
    advice = spec.get("advice")
    if down == 5:
        advice = text_field(f"{where}.advice (safety-netting, required at level 5)", advice)
        if not all(lexicon[c].benign for c in ids):
            raise PackError(f"{where}: only benign context (reassurance) stands down to self-care")
    elif advice is not None:
        raise PackError(f"{where}: 'advice' belongs to a stand-down to level 5 only")
    keep = str_list(f"{where}.none", spec.get("none", []))
    unknown = [c for c in keep if c not in lexicon]
    if unknown:
        raise PackError(f"{where}: unknown concept(s) {unknown} in 'none'")
    return StandDown(frozenset(anyof), down, text_field(f"{where}.reason", spec["reason"]),
                     advice, frozenset(keep), frozenset(allof))


def _discriminator(where: str, spec: Any, complaint: str, concepts: frozenset[str],
                   known: Mapping[str, frozenset[str]], protocol: str, source: str,
                   lexicon: Mapping[str, Concept]) -> Rule:
    if not isinstance(spec, dict):
        raise PackError(f"{where} must be a table")
    unknown = set(spec) - _DISCRIMINATOR_KEYS
    if unknown:
        raise PackError(f"{where}: unknown key(s) {sorted(unknown)}")
    level = level_field(f"{where}.level", spec.get("level"))
    if level == 5:
        raise PackError(f"{where}: a discriminator makes a complaint more urgent (level 1–4)")
    ids = str_list(f"{where}.any", spec.get("any", []))
    missing = [c for c in ids if c not in known]
    if missing:
        raise PackError(f"{where}: unknown concept or complaint id(s) {missing}")
    expanded = frozenset(c for i in ids for c in known[i])
    # every one of these must be present as well (a bite that broke the skin AND is at a site
    # where bites get infected): lexicon concepts only, each needed as written
    both = str_list(f"{where}.all", spec.get("all", []))
    strays = [c for c in both if c not in lexicon]
    if strays:
        raise PackError(f"{where}: unknown concept(s) {strays} in 'all'")
    ages: dict[str, float | None] = {}
    for key in ("age_min", "age_max"):
        val = spec.get(key)
        if val is not None and (isinstance(val, bool) or not isinstance(val, int | float)
                                or not 0 <= val <= 130):
            raise PackError(f"{where}: '{key}' must be a number of years")
        ages[key] = val
    vitals = parse_conditions(f"{where}.vitals", spec["vitals"]) if "vitals" in spec else ()
    if not (ids or both or vitals or ages["age_min"] is not None
            or ages["age_max"] is not None):
        raise PackError(f"{where}: needs at least one of any, all, age_min, age_max, vitals")
    # as for red flags, only context (how long, how usual) may keep a discriminator from firing
    keep = str_list(f"{where}.none", spec.get("none", []))
    not_context = [c for c in keep if c not in lexicon or lexicon[c].kind != "context"]
    if not_context:
        raise PackError(f"{where}: 'none' may only list context concepts, not {not_context}")
    return Rule(f"{complaint}-{where.rsplit('#', 1)[-1]}", "complaint", level,
                text_field(f"{where}.reason", spec.get("reason")), protocol,
                any=expanded, also_any=concepts, all=frozenset(both), none=frozenset(keep),
                age_min=ages["age_min"],
                age_max=ages["age_max"], vitals=vitals, source=source)


def load_taxonomy(path: Path, lexicon: dict[str, Concept],
                  protocols: set[str]) -> Taxonomy:
    """Read ``complaints.toml``; its own terms are added to ``lexicon`` as concepts.

    A complaint whose id is already a lexicon concept extends that concept's terms, so the
    complaint and the symptom it is named after are one thing.
    """
    data = read_toml(path)
    name = path.name
    unknown = set(data) - {"version", "unrecognised", "complaint"}
    if unknown:
        raise PackError(f"{name}: unknown top-level key(s) {sorted(unknown)}")
    version = text_field(f"{name}: version", data.get("version"))
    fallback = data.get("unrecognised")
    if not isinstance(fallback, dict) or set(fallback) != {"level", "reason", "protocol"}:
        raise PackError(f"{name}: [unrecognised] needs level, reason and protocol: what an "
                        "unrecognised complaint sets")
    if fallback["protocol"] not in protocols:
        raise PackError(f"{name}: [unrecognised] protocol {fallback['protocol']!r} is not in "
                        "the pack")
    unrecognised = Unrecognised(level_field(f"{name}: [unrecognised] level", fallback["level"]),
                                text_field(f"{name}: [unrecognised] reason", fallback["reason"]),
                                fallback["protocol"])
    table = data.get("complaint")
    if not isinstance(table, dict) or not table:
        raise PackError(f"{name}: a [complaint.<id>] table is required")
    complaints: list[Complaint] = []
    pending: list[tuple[str, Any, frozenset[str], str, str]] = []
    for cid, spec, where in entries(name, "complaint", table, _KEYS):
        label = text_field(f"{where}.label", spec.get("label"))
        level = level_field(f"{where}.level", spec.get("level"))
        protocol = text_field(f"{where}.protocol", spec.get("protocol"))
        if protocol not in protocols:
            raise PackError(f"{where}: protocol {protocol!r} is not in the pack")
        site = spec.get("site")
        if site not in (None, "central", "peripheral"):
            raise PackError(f"{where}: 'site' is 'central' or 'peripheral'")
        mechanism = spec.get("mechanism", False)
        if not isinstance(mechanism, bool):
            raise PackError(f"{where}: 'mechanism' must be true or false")
        advice = spec.get("advice")
        if level == 5:
            advice = text_field(f"{where}.advice (safety-netting, required at level 5)", advice)
        elif advice is not None:
            raise PackError(f"{where}: 'advice' belongs to level-5 (self-care) complaints only")
        terms = [*str_list(f"{where}.terms", spec.get("terms", [])),
                 *capitals_terms(f"{where}.capitals", spec.get("capitals", []))]
        refs = str_list(f"{where}.concepts", spec.get("concepts", []))
        missing = [c for c in refs if c not in lexicon]
        if missing:
            raise PackError(f"{where}: unknown lexicon concept(s) {missing}")
        if not terms and not refs and cid not in lexicon:
            raise PackError(f"{where}: give terms, or concepts it stands for")
        if terms:
            old = lexicon.get(cid)
            # the complaint adds words; what the concept implies and is benign with stays
            lexicon[cid] = Concept(cid, old.label if old else label,
                                   (*(old.terms if old else (label.lower(),)), *terms),
                                   old.benign if old else level == 5,
                                   old.kind if old else "symptom",
                                   (*(old.fuzzy_terms if old else (label,)), *terms),
                                   old.implies if old else (), old.benign_with if old else ())
        own = frozenset({*refs, *([cid] if cid in lexicon else [])})
        stand_down = _stand_downs(f"{where}.stand_down", spec.get("stand_down"), level, lexicon)
        generic = frozenset(str_list(f"{where}.generic", spec.get("generic", [])))
        if not generic <= own:
            raise PackError(f"{where}: 'generic' lists concepts that are not its own: "
                            f"{sorted(generic - own)}")
        yields_to = frozenset(str_list(f"{where}.yields_to", spec.get("yields_to", [])))
        if bool(generic) != bool(yields_to):
            raise PackError(f"{where}: 'generic' and 'yields_to' go together")
        complaints.append(Complaint(cid, label, text_field(f"{where}.group", spec.get("group")),
                                    site, level, protocol,
                                    text_field(f"{where}.source", spec.get("source")), own, advice,
                                    mechanism, stand_down, generic=generic,
                                    yields_to=yields_to))
        discs = spec.get("discriminator", [])
        if not isinstance(discs, list):
            raise PackError(f"{where}: discriminators are [[complaint.{cid}.discriminator]]")
        pending += [(f"{where} discriminator #{i + 1}", d, own, protocol,
                     complaints[-1].source) for i, d in enumerate(discs)]
    ids = {c.id for c in complaints}
    for c in complaints:
        if not c.yields_to <= ids:
            raise PackError(f"{name}: complaint {c.id!r} yields to unknown complaint(s) "
                            f"{sorted(c.yields_to - ids)}")
    known = {**{c: frozenset({c}) for c in lexicon}, **{c.id: c.concepts for c in complaints}}
    rules = []
    for where, spec, own, protocol, source in pending:
        cid = where.split("'")[1]
        rules.append(_discriminator(where, spec, cid, own, known, protocol, source, lexicon))
    return Taxonomy(version, tuple(complaints), tuple(rules), unrecognised, path.read_bytes())
