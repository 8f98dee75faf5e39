"""The deterministic pass: vital signs and demographics found by regular expressions.

It works with no model at all and is what the triage hook falls back to. Each hit keeps the
verbatim span and its offsets. Field names are the triage input's, dotted for vitals
("vitals.pulse"); ``gcs`` and ``blood_glucose_mmol`` are extras shown to the clinician but not
part of the triage input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from appliance.assistant import units
from appliance.assistant.spans import negated

_I = re.IGNORECASE
_SEP = r"\s*(?:of|is|was|at|=|:|-)?\s*"


@dataclass(frozen=True)
class Hit:
    """One value found in the text, with where it came from."""

    field: str
    value: Any
    span: str
    start: int
    end: int
    note: str = ""


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _I)


PULSE = [_rx(r"\b(?:HR|PR|P|pulse(?:\s+rate)?|heart\s*rate|heart\s+going\s+at)" + _SEP +
             r"(\d{2,3})\b(?:\s*(?:bpm|/min|beats))?"),
         _rx(r"\b(\d{2,3})\s*(?:bpm|beats\s*(?:per|a|/)\s*min(?:ute)?)\b")]
BP = [_rx(r"\b(?:BP|NIBP|blood\s+pressure)" + _SEP +
          r"(\d{1,3}(?:\.\d)?)\s*/\s*(\d{1,3}(?:\.\d)?)(?:\s*(mm\s*Hg|kPa))?"),
      _rx(r"\b(\d{2,3})\s*/\s*(\d{2,3})\s*(mm\s*Hg)")]
RR = [_rx(r"\b(?:RR|resps?|resp(?:iratory)?\s+rate|respiration\s+rate|RespR|breathing\s+rate|"
          r"breathing\s+at)" + _SEP + r"(\d{1,2})\b"),
      _rx(r"\b(\d{1,2})\s*(?:breaths|bpm\s+resp)\s*(?:per|a|/)\s*min(?:ute)?\b")]
SPO2 = [_rx(r"\b(?:SpO2|SaO2|O2\s+sats?|sats?|saturations?|saturating|oxygen\s+sat(?:uration)?s?|"
            r"oxygen\s+levels?|pulse\s+ox)" + _SEP + r"(\d{2,3})\s*%?"),
        _rx(r"\b(\d{2,3})\s*%\s*(?=(?:on\s+)?(?:RA|room\s+air|air|\d{1,2}\s*L|O2|oxygen)\b)")]
TEMP = [_rx(r"\b(?:T|temp(?:erature)?|tmp|tympanic|pyrexial|febrile)" + _SEP +
            r"(\d{2,3}(?:\.\d+)?)\s*(°\s*[CF]\b|°|deg(?:rees)?\s*[CF]?\b|[CF]\b)?"),
        _rx(r"\b(\d{2,3}(?:\.\d+)?)\s*(°\s*[CF]\b|degrees?\s*[CF]\b|deg\s*[CF]\b)")]
GCS = [_rx(r"\bGCS" + _SEP + r"(\d{1,2})(?:\s*/\s*15)?")]
GLUCOSE = [_rx(r"\b(?:BM|CBG|BGL?|blood\s+(?:glucose|sugar)|glucose|sugar)" + _SEP +
               r"(\d{1,3}(?:\.\d+)?)\s*(mmol(?:/l)?|mg\s*/?\s*dl)?")]
CRT = [_rx(r"\b(?:CRT|cap(?:illary)?\s*refill(?:\s+time)?)" + _SEP +
           r"([<>]\s*)?(\d{1,2}(?:\.\d)?)\s*(?:s|secs?|seconds)?\b")]
PAIN = [_rx(r"\bpain(?:\s+score)?" + _SEP + r"(\d{1,2})\s*(?:/\s*10|out\s+of\s+10)"),
        _rx(r"(?<![\d./])(\d{1,2})\s*(?:/\s*10|out\s+of\s+10)\b(?!\s*kPa)")]
AGE = [_rx(r"\b(\d{1,3})\s*(?:yo|y/o|y\.o\.|yrs?|years?|yr)(?:[- ]old)?\b"),
       _rx(r"\b(\d{1,3})\s*-?\s*year\s*-?\s*old\b"),
       _rx(r"\baged?\s+(\d{1,3})\b"),
       _rx(r"\b(?:he|she|they|son|daughter|husband|wife|mum|dad|child|baby|girl|boy)(?:'s|\s+is)\s+"
           r"(\d{1,3})\b(?!\s*(?:%|min|mins|minutes|hours?|hrs?|days?|weeks?|times|x))"),
       _rx(r"(?<![\d.])(\d{1,3})\s?([MF])\b(?!\s*/)"),
       _rx(r"\b([MF])\s?(\d{1,3})\b(?=\s*(?:yo|y/o|,|\s))")]
AGE_MONTHS = [_rx(r"\b(\d{1,2})\s*(?:mo|mths?|months?|/12)[- ]old\b"),
              _rx(r"\b(\d{1,2})\s*(?:wks?|weeks?)[- ]old\b")]
SEX_WORDS = {"male": "M", "man": "M", "gentleman": "M", "boy": "M", "gent": "M",
             "female": "F", "woman": "F", "lady": "F", "girl": "F"}
SEX = _rx(r"\b(male|female|man|woman|gentleman|gent|lady|boy|girl)\b")
SEX_MY = _rx(r"\bmy\s+(husband|wife|son|daughter|mum|mother|mom|dad|father|grandad|grandma|"
             r"nan|grandmother|grandfather|boyfriend|girlfriend|brother|sister)\b")
_MY_SEX = {"husband": "M", "son": "M", "dad": "M", "father": "M", "grandad": "M",
           "grandfather": "M", "boyfriend": "M", "brother": "M"}
PREGNANT = _rx(r"\b(?:pregnant|pregnancy|(\d{1,2})\s*/\s*40\b|(\d{1,2})\s*(?:wks?|weeks?)\s+"
               r"(?:pregnant|gestation)|gestation)")
CONSCIOUSNESS = [
    ("U", _rx(r"\b(?:unresponsive|unconscious|U\s+on\s+(?:AC)?VPU|(?:AC)?VPU\s*[:=]?\s*U)\b")),
    ("P", _rx(r"\b(?:respond(?:s|ing)?\s+(?:only\s+)?to\s+pain|P\s+on\s+(?:AC)?VPU|"
              r"(?:AC)?VPU\s*[:=]?\s*P)\b")),
    ("V", _rx(r"\b(?:respond(?:s|ing)?\s+(?:only\s+)?to\s+voice|V\s+on\s+(?:AC)?VPU|"
              r"(?:AC)?VPU\s*[:=]?\s*V)\b")),
    ("C", _rx(r"\b(?:new(?:ly)?(?:[- ]onset)?\s+confus(?:ion|ed)|acute(?:ly)?\s+confus(?:ion|ed)|"
              r"new\s+disorientation|(?:AC)?VPU\s*[:=]?\s*C)\b")),
    ("A", _rx(r"\b(?:alert|A\s+on\s+(?:AC)?VPU|(?:AC)?VPU\s*[:=]?\s*A|A\s*&\s*Ox?\s*[34])\b")),
]
CONFUSED = _rx(r"\bconfus(?:ed|ion)\b")
MECHANISM = _rx(r"\b(?:fall|fell|fallen|tripped|slipped|RTC|RTA|MVC|collision|crash|knocked\s+"
                r"(?:down|off)|hit\s+by|struck\s+by|stab(?:bed|bing)?|knife|gunshot|shot|"
                r"assault(?:ed)?|punched|kicked|came\s+off|thrown\s+from|ejected|crush(?:ed)?|"
                r"dog\s+bite|bitten|scald(?:ed)?|burn(?:t|ed)?\s+(?:by|with|from|on)|"
                r"hanging|drowning|explosion|blast)\b")


def _num(s: str) -> float:
    return float(s)


def _first(patterns: list[re.Pattern[str]], text: str) -> re.Match[str] | None:
    for p in patterns:
        for m in p.finditer(text):
            if not negated(text, m.start(), window=12):
                return m
    return None


def _hit(field: str, value: Any, m: re.Match[str], note: str = "") -> Hit:
    return Hit(field, value, m.group(0).strip(), m.start(), m.start() + len(m.group(0).strip()),
               note)


def find_all(text: str) -> list[Hit]:
    """Every value the patterns can read from ``text``."""
    hits: list[Hit] = []
    hits += _vitals(text)
    hits += _demographics(text)
    hits += _states(text)
    return hits


def _vitals(text: str) -> list[Hit]:
    hits: list[Hit] = []
    if m := _first(PULSE, text):
        hits.append(_hit("vitals.pulse", int(m.group(1)), m))
    if m := _first(BP, text):
        sys_v, dia_v = _num(m.group(1)), _num(m.group(2))
        unit = (m.group(3) or "").lower()
        note = ""
        if "kpa" in unit:
            note = f"{m.group(1)}/{m.group(2)} kPa converted to mmHg"
            sys_v, dia_v = units.kpa_to_mmhg(sys_v), units.kpa_to_mmhg(dia_v)
        hits.append(_hit("vitals.systolic_bp", int(sys_v), m, note))
        hits.append(_hit("vitals.diastolic_bp", int(dia_v), m, note))
    if m := _first(RR, text):
        hits.append(_hit("vitals.respiratory_rate", int(m.group(1)), m))
    if m := _first(SPO2, text):
        hits.append(_hit("vitals.spo2", int(m.group(1)), m))
    if m := _first(TEMP, text):
        celsius, note = units.temperature_celsius(_num(m.group(1)), m.group(2))
        hits.append(_hit("vitals.temperature", celsius, m, note))
    if m := _first(CRT, text):
        note = f"recorded as '{m.group(1).strip()}{m.group(2)}'" if m.group(1) else ""
        hits.append(_hit("vitals.capillary_refill_s", _num(m.group(2)), m, note))
    if m := _first(GCS, text):
        hits.append(_hit("gcs", int(m.group(1)), m))
    if m := _first(GLUCOSE, text):
        value, unit = _num(m.group(1)), (m.group(2) or "").lower()
        if "mg" in unit or (not unit and value > 40):
            hits.append(_hit("blood_glucose_mmol", units.mgdl_to_mmol(value), m,
                             f"{value:g} mg/dL converted to mmol/L"))
        else:
            hits.append(_hit("blood_glucose_mmol", value, m))
    if m := _first(PAIN, text):
        hits.append(_hit("pain_score", int(m.group(1)), m))
    return hits


def _demographics(text: str) -> list[Hit]:
    hits: list[Hit] = []
    sex_hit: Hit | None = None
    for p in AGE_MONTHS:
        if m := p.search(text):
            n = int(m.group(1))
            weeks = "w" in m.group(0).lower()
            hits.append(_hit("age", round(n / (52 if weeks else 12), 2), m,
                             f"{n} {'weeks' if weeks else 'months'} as years"))
            break
    else:
        for p in AGE:
            m = p.search(text)
            if not m:
                continue
            groups = [g for g in m.groups() if g]
            digits = next(g for g in groups if g.isdigit())
            hits.append(_hit("age", int(digits), m))
            letter = next((g for g in groups if g.upper() in ("M", "F")), None)
            if letter:
                sex_hit = _hit("sex", letter.upper(), m)
            break
    if sex_hit is None and (m := SEX.search(text)):
        sex_hit = _hit("sex", SEX_WORDS[m.group(1).lower()], m)
    if sex_hit is None and (m := SEX_MY.search(text)):
        sex_hit = _hit("sex", _MY_SEX.get(m.group(1).lower(), "F"), m)
    if sex_hit:
        hits.append(sex_hit)
    for m in PREGNANT.finditer(text):
        hits.append(_hit("pregnant", not negated(text, m.start(), window=25), m))
        break
    return hits


def _states(text: str) -> list[Hit]:
    """Oxygen, SpO2 scale, consciousness and mechanism: decided here, never by the model."""
    hits: list[Hit] = []
    on_o2, on_air = units.oxygen_mentions(text)
    if on_o2:
        note = "room air also mentioned; scored as on oxygen - confirm" if on_air else ""
        hits.append(_hit("vitals.on_oxygen", True, on_o2[0], note))
    elif on_air:
        hits.append(_hit("vitals.on_oxygen", False, on_air[0]))
    if scale := units.spo2_scale_mention(text):
        hits.append(_hit("vitals.spo2_scale", scale[0], scale[1]))
    for level, pattern in CONSCIOUSNESS:  # most severe first
        found = next((m for m in pattern.finditer(text)
                      if not negated(text, m.start(), window=20)), None)
        if found:
            hits.append(_hit("vitals.consciousness", level, found))
            break
    else:
        gcs = _first(GCS, text)
        if gcs and int(gcs.group(1)) == 15:
            hits.append(_hit("vitals.consciousness", "A", gcs, "GCS 15 read as Alert"))
    if m := MECHANISM.search(text):
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
