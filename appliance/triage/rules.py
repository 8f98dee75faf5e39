"""Red-flag rules as data: loading, strict validation and evaluation (no ``eval``).

A pack carries ``triage/lexicon.toml`` (concepts and the words for them) and
``triage/red_flags.toml`` (rules). Each rule names the concepts, age, sex, pregnancy and vital-sign
conditions under which it fires, the minimum priority it sets, a reason and the protocol to open.
Anything malformed raises :class:`~appliance.errors.PackError` naming the file and the rule, so a
bad pack is refused at install time rather than mis-triaging later.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from appliance.errors import PackError
from appliance.triage.complaints import Taxonomy, load_taxonomy
from appliance.triage.conditions import (
    ID_PATTERN,
    Rule,
    capitals_terms,
    entries,
    parse_conditions,
    read_toml,
    str_list,
)
from appliance.triage.lexicon import Concept, Lexicon, match_key, tokenize
from appliance.triage.modifiers import Modifiers, load_modifiers

#: protocols the engine itself links to (NEWS2, paediatric ranges, pain, pregnancy, mechanism)
ENGINE_PROTOCOLS = ("news2", "paediatric-normal-values", "pain-assessment",
                    "pregnancy-complications", "abcde-assessment", "triage-priorities")
_RULE_KEYS = {"id", "kind", "priority", "reason", "protocol", "any", "also_any", "all", "none",
              "age_min", "age_max", "if_age_unknown", "sex", "pregnant", "vitals", "vitals_any",
              "vitals_none", "source"}
_CONCEPT_KEYS = {"label", "synonyms", "abbreviations", "misspellings", "capitals", "benign",
                 "kind", "implies", "benign_with"}
_CONCEPT_KINDS = {"symptom", "sign", "condition", "mechanism", "context"}


@dataclass(frozen=True)
class RuleSet:
    """A validated lexicon plus rules, with the versions an assessment records."""

    version: str
    pack_version: str | None
    pack_id: str | None
    digest: str
    lexicon: Lexicon
    rules: tuple[Rule, ...]
    titles: Mapping[str, str]
    source: str | None = None  # red_flags.toml's sources, for rules that name none of their own
    taxonomy: Taxonomy | None = None
    modifiers: Modifiers | None = None
    notice: str | None = None  # why the bundled sample stands in for a refused active pack

    def concept_ids(self) -> list[str]:
        """Every concept id in the lexicon, sorted (the assistant's extraction enum)."""
        return self.lexicon.concept_ids()

    def protocol_title(self, protocol_id: str) -> str:
        """The protocol's title from its document, else the fallback in red_flags.toml."""
        return self.titles.get(protocol_id, protocol_id)

    def evaluate(self, concepts: frozenset[str], age: float | None, sex: str | None,
                 pregnant: bool, vitals: Mapping[str, Any]) -> list[Rule]:
        """The rules that fire, most urgent first (then by id, for a stable order)."""
        unconditional, by_concept = self._index
        candidates = set(unconditional)
        for concept in concepts:
            candidates.update(by_concept.get(concept, ()))
        hits = [r for r in candidates if r.matches(concepts, age, sex, pregnant, vitals)]
        return sorted(hits, key=lambda r: (r.priority, r.id))

    @cached_property
    def _index(self) -> tuple[tuple[Rule, ...], dict[str, tuple[Rule, ...]]]:
        """Rules that need no concept, and the rest under each concept that can trigger them
        (a rule needing concepts fires only when one of its ``any`` or ``all`` is present)."""
        unconditional: list[Rule] = []
        by_concept: dict[str, list[Rule]] = {}
        for rule in self.rules:
            triggers = rule.any | rule.all or rule.also_any
            if not triggers:
                unconditional.append(rule)
            for concept in triggers:
                by_concept.setdefault(concept, []).append(rule)
        return tuple(unconditional), {k: tuple(v) for k, v in by_concept.items()}


def _load_lexicon(path: Path) -> tuple[str, dict[str, Concept], bytes]:
    raw = path.read_bytes() if path.exists() else b""
    data = read_toml(path)
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise PackError(f"{path.name}: top-level 'version' (a string) is required")
    unknown = set(data) - {"version", "concepts"}
    if unknown:
        raise PackError(f"{path.name}: unknown top-level key(s) {sorted(unknown)}")
    table = data.get("concepts")
    if not isinstance(table, dict) or not table:
        raise PackError(f"{path.name}: a [concepts.<id>] table is required")
    concepts: dict[str, Concept] = {}
    for cid, spec, where in entries(path.name, "concept", table, _CONCEPT_KEYS):
        label = spec.get("label")
        if not isinstance(label, str) or not label.strip():
            raise PackError(f"{where}: 'label' is required")
        terms: list[str] = []
        for key in ("synonyms", "abbreviations", "misspellings"):
            terms += str_list(f"{where}.{key}", spec.get(key, []))
        terms += capitals_terms(f"{where}.capitals", spec.get("capitals", []))
        fuzzy = (label, *str_list(f"{where}.synonyms", spec.get("synonyms", [])))
        if not terms:
            raise PackError(f"{where}: give at least one synonym")
        benign = spec.get("benign", False)
        kind = spec.get("kind", "symptom")
        if not isinstance(benign, bool):
            raise PackError(f"{where}: 'benign' must be true or false")
        if kind not in _CONCEPT_KINDS:
            raise PackError(f"{where}: 'kind' must be one of {sorted(_CONCEPT_KINDS)}")
        implies = tuple(str_list(f"{where}.implies", spec.get("implies", [])))
        benign_with = tuple(str_list(f"{where}.benign_with", spec.get("benign_with", [])))
        concepts[cid] = Concept(cid, label, tuple([label.lower(), *terms]), benign, kind,
                                tuple(fuzzy), implies, benign_with)
    return version, concepts, raw


def _check_terms(concepts: dict[str, Concept]) -> None:
    """Every term, as it is matched, belongs to one concept only."""
    owners: dict[str, str] = {}
    for cid, concept in concepts.items():
        for term in concept.terms:
            key = " ".join(match_key(t for t, _, _ in tokenize(term)))
            if not key:
                raise PackError(f"concept '{cid}': term {term!r} has no words")
            owner = owners.setdefault(key, cid)
            if owner != cid:
                raise PackError(f"concept '{cid}': term {term!r} already belongs to concept "
                                f"'{owner}'")


def _rule(path: Path, index: int, spec: Any, lexicon: Lexicon,
          protocols: set[str]) -> Rule:
    rid = spec.get("id") if isinstance(spec, dict) else None
    where = f"{path.name}: rule {rid!r}" if rid else f"{path.name}: rule #{index + 1}"
    if not isinstance(spec, dict):
        raise PackError(f"{where} must be a table")
    if not isinstance(rid, str) or not ID_PATTERN.match(rid):
        raise PackError(f"{where}: 'id' is required (lower-case letters, digits, '-')")
    bad = set(spec) - _RULE_KEYS
    if bad:
        raise PackError(f"{where}: unknown key(s) {sorted(bad)}")
    kind = spec.get("kind", "red-flag")
    if kind not in ("red-flag", "self-care"):
        raise PackError(f"{where}: 'kind' must be 'red-flag' or 'self-care'")
    prio = spec.get("priority")
    allowed = (5,) if kind == "self-care" else (1, 2, 3, 4)
    if isinstance(prio, bool) or not isinstance(prio, int) or prio not in allowed:
        raise PackError(f"{where}: 'priority' must be one of {list(allowed)} for a {kind} rule")
    reason = spec.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise PackError(f"{where}: 'reason' is required")
    protocol = spec.get("protocol")
    if protocol not in protocols:
        raise PackError(f"{where}: protocol {protocol!r} has neither a document nor a "
                        "title in [protocols]")
    sets: dict[str, frozenset[str]] = {}
    for key in ("any", "also_any", "all", "none"):
        ids = str_list(f"{where}.{key}", spec.get(key, []))
        unknown = [c for c in ids if c not in lexicon.concepts]
        if unknown:
            raise PackError(f"{where}: unknown concept id(s) {unknown} in '{key}'")
        sets[key] = frozenset(ids)
    if kind == "red-flag":
        # a red-flag rule may stand down only for history/context, never because another
        # symptom is present: adding a symptom must not lower a priority
        not_context = [c for c in sets["none"] if lexicon.concepts[c].kind != "context"]
        if not_context:
            raise PackError(f"{where}: 'none' may only list context concepts, not "
                            f"{not_context}")
    vitals = parse_conditions(f"{where}.vitals", spec["vitals"]) if "vitals" in spec else ()
    vitals_any = (parse_conditions(f"{where}.vitals_any", spec["vitals_any"])
                  if "vitals_any" in spec else ())
    vitals_none = (parse_conditions(f"{where}.vitals_none", spec["vitals_none"])
                   if "vitals_none" in spec else ())
    if not (sets["any"] or sets["all"] or vitals or vitals_any):
        raise PackError(f"{where}: needs at least one of any, all, vitals, vitals_any")
    ages = {}
    for key in ("age_min", "age_max"):
        val = spec.get(key)
        if val is not None and (isinstance(val, bool) or not isinstance(val, int | float)
                                or not 0 <= val <= 130):
            raise PackError(f"{where}: '{key}' must be a number of years")
        ages[key] = val
    flags = {}
    for key in ("if_age_unknown", "pregnant"):
        val = spec.get(key)
        if val is not None and not isinstance(val, bool):
            raise PackError(f"{where}: '{key}' must be true or false")
        flags[key] = val
    sex = spec.get("sex")
    if sex not in (None, "F", "M"):
        raise PackError(f"{where}: 'sex' must be \"F\" or \"M\"")
    source = spec.get("source")
    if source is not None and (not isinstance(source, str) or not source.strip()):
        raise PackError(f"{where}: 'source' names the guidance the rule follows (text)")
    return Rule(rid, kind, prio, reason.strip(), protocol, sets["any"], sets["also_any"],
                sets["all"], sets["none"], ages["age_min"], ages["age_max"],
                bool(flags["if_age_unknown"]), sex, flags["pregnant"], vitals, vitals_any,
                source, vitals_none)


def load_ruleset(pack_dir: Path, doc_titles: Mapping[str, str] | None = None, *,
                 pack_version: str | None = None, pack_id: str | None = None) -> RuleSet:
    """Read and strictly validate the triage files in ``pack_dir / "triage"``.

    ``lexicon.toml`` and ``red_flags.toml`` are required; ``complaints.toml`` (the complaint
    taxonomy) and ``modifiers.toml`` (first-order modifiers) switch those layers on.
    ``doc_titles`` (the pack's documents' own titles) win over ``[protocols]`` in
    red_flags.toml; the pack's reader supplies them and the pack's version and id
    (``appliance.protocols.pack_rules``).
    """
    pack_dir = Path(pack_dir)
    folder = pack_dir / "triage"
    lex_version, concepts, lex_raw = _load_lexicon(folder / "lexicon.toml")
    path = folder / "red_flags.toml"
    data = read_toml(path)
    raw = path.read_bytes()
    unknown = set(data) - {"version", "protocols", "rule", "source"}
    if unknown:
        raise PackError(f"{path.name}: unknown top-level key(s) {sorted(unknown)}")
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise PackError(f"{path.name}: top-level 'version' (a string) is required")
    fallback = data.get("protocols", {})
    if not isinstance(fallback, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v for k, v in fallback.items()):
        raise PackError(f"{path.name}: [protocols] maps protocol ids to titles (strings)")
    titles = {**fallback, **(doc_titles or {})}
    missing = [p for p in ENGINE_PROTOCOLS if p not in titles]
    if missing:
        raise PackError(f"{path.name}: [protocols] lacks titles for {missing}, "
                        "which the triage engine links to")
    taxonomy = None
    if (folder / "complaints.toml").exists():
        taxonomy = load_taxonomy(folder / "complaints.toml", concepts, set(titles))
    for cid, concept in concepts.items():
        strays = [i for i in concept.implies if i not in concepts or i == cid]
        if strays:
            raise PackError(f"lexicon.toml: concept '{cid}' implies unknown concept(s) {strays}")
        strays = [i for i in concept.benign_with if i not in concepts or i == cid]
        if strays:
            raise PackError(f"lexicon.toml: concept '{cid}' is benign_with unknown concept(s) "
                            f"{strays}")
    try:
        _check_terms(concepts)
    except PackError as exc:
        raise PackError(f"lexicon.toml / complaints.toml: {exc}") from exc
    lexicon = Lexicon.from_concepts(lex_version, concepts.values())
    modifiers = None
    if (folder / "modifiers.toml").exists():
        modifiers = load_modifiers(folder / "modifiers.toml", set(titles), set(concepts))
    specs = data.get("rule")
    if not isinstance(specs, list) or not specs:
        raise PackError(f"{path.name}: at least one [[rule]] is required")
    rules = [_rule(path, i, s, lexicon, set(titles)) for i, s in enumerate(specs)]
    seen: set[str] = set()
    for r in rules:
        if r.id in seen:
            raise PackError(f"{path.name}: rule id '{r.id}' is used twice")
        seen.add(r.id)
    parts = [lex_raw, raw, taxonomy.raw if taxonomy else b"", modifiers.raw if modifiers else b""]
    digest = hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]
    full_version = f"{version}+lexicon-{lexicon.version}"
    if taxonomy:
        full_version += f"+complaints-{taxonomy.version}"
    if modifiers:
        full_version += f"+modifiers-{modifiers.version}"
    source = data.get("source")
    if source is not None and (not isinstance(source, str) or not source.strip()):
        raise PackError(f"{path.name}: 'source' names the guidance the rules follow (text)")
    return RuleSet(full_version, pack_version, pack_id, digest, lexicon,
                   tuple(rules) + (taxonomy.rules if taxonomy else ()), titles, source,
                   taxonomy=taxonomy, modifiers=modifiers)
