"""Combine NEWS2, red-flag rules, children's vital-sign ranges, pain and mechanism into one
priority and disposition, with every reason listed and linked to a protocol.

Every finding contributes a *minimum* priority and the most urgent one wins, so adding a finding
can never make a patient less urgent. Self-care (priority 5) is offered only when a self-care
rule matched, every finding in the complaint is benign, the observations are unremarkable and no
value was flagged as implausible; otherwise the floor is Standard (priority 4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from appliance.errors import ValidationError
from appliance.triage import news2 as news2_mod
from appliance.triage import paediatric
from appliance.triage.complaints import Complaint
from appliance.triage.conditions import Rule
from appliance.triage.lexicon import Match, find_concepts
from appliance.triage.measured import without_low_ketones, without_unfevered
from appliance.triage.nearest import NearestComplaints
from appliance.triage.onset import CONCEPT as ONSET
from appliance.triage.onset import FIVE_DAYS_CONCEPT as ONSET_5_DAYS
from appliance.triage.onset import LONG_STANDING_CONCEPT as ONSET_LONG_STANDING
from appliance.triage.onset import THREE_WEEKS_CONCEPT as ONSET_3_WEEKS
from appliance.triage.onset import WEEK_CONCEPT as ONSET_WEEK
from appliance.triage.onset import durations
from appliance.triage.pain_sites import told_peripheral
from appliance.triage.priorities import disposition_for, priority
from appliance.triage.rules import RuleSet
from appliance.triage.schema import Reason, TriageInput, TriageResult, parse_input
from appliance.triage.text_values import ComplaintReading, read_complaint
from appliance.triage.worded import worded_concepts

DEFAULT_LEVEL = 4
_NEWS2 = "Royal College of Physicians, NEWS2 (2017)"


def assess(case: Mapping[str, Any] | TriageInput, ruleset: RuleSet, *,
           assistant: Mapping[str, Any] | None = None,
           nearest: NearestComplaints | None = None) -> TriageResult:
    """Triage one case deterministically.

    ``case`` is a raw mapping (validated here; ValidationError names a bad field) or a parsed
    :class:`TriageInput`. ``ruleset`` is the rules in force: the active pack's
    (``appliance.protocols.active_rules.active_ruleset``) or a pack folder's
    (``appliance.protocols.pack_rules.load_pack_rules``).
    ``assistant`` is the optional output of the LLM extractor: concept ids
    in ``assistant["concepts"]`` may add red flags but never enable self-care, and values in
    ``assistant["fields"]`` (a triage case) fill gaps in the input only if that makes the
    result more urgent, so the model can never lower a priority. ``nearest`` (the sentence
    embedder's nearest complaint) is consulted only when no complaint is recognised, and may
    only raise the priority.
    """
    inp = case if isinstance(case, TriageInput) else parse_input(case)
    reading = read_complaint(inp.complaint)
    told = reading.fields.get("age")
    if inp.age == 0 and isinstance(told, int | float) and 0 < told < 1:
        # an age in whole years says only "under one"; the text's "7-month-old" is finer
        inp = replace(inp, age=float(told))
    age_known = inp.age is not None or isinstance(told, int | float)
    best = _assess(inp, ruleset, assistant, reading, nearest, age_known)
    from_text = _with_fields(inp, reading.fields)
    candidates: list[tuple[TriageInput, tuple[str, ...]]] = []
    if from_text is not None:
        candidates.append((from_text, (_TEXT_NOTE,)))
    found = assistant.get("fields") if assistant else None
    from_model = _with_fields(from_text or inp, found if isinstance(found, Mapping) else None)
    if from_model is not None:
        candidates.append((from_model, (_TEXT_NOTE,) * (from_text is not None) + (_MODEL_NOTE,)))
    for filled, notes in candidates:
        alternative = _assess(filled, ruleset, assistant, reading, nearest, age_known)
        if alternative.level < best.level:  # values read from text may only raise a priority
            best = replace(alternative, warnings=(*alternative.warnings, *notes))
        elif (alternative.level == best.level and not best.complaints
              and alternative.complaints and notes == (_TEXT_NOTE,)):
            # the same level, explained: "had a temperature of 39.1" is a fever once read
            best = replace(alternative, warnings=(*alternative.warnings, _READ_NOTE))
    return best


_TEXT_NOTE = ("priority raised using values written in the complaint text (read by the "
              "deterministic reader, unconfirmed): enter them as observations to confirm")
_READ_NOTE = ("values written in the complaint text were read (deterministic reader, "
              "unconfirmed): enter them as observations to confirm")
_NEAREST_NOTE = ("priority raised to the level of the complaint nearest in meaning (sentence "
                 "embedder, not a reading of the text): read the complaint and confirm")
_MODEL_NOTE = ("priority raised using values the assistant extracted from the free text "
               "(unconfirmed): confirm them")


def _with_fields(inp: TriageInput, fields: Mapping[str, Any] | None) -> TriageInput | None:
    """The case with ``fields`` (a triage case) filled in where the input left them empty."""
    if not fields:
        return None
    given_vitals = dict(inp.vitals)
    merged: dict[str, Any] = {k: v for k, v in fields.items()
                              if k in ("age", "sex", "pregnant", "pain_score", "mechanism")
                              and getattr(inp, k) in (None, "")}
    found_vitals = fields.get("vitals")
    if isinstance(found_vitals, Mapping):
        merged["vitals"] = {k: v for k, v in found_vitals.items() if k not in given_vitals}
    if not any(merged.values()):
        return None
    try:
        extra = parse_input(merged)
    except ValidationError:
        return None  # an implausible extraction is ignored, never scored
    return replace(inp, age=inp.age if inp.age is not None else extra.age,
                   sex=inp.sex or extra.sex,
                   pregnant=inp.pregnant if inp.pregnant is not None else extra.pregnant,
                   pain_score=inp.pain_score if inp.pain_score is not None else extra.pain_score,
                   mechanism=inp.mechanism or extra.mechanism,
                   vitals={**extra.vitals, **given_vitals},
                   warnings=(*inp.warnings, *extra.warnings))


def _assess(inp: TriageInput, rs: RuleSet, assistant: Mapping[str, Any] | None,
            reading: ComplaintReading, nearest: NearestComplaints | None,
            age_known: bool) -> TriageResult:
    told = reading.fields.get("vitals")
    matches = [m for m in without_low_ketones(
        without_unfevered(find_concepts(inp.complaint, rs.lexicon), inp.vitals,
                          told if isinstance(told, dict) else {}), inp.complaint)
        if not reading.in_hypothetical(m.start, m.end)]
    if inp.mechanism:
        matches += find_concepts(inp.mechanism, rs.lexicon, source="mechanism")
    if inp.history:
        matches += [m for m in find_concepts(inp.history, rs.lexicon, source="history")
                    if rs.lexicon.concepts[m.concept].kind in _HISTORY_KINDS]
    # read from the wording rather than matched as terms: how long ago, pain told with its place
    worded = (_onset(inp.complaint, matches, rs)
              | worded_concepts(inp.complaint, inp.vitals, rs.lexicon.concepts.keys(), inp.age))
    positive = rs.lexicon.expand(frozenset(m.concept for m in matches if not m.negated)
                                 | reading.concepts | worded)
    extra = _assistant_concepts(assistant, rs)
    pregnant = bool(inp.pregnant) or "pregnancy" in positive
    reasons: list[Reason] = []
    warnings: list[str] = []

    n2 = news2_mod.score(inp.vitals, age=inp.age, pregnant=pregnant, validated=True)
    reasons += _news2_reasons(n2, infection=bool(positive & _INFECTION))
    if inp.age is not None and inp.age < 16:
        reasons += [Reason(f.text, f.level, "paediatric-normal-values", "paediatric")
                    for f in paediatric.check(inp.age, inp.vitals)]
    elif pregnant:
        reasons += _pregnancy_vitals(inp.vitals)

    # the complaint is what the patient presents with; the mechanism field feeds its own rules
    said = rs.lexicon.expand(frozenset(
        m.concept for m in matches if not m.negated and m.source == "complaint"
        and not reading.in_history(m.start, m.end)) | reading.concepts | worded)
    history = frozenset(m.concept for m in matches if not m.negated) - said - {
        m.concept for m in matches if m.source == "mechanism"}
    complaints = [c.settled(said) for c in rs.taxonomy.found(said | extra)] if rs.taxonomy else []
    reasons += [Reason(c.reason, c.level, c.protocol, "complaint", f"complaint-{c.id}",
                       c.source) for c in complaints]
    rule_vitals = _rule_vitals(inp.vitals, inp.pain_score)
    if rs.modifiers is not None:
        grid = rs.modifiers.pain
        chronic = bool(positive & grid.chronic_when)
        # a new strain makes back or neck pain musculoskeletal: peripheral, as CTAS grades it
        # (a chronic pain's flare is already graded a step down, once)
        strained = bool(positive & grid.strain_when) and not chronic
        sites = {"peripheral" if strained and c.group == "Orthopedic" else c.site
                 for c in complaints if c.site}
        site = ("central" if "central" in sites else "peripheral"
                if sites or told_peripheral(inp.complaint) else None)
        # a pain score of 1-2 within complaints that are all self-limiting (each at self-care)
        # is that complaint's own discomfort, graded as the complaint is; at 3 the pain grid
        # decides again (3 kept KTAS under-triage where it was; docs/triage-evaluation.md)
        pain = inp.pain_score
        if (pain is not None and pain < _BARELY_PAINFUL and complaints
                and all(c.level == 5 for c in complaints)):
            pain = None
        reasons += rs.modifiers.reasons(
            age=inp.age, vitals=rule_vitals, pain=pain, site=site, chronic=chronic,
            immunosuppressed="immunosuppressed" in positive | extra,
            findings=positive - history | extra,
            complaints=frozenset(c.id for c in complaints))
    else:
        reasons += _pain_reasons(inp.pain_score)
    described = any(rs.lexicon.concepts[c].kind != "context" for c in positive)
    if rs.taxonomy is not None and inp.complaint.strip() and not complaints and not described:
        fallback = rs.taxonomy.unrecognised
        reasons.append(Reason(fallback.reason, fallback.level, fallback.protocol, "complaint",
                              "complaint-not-recognised"))
        warnings.append("The complaint was not recognised: read it and confirm the priority.")
        guess = nearest.match(inp.complaint) if nearest is not None else None
        if guess is not None and guess.complaint.level < fallback.level:
            c = guess.complaint
            reasons.append(Reason(
                f"Nearest complaint in meaning: {c.label} (similarity {guess.similarity:.2f})",
                c.level, c.protocol, "embedder", f"nearest-{c.id}", c.source))
            warnings.append(_NEAREST_NOTE)

    current = positive - history | extra
    hits = [r for r in rs.evaluate(positive | extra, inp.age, inp.sex, pregnant, rule_vitals)
            if _counts(r, current, inp, pregnant, rule_vitals)]
    fired = [r for r in hits if r.kind in ("red-flag", "complaint")]
    red_flags = [r for r in fired if r.kind == "red-flag"]
    for rule in fired:
        source = ("assistant" if not rule.matches(positive, inp.age, inp.sex, pregnant,
                                                   rule_vitals)
                  else "complaint" if rule.kind == "complaint" else "rule")
        reasons.append(Reason(rule.reason, rule.priority, rule.protocol, source, rule.id,
                              rule.source or rs.source))

    level = min((r.level for r in reasons), default=DEFAULT_LEVEL)
    own = hits if not extra else rs.evaluate(positive, inp.age, inp.sex, pregnant, rule_vitals)
    self_care = [r for r in own if r.kind == "self-care"]  # never enabled by the model
    benign = (not inp.warnings and not extra - positive
              and _all_benign(positive - history, complaints, rs))
    if level == 5 and not benign:
        level = DEFAULT_LEVEL
        reasons.append(Reason("Not every finding is benign: standard priority", DEFAULT_LEVEL,
                              "triage-priorities", "default"))
    elif level == 5 and not age_known:
        # self-care advice and its limits depend on age: a baby or a frail older person with
        # the same words is seen, so neither an entered age nor one in the text: not self-care
        level = DEFAULT_LEVEL
        reasons.append(Reason("Age not recorded: self-care needs the patient's age (babies and "
                              "older people are seen): standard priority", DEFAULT_LEVEL,
                              "triage-priorities", "default"))
    elif (level == DEFAULT_LEVEL and not reasons and self_care and benign and age_known):
        level = 5
    if level == 5:
        reasons += [Reason(r.reason, 5, r.protocol, "rule", r.id) for r in self_care]
    elif not reasons:
        reasons.append(Reason("No red flags or abnormal observations found: standard priority",
                              DEFAULT_LEVEL, "triage-priorities", "default"))
    reasons.sort(key=lambda r: r.level)  # stable: keeps the order findings were made
    return _result(inp, rs, level, n2, red_flags, reasons, matches, assistant,
                   tuple(warnings), complaints)


def _onset(text: str, matches: list[Match], rs: RuleSet) -> frozenset[str]:
    """``onset-over-24h`` when the pack knows it and every finding began more than a day ago
    (it stands signs down); ``onset-5-days-or-more`` when a clause naming a fever says so (a
    fever of 5 days in a child is amber); ``onset-over-a-week`` and ``onset-over-3-weeks``
    when anything is told to have gone on that long (they only raise a level or keep one)."""
    concepts = rs.lexicon.concepts
    # "breathless on the stairs" is context implying a finding: it must say how long too
    findings = [m for m in matches if m.source == "complaint" and any(
        concepts[c].kind != "context" for c in (m.concept, *concepts[m.concept].implies))]
    told = durations(text, findings, [m for m in matches if m.concept == "fever"])
    spans = ((ONSET, 1, told.every_finding), (ONSET_5_DAYS, 4.99, told.fever),
             (ONSET_WEEK, 7, told.told), (ONSET_3_WEEKS, 20.99, told.told),  # NHS: 3 weeks+
             (ONSET_LONG_STANDING, 20.99, told.every_finding))
    return frozenset(c for c, days, long in spans if c in concepts and long > days)


def _counts(rule: Rule, current: frozenset[str], inp: TriageInput, pregnant: bool,
            vitals: Mapping[str, Any]) -> bool:
    """A rule counts when it holds without the allergy history, or when it joins that history
    to another finding (a known nut allergy with lip swelling and wheeze is anaphylaxis; a
    penicillin allergy alone is not an allergic reaction today)."""
    joins = (bool(rule.any) and bool(rule.also_any)) or len(rule.all) >= 2
    return joins or rule.matches(current, inp.age, inp.sex, pregnant, vitals)


def _rule_vitals(vitals: Mapping[str, Any], pain: int | None) -> Mapping[str, Any]:
    """Vitals as rules see them: an SpO2 without a scale is on scale 1, as NEWS2 reads it, the
    shock index (pulse over systolic pressure) when both are recorded, and the pain score."""
    seen = dict(vitals)
    if pain is not None:
        seen["pain_score"] = pain
    if "spo2" in seen and "spo2_scale" not in seen:
        seen["spo2_scale"] = 1
    pulse, systolic = seen.get("pulse"), seen.get("systolic_bp")
    if isinstance(pulse, int | float) and isinstance(systolic, int | float) and systolic > 0:
        seen["shock_index"] = round(pulse / systolic, 2)
    return seen


def _assistant_concepts(assistant: Mapping[str, Any] | None, rs: RuleSet) -> frozenset[str]:
    if not assistant:
        return frozenset()
    listed = assistant.get("concepts") or []
    known = rs.lexicon.concepts
    return frozenset(c for c in listed if isinstance(c, str) and c in known)


def _all_benign(positive: frozenset[str], complaints: list[Complaint], rs: RuleSet) -> bool:
    """Self-care needs positive evidence: every finding is benign or a level-5 complaint's."""
    self_limiting = {c for comp in complaints if comp.level == 5 for c in comp.concepts}
    concepts = rs.lexicon.concepts
    return bool(positive) and all(concepts[c].benign or c in self_limiting
                                  or positive.intersection(concepts[c].benign_with)
                                  for c in positive)


_HISTORY_KINDS = frozenset({"context", "condition"})  # what a medication list can tell
_INFECTION = frozenset({"fever", "infection", "urine-infection", "sepsis", "immunosuppressed"})
_BARELY_PAINFUL = 3  # pain scores below this within a self-care complaint are its own
_NEAR_NORMAL_TOTAL = 3  # below this, with no parameter scoring above 1, self-care stays open


def _news2_reasons(n2: news2_mod.News2Result, infection: bool = False) -> list[Reason]:
    """NEWS2's minimum level. With a possible infection even a score of 1 may be the start of
    a systemic response, so ordinary variation only counts as such without one."""
    if not n2.applicable or n2.total is None:
        return []
    total, at_least = n2.total, "" if n2.complete else "at least "
    label = f"NEWS2 {at_least}{total}"
    if total >= 7:
        return [Reason(f"{label} (high): emergency assessment by a critical-care-competent "
                       "team", 2, "news2", "news2", reference=_NEWS2)]
    if total >= 5 and infection:
        return [Reason(f"{label} (medium) with a possible infection: urgent clinical review "
                       "for sepsis", 2, "news2", "news2", reference=_NEWS2)]
    if total >= 5:
        # a medium score is an urgent review within the hour (NICE NG51: moderate risk), not
        # the emergency response a high score or a single red score calls for
        return [Reason(f"{label} (medium): urgent clinical review within the hour", 3, "news2",
                       "news2", reference=f"{_NEWS2}; NICE NG51 (2024)")]
    if n2.red_score:
        names = ", ".join(n2.red_parameters)
        return [Reason(f"{label} with a red score (3) in {names}: urgent review", 3, "news2",
                       "news2", reference=_NEWS2)]
    if (total >= _NEAR_NORMAL_TOTAL or max(p.score for p in n2.parameters.values()) > 1
            or infection and total >= 1):  # a score of 0 is normal, with an infection or not
        return [Reason(f"{label} (low): observations not all normal", 4, "news2", "news2",
                       reference=_NEWS2)]
    if total >= 1:
        # A temperature of 36.0 or a pulse of 95 scores 1: ordinary variation, which alone
        # does not rule out advice and self-care for an otherwise benign presentation.
        return [Reason(f"{label} (low): observations within ordinary variation", 5, "news2",
                       "news2", reference=_NEWS2)]
    return []


def _pregnancy_vitals(vitals: Mapping[str, Any]) -> list[Reason]:
    """NEWS2 is not validated in pregnancy, so its chart is used only as a safety net.

    The same thresholds as NEWS2 apply, and in addition any single value scoring 3 escalates to
    Very urgent and any scoring 2 to Urgent, so saying a patient is pregnant never lowers the
    priority her observations would have had.
    """
    n2 = news2_mod.score(vitals, validated=True)
    if n2.total is None:
        return []
    chart = f"would score {n2.total}{'' if n2.complete else ' or more'} on the NEWS2 chart"
    note = "(NEWS2 not validated in pregnancy: use the obstetric early warning chart)"
    worst = max((p.score for p in n2.parameters.values()), default=0)
    level = (1 if n2.total >= 7 else 2 if n2.total >= 5 or worst == 3 else
             3 if worst == 2 else 4 if n2.total >= 1 else None)
    if level is None:
        return []
    abnormal = ", ".join(f"{k} {p.value}" for k, p in n2.parameters.items() if p.score >= 2)
    detail = f" ({abnormal})" if abnormal else ""
    return [Reason(f"Pregnant: observations{detail} {chart} {note}", level,
                   "pregnancy-complications", "pregnancy")]


def _pain_reasons(pain: int | None) -> list[Reason]:
    if pain is None or pain == 0:
        return []
    if pain >= 7:
        return [Reason(f"Severe pain ({pain}/10): analgesia and review within the hour", 3,
                       "pain-assessment", "pain")]
    word = "Moderate" if pain >= 4 else "Mild"
    return [Reason(f"{word} pain ({pain}/10)", 4, "pain-assessment", "pain")]


def _result(inp: TriageInput, rs: RuleSet, level: int, n2: news2_mod.News2Result,
            red_flags: list[Any], reasons: list[Reason], matches: list[Match],
            assistant: Mapping[str, Any] | None, warnings: tuple[str, ...],
            complaints: list[Complaint]) -> TriageResult:
    p = priority(level)
    seen: dict[str, None] = {}
    for r in reasons:
        seen.setdefault(r.protocol, None)
    protocols = tuple({"id": pid, "title": rs.protocol_title(pid)} for pid in seen)
    news2_json = {
        "total": n2.total, "complete": n2.complete, "band": n2.band, "red_score": n2.red_score,
        "red_parameters": list(n2.red_parameters),
        "parameters": {k: v.to_json() for k, v in n2.parameters.items()},
        "missing": list(n2.missing), "scale": n2.scale, "applicable": n2.applicable,
        "note": n2.note,
    }
    monitoring = n2.monitoring
    if monitoring is None and not n2.applicable and inp.vitals:
        monitoring = "repeat observations at an interval set by the clinician (NEWS2 not used)"
    return TriageResult(
        level=level, name=p.name, colour=p.colour, target_minutes=p.target_minutes,
        disposition=disposition_for(level), news2=news2_json,
        red_flags=tuple({"id": r.id, "reason": r.reason, "protocol": r.protocol}
                        for r in red_flags),
        reasons=tuple(reasons), protocols=protocols, rules_version=rs.version,
        rules_digest=rs.digest, pack_version=rs.pack_version,
        warnings=tuple(inp.warnings) + warnings + ((rs.notice,) if rs.notice else ()),
        monitoring=monitoring,
        complaints=tuple({"id": c.id, "label": c.label, "group": c.group, "level": c.level}
                         for c in complaints),
        advice=tuple(c.advice for c in complaints if level == 5 and c.advice),
        concepts=tuple(m.to_json() for m in matches), case_id=inp.id,
        assistant=dict(assistant) if assistant else None)
