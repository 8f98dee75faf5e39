"""The deterministic pass: every value the text readers find, with no model.

This is what triage reads from free text and what the assistant's extraction starts from. Each
hit keeps the verbatim span and its offsets. Field names are the triage input's, dotted for
vitals ("vitals.pulse", values in °C and mmHg); ``gcs``, ``allergies``, ``no_known_allergies``
and ``medications`` are extras shown to the clinician but not part of the triage input.
"""

from __future__ import annotations

import re
from typing import Any

from appliance.text import units
from appliance.text.history import read_history
from appliance.text.hits import Claims, Hit, hit, lower_pattern, lowered
from appliance.text.measures import read_vitals
from appliance.text.people import read_people
from appliance.text.readings import most_concerning
from appliance.text.spans import negated

_I = re.IGNORECASE
CONSCIOUSNESS = [
    ("U", lower_pattern(r"\b(?:unresponsive|unconscious|U\s+on\s+(?:AC|A)?VPU|"
                        r"(?:AC|A)?VPU\s*[:=]?\s*U)\b")),
    ("P", lower_pattern(r"\b(?:respond(?:s|ed|ing)?\s+(?:only\s+)?to\s+pain|P\s+on\s+(?:AC|A)?VPU|"
                        r"(?:AC|A)?VPU\s*[:=]?\s*P|pain\s+response)\b")),
    # "| verbal |", "/ verbal /": the mental-state column of a registration line
    ("V", lower_pattern(r"\b(?:respond(?:s|ed|ing)?\s+(?:only\s+)?to\s+voice|V\s+on\s+(?:AC|A)?VPU|"
                        r"(?:AC|A)?VPU\s*[:=]?\s*V|verbal\s+response)\b|"
                        r"(?:^|[|/])\s*verbal\s*(?=[|/]|$)")),
    ("C", lower_pattern(r"\b(?:new(?:ly)?(?:[- ]onset)?\s+confus(?:ion|ed)|acute(?:ly)?\s+"
                        r"confus(?:ion|ed)|new\s+disorientation|(?:AC|A)?VPU\s*[:=]?\s*C)\b")),
    ("A", lower_pattern(r"\b(?:alert|A\s+on\s+(?:AC|A)?VPU|(?:AC|A)?VPU\s*[:=]?\s*A|"
                        r"A\s*&\s*Ox?\s*[34])\b")),
]
_CONSCIOUSNESS_KEYS = ("unresp", "uncons", "vpu", "respond", "confus", "disorient", "alert", "&",
                       "response", "verbal")
_MECHANISM_KEYS = ("fall", "fell", "trip", "slip", "rtc", "rta", "mvc", "collision", "crash",
                   "knocked", "hit by", "struck", "stab", "knife", "shot", "assault", "punch",
                   "kick", "came off", "thrown", "eject", "crush", "bite", "bitten", "scald",
                   "burn", "hanging", "drown", "explosion", "blast")
# A mechanism is denied only by words right before it, or before a list it ends ("no trauma or
# fall"); in "no LOC after fall" the denial is of the loss of consciousness.
_NO_INJURY = lower_pattern(r"\b(?:no|not|denies|denied|without|never)\s+(?:(?:any|a|recent|"
                           r"history\s+of|hx\s+of)\s+)?(?:[a-z/]+\s+(?:or|nor|and)\s+)?$")
CONFUSED = re.compile(r"\bconfus(?:ed|ion)\b", _I)
# Words that name an injury only in some phrases carry a lookahead: "fell asleep", "a fall in
# BP", "flu shot", "stabbing pain", "bitten tongue", "baby kicked", "came off her tablets".
MECHANISM = lower_pattern(
    r"\b(?:fall(?!\s+(?:in|of)\s+(?:bp|blood|sats|o2|saturation|gcs|hb|pressure))|"
    r"fell(?!\s+asleep)|fallen(?!\s+asleep)|tripped|slipped(?!\s+disc)|RTC|RTA|MVC|collision|"
    r"crash(?!\s+call)|knocked\s+(?:down|off)|hit\s+by|struck\s+by|stabbed|"
    r"stab\s+(?:wounds?|injur\w*)|(?:a|the)\s+stabbing|knife|gun\s*shot|shot\s+(?:by|in|at|with)|"
    r"(?:been|was|got|were)\s+shot|assault(?:ed)?|punched|kicked\s+(?:by|in|on|to)|"
    r"(?:been|was|got)\s+kicked|came\s+off(?!\s+(?:\w+\s+)?(?:meds|medications?|tablets|"
    r"pills|warfarin|insulin|steroids))|thrown\s+from|ejected|crush(?:ed)?|dog\s+bite|"
    r"bitten(?!\s+(?:\w+\s+)?tongue)|scald(?:ed)?|burn(?:t|ed)?\s+(?:by|with|from|on)|"
    r"hanging|drowning|explosion|blast\s+(?:injur\w*|wave))\b")


# The order values are listed in (the review table, the CLI), whatever order they were read in.
_ORDER = {name: i for i, name in enumerate((
    "vitals.pulse", "vitals.systolic_bp", "vitals.diastolic_bp", "vitals.respiratory_rate",
    "vitals.spo2", "vitals.temperature", "vitals.capillary_refill_s", "gcs",
    "vitals.blood_glucose", "pain_score", "age", "sex", "pregnant", "vitals.on_oxygen",
    "vitals.spo2_scale", "vitals.consciousness", "mechanism", "no_known_allergies", "allergies",
    "medications"))}


def find_all(text: str) -> list[Hit]:
    """Every value the readers can take from ``text``.

    Readers run most specific first and share one :class:`Claims` ledger, so no piece of text
    gives two values (a temperature is never also an age, a blood pressure never a gestation).
    """
    claims = Claims()
    hits = read_vitals(text, claims)
    hits += read_history(text, claims)
    hits += read_people(text, claims)
    hits += _states(text, hits)
    # A stable sort on the field alone keeps each field's first reading first.
    return sorted(hits, key=lambda h: _ORDER.get(h.field, len(_ORDER)))


CASE_FIELDS = ("age", "sex", "pregnant", "pain_score", "mechanism")
HISTORY_FIELDS = ("allergies", "no_known_allergies")


def triage_fields(hits: list[Hit]) -> dict[str, Any]:
    """The triage case fields among ``hits``, vital signs nested under ``"vitals"`` by their
    triage names, implausible values left out (they are not scored). Of several readings of a
    vital sign the most concerning is taken (:mod:`appliance.text.readings`), a diastolic with
    its systolic; of other fields the first."""
    case: dict[str, Any] = {}
    readings: dict[str, list[Hit]] = {}
    for h in hits:
        if isinstance(h.value, int | float) and not isinstance(h.value, bool) and \
                not units.plausible(h.field, float(h.value)):
            continue
        if h.field.startswith("vitals."):
            readings.setdefault(h.field.removeprefix("vitals."), []).append(h)
        elif h.field in CASE_FIELDS:
            case.setdefault(h.field, h.value)
    vitals: dict[str, Any] = {}
    for name, found in readings.items():
        if name == "diastolic_bp":
            continue
        vitals[name] = found[most_concerning(name, [h.value for h in found])].value
    if "diastolic_bp" in readings:
        systolic = readings.get("systolic_bp", [])
        chosen = (systolic[most_concerning("systolic_bp", [h.value for h in systolic])]
                  if systolic else None)
        same = [h for h in readings["diastolic_bp"] if chosen and h.start == chosen.start]
        vitals["diastolic_bp"] = (same or readings["diastolic_bp"])[0].value
    if vitals:
        case["vitals"] = vitals
    return case


def without_history(text: str, hits: list[Hit]) -> str:
    """``text`` with the allergy history blanked out (same length, so offsets still hold).

    Complaint matching runs on this, so "allergic to penicillin" is not read as an allergic
    reaction; medications stay, since "on warfarin" is a bleeding risk the triage rules read.
    """
    chars = list(text)
    for h in hits:
        if h.field in HISTORY_FIELDS:
            chars[h.start:h.end] = " " * (h.end - h.start)
    return "".join(chars)


def _states(text: str, found_so_far: list[Hit]) -> list[Hit]:
    """Oxygen, SpO2 scale, consciousness and mechanism: decided here, never by the model."""
    hits: list[Hit] = []
    low = lowered(text)
    on_o2, on_air = units.oxygen_mentions(text, low)
    if on_o2:
        note = "room air also mentioned; scored as on oxygen - confirm" if on_air else ""
        hits.append(hit("vitals.on_oxygen", True, on_o2[0], note))
    elif on_air:
        hits.append(hit("vitals.on_oxygen", False, on_air[0]))
    if ("scale" in low or "target" in low) and (scale := units.spo2_scale_mention(text)):
        hits.append(hit("vitals.spo2_scale", scale[0], scale[1]))
    for level, pattern in CONSCIOUSNESS if any(k in low for k in _CONSCIOUSNESS_KEYS) else ():
        found = next((m for m in pattern.finditer(low)
                      if not negated(low, m.start(), window=20)), None)
        if found:
            hits.append(hit("vitals.consciousness", level, found, text=text))
            break
    else:
        gcs = next((h for h in found_so_far if h.field == "gcs"), None)
        if gcs is not None and gcs.value == 15:
            hits.append(Hit("vitals.consciousness", "A", gcs.span, gcs.start, gcs.end,
                            "GCS 15 read as Alert"))
    mechanism = (next((m for m in MECHANISM.finditer(low)
                       if not _NO_INJURY.search(low, max(0, m.start() - 40), m.start())), None)
                 if any(k in low for k in _MECHANISM_KEYS) else None)
    if m := mechanism:
        start = max(text.rfind(c, 0, m.start()) for c in ".;,\n") + 1
        ends = [i for i in (text.find(c, m.end()) for c in ".;,\n") if i >= 0]
        end = min(ends) if ends else len(text)
        clause = text[start:end].strip()
        offset = text.index(clause, start)
        hits.append(Hit("mechanism", clause, clause, offset, offset + len(clause)))
    return hits


def confusion_without_onset(text: str) -> re.Match[str] | None:
    """'confused' with no word saying it is new: flagged for the clinician, not scored as C."""
    for m in CONFUSED.finditer(text):
        if not negated(text, m.start(), window=20):
            return m
    return None
