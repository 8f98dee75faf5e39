"""Vital signs, GCS, glucose and pain read from shorthand and from prose.

A reading is a cue ("HR", "her pulse", "a temperature"), up to a few filler words ("is", "was
racing at", "of"), then the number and its unit. Fillers never cross a comma or a full stop, so a
number is only read with the word that names it. Readers run most specific first and claim what
they read (see :class:`~appliance.text.hits.Claims`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from appliance.text import units
from appliance.text.hits import Claims, Cue, Hit, hit, lower_pattern, lowered

_WORDS = (r"of|is|was|were|are|at|to|up|down|about|around|approx|approximately|roughly|now|"
          r"still|only|just|over|under|reading|reads|read|measured|recorded|running|racing|"
          r"going|pounding|been|has|had|have|checked|taken|noted|documented|initially|today|"
          r"currently|fast|rapid|really|very|quite|high|low|weak|thready|bounding|irregular|"
          r"irregularly|regular|and|it|its|thats|her|his|their|rate|a|the|on\s+arrival|of\s+about|"
          r"spiking|spiked|peaked|dropped|dropping|fell|falling|rising|rose|climbed|keeps?|kept|"
          r"home|earlier|yesterday|tonight|this|last|morning|evening|night|says|said|shows|"
          r"showed|showing|registers|registered|machine|monitor|cuff|with")
# Up to five fillers or symbols between the cue and its number, never a comma or full stop.
SEP = rf"(?:\s*[=:~\-]|'s\b|\s+(?:{_WORDS})\b\.?){{0,5}}\s*"
# A number followed by another kind of unit is not this measurement ("fever 10 days", "RR 2L").
_NOT_OTHER = (r"(?![\d.,]?\d)(?!\s*(?:yo\b|y/o|y\.o|years?\b|yrs?\b|weeks?\b|wks?\b|days?\b|"
              r"hours?\b|hrs?\b(?!\s*[=:]?\s*\d)|h\b|mins?\b|minutes?\b|months?\b|mths?\b|"
              r"kg\b|mg\b|mcg\b|ml\b|g\b|cm\b|mm\b(?!\s*hg)|m\b|metres?\b|meters?\b|ft\b|"
              r"feet\b|L\b|litres?\b|x\b|times\s+(?:a|per)\s+day|puffs?\b|tabs?\b|tablets?\b|"
              r"secs?\b|seconds?\b|'?s\b|\+))")
_CUE_END = r"(?![A-Za-z])"
_NOT_RANGE = r"(?!\s*%?\s*(?:-|–|to)\s*\d)"  # "target sats 88-92%" is a target, not a reading


_rx = lower_pattern  # every pattern here runs on the lower-cased text (see hits.lowered)


_BPM = (r"(?:\s*(?:bpm|/\s*min|beats(?:\s*(?:per|a|/)\s*min(?:ute)?)?|(?:a|per)\s+minute)"
        r"\b)?")
_SYMBOL_SEP = r"\s*[=:~\-]?\s*"
# Patterns tried on every text start with a literal and check the boundary behind it
# ("P(?<=\bP)", not "\bP"): the engine then skips ahead to that character in C.
PULSE = [
    Cue(("hr", "pr", "pulse", "heart", "apex", "apical", "tachy", "brady"),
        _rx(r"\b(?:HR|PR|pulse(?:\s+rate)?|heart\s*rate|heart\s*beat|heart|apex|apical\s+rate|"
            r"tachycardi[ac]|tachy|bradycardi[ac]|brady)" + _CUE_END + SEP + r"(\d{2,3})" +
            _NOT_OTHER + _BPM)),
    # A bare letter takes a symbol at most between it and its number ("P 110", "P=110").
    Cue((), _rx(r"P(?<=\bP)" + _CUE_END + _SYMBOL_SEP + r"(\d{2,3})" + _NOT_OTHER + _BPM)),
    Cue(("bpm", "beats"), _rx(r"\b(\d{2,3})\s*(?:bpm|beats\s*(?:per|a|/)\s*min(?:ute)?)\b")),
]
BP = [
    Cue(("bp", "b/p", "blood pressure", "hypotensive", "hypertensive"),
        _rx(r"\b(?:BP|NIBP|ABP|B/P|blood\s+pressure|hypotensive|hypertensive)" + _CUE_END + SEP +
            r"(\d{1,3}(?:\.\d)?)\s*(?:/|over)\s*(\d{1,3}(?:\.\d)?)(?![\d.]*\d)"
            r"(?:\s*(mm\s*Hg|kPa)\b)?")),
    Cue(("mm",), _rx(r"(?<![\d/.])(\d{2,3})\s*/\s*(\d{2,3})\s*(mm\s*Hg)\b")),
    # "did my BP for a routine thing and it was 146/94": the BP named earlier in the sentence
    Cue(("bp", "blood pressure"),
        _rx(r"\b(?:BP|blood\s+pressure)\b[^.;\n]{0,40}?\b(?:was|is|of|at|read|reads|showed|"
            r"came\s+out\s+at)\s+(\d{2,3})\s*/\s*(\d{2,3})(?![\d/.]*\d)(?:\s*(mm\s*Hg|kPa)\b)?")),
    # a pressure with no name, first of a run of observations ("84/52, HR 128, RR 24"); a
    # systolic under 50 is not one ("34/40, HR 90" is weeks of pregnancy, "6/18" an acuity)
    Cue(("hr", "pulse", "rr", "spo2", "sat", "bt", "temp"),
        _rx(r"(?<![\d/.])([5-9]\d|1\d\d|2[0-9]\d)\s*/\s*(\d{2,3})(?![\d.])()(?=\s*,?\s*"
            r"(?:HR|PR|P|pulse|RR|SpO2|sats?|T|BT|temp)\b)")),
]
SYSTOLIC = [
    Cue(("sbp", "systolic"),
        _rx(r"\b(?:SBP|systolic(?:\s+(?:BP|blood\s+pressure))?(?:\s+pressure)?)" + _CUE_END +
            SEP + r"(\d{2,3})" + _NOT_OTHER + r"(?!\s*/)")),
    Cue(("systolic", "palp"),
        _rx(r"\b(?:BP|blood\s+pressure)" + _CUE_END + SEP + r"(\d{2,3})\s*(?:systolic|"
            r"palp(?:able|ated)?|by\s+palpation)\b")),
]
RR = [
    Cue(("rr", "resp", "breath", "tachypn"),
        _rx(r"\b(?:RR|resps?|resp(?:iratory)?\s+rate|respirations?|RespR|breathing(?:\s+rate)?|"
            r"breaths|tachypn(?:o)?e(?:a|ic))" + _CUE_END + SEP + r"(\d{1,2})" + _NOT_OTHER +
            r"(?:\s*(?:breaths|/\s*min|times)?\s*(?:(?:per|a|/)\s*min(?:ute)?)?\b)?")),
    Cue(("breath", "resp"),
        _rx(r"\b(\d{1,2})\s*(?:breaths?|resps?)\s*(?:per|a|/)\s*min(?:ute)?\b")),
    # "T 38.5, P 110, R 24": a bare R counts only straight after another reading's number,
    # never as a fraction ("VA L 6/18 R 6/6" is the right eye's visual acuity)
    Cue((), _rx(r"(?<=\d)\s*,?\s*\bR" + _SYMBOL_SEP + r"(\d{1,2})(?![a-z\d.])(?!\s*/\s*\d)" +
                _NOT_OTHER)),
]
SPO2 = [
    Cue(("sat", "spo2", "sao2", "pulse ox"),
        _rx(r"\b(?:SpO2|SaO2|O2\s+sat(?:uration)?s?|sats?|saturations?|saturating|satt?ing|"
            r"oxygen\s+sat(?:uration)?s?|pulse\s+ox(?:imetry|imeter)?(?:\s+reading)?)" +
            _CUE_END + SEP + r"(\d{2,3})(?![\d.,]?\d)" + _NOT_RANGE + r"\s*%?")),
    Cue(("%",), _rx(r"\b(?:oxygen|O2)(?:\s+levels?)?" + _CUE_END + SEP + r"(\d{2,3})\s*%")),
    Cue(("%",), _rx(r"\b(\d{2,3})\s*%\s*(?=(?:on\s+)?(?:RA|room\s+air|air|\d{1,2}\s*(?:L|"
                    r"litres?|liters?)|O2|oxygen)\b)")),
]
# A temperature may have a decimal comma ("38,5"), as European charts write it.
_DEGREES = r"(\d{2,3}(?:\.\d+|,\d)?)"
_TEMP_UNIT = (r"\s*(°\s*[CF]\b|°|deg(?:rees?)?\s*(?:[CF]\b|celsius|fahrenheit|centigrade)?|"
              r"celsius|fahrenheit|centigrade|[CF]\b)?")
# "101-102F at home", "38-39C": a range, read as its top (the safer); never an age and sex
TEMP_RANGE = [Cue((), _rx(r"(?<![\w.])\d{2,3}(?:\.\d)?\s*(?:-|–|to)\s*(\d{2,3}(?:\.\d)?)\s*"
                          r"(°\s*[CF]\b|°|[CF]\b)"))]
TEMP_STRONG = [Cue(("temp", "tmp", "tympanic"),
                   _rx(r"\b(?:temp(?:erature)?s?|tmp|tympanic(?:\s+temp)?)" + _CUE_END + SEP +
                       _DEGREES + _NOT_OTHER + _TEMP_UNIT))]
# Short or indirect cues count only with a value a body can have (T12 is a vertebra).
TEMP_WEAK = [
    # BT: body temperature, as Korean and other EDs record it
    Cue(("bt",), _rx(r"\bBT" + _CUE_END + SEP + _DEGREES + _NOT_OTHER + _TEMP_UNIT)),
    Cue(("pyrexi", "febrile", "fever", "spik", "thermometer"),
        _rx(r"\b(?:pyrexi(?:al|a)|febrile|fever(?:ish)?|spiking|spiked|thermometer)" + _CUE_END +
            SEP +
            _DEGREES + _NOT_OTHER + _TEMP_UNIT)),
    Cue((), _rx(r"T(?<=\bT)" + _CUE_END + _SYMBOL_SEP + _DEGREES + _NOT_OTHER +
                _TEMP_UNIT)),
    Cue(("°", "deg"), _rx(r"\b(\d{2,3}(?:\.\d+)?)\s*(°\s*[CF]\b|deg(?:rees?)?\s*(?:[CF]\b|"
                          r"celsius|fahrenheit|centigrade))")),
    Cue((), _rx(r"(\d(?<=(?<![\w.])\d)\d{1,2}\.\d)\s*([CF])\b")),
    # "the thermometer under her arm said 38.8", "did the ear one and it says 39.1": a
    # thermometer, or the kind of one a parent has, and what it showed, in one sentence
    Cue(("thermometer", " one "),
        _rx(r"\b(?:thermometer|(?:ear|forehead|armpit|underarm|digital|head|strip)\s+one)\b"
            r"[^.;\n]{0,40}?\b(?:says|said|read|reads|reading|showed|shows|showing|was|is|gave|"
            r"gives|came\s+up\s+with)\s+(?:me\s+)?" + _DEGREES + _NOT_OTHER + _TEMP_UNIT)),
    # "it's 38.3 under his arm", "37.9 in her ear": where it was taken names a temperature
    Cue(("arm", "ear", "axill", "tympanic", "rectal"),
        _rx(r"(?<![\w.,])(\d{2}(?:\.\d|,\d))\s*(°\s*[CF]\b|°|[CF]\b)?\s*(?:under\s+"
            r"(?:the|his|her|their|my|your)\s+arm(?:pit)?|in\s+(?:the|his|her|their|my|your)\s+"
            r"(?:armpit|ear)|axillary|axilla|tympanic|rectal(?:ly)?)\b")),
]
GCS = [Cue(("gcs",), _rx(r"\bGCS" + _CUE_END + SEP + r"(\d{1,2})(?![\d.]*\d)(?:\s*/\s*15)?"))]
GCS_PARTS = [Cue(("v",), _rx(r"\bE\s*([1-4])\s*,?\s*V\s*([1-5])\s*,?\s*M\s*([1-6])\b"))]
GLUCOSE = [Cue(("bm", "cbg", "bg", "bsl", "bst", "glucose", "sugar", "glucometer"),
               # BST: blood sugar test, as Korean and other EDs chart it
               _rx(r"\b(?:BMs?|CBGs?|BGL?|BSL|BST|blood\s+(?:glucose|sugar)s?|glucose|"
                   r"sugars?(?:\s+levels?)?|glucometer)" + _CUE_END + SEP +
                   r"(\d{1,3}(?:\.\d+)?)(?:\s*(mmol(?:/l)?|mg\s*/?\s*dl)|" + _NOT_OTHER + ")")),
           # "meter says 24 mmol/L": a meter that reads in mmol/L is a glucose meter (a peak
           # flow meter reads in L/min), so the unit is required
           Cue(("meter",), _rx(r"\bmeter\s+(?:says|said|reads|read|reading|shows|showed|"
                               r"showing)\s*:?\s*(\d{1,2}(?:\.\d+)?)\s*(mmol(?:/l)?)"))]
CRT = [Cue(("crt", "cap"), _rx(r"\b(?:CRT|cap(?:illary)?\s*refill(?:\s+time)?)" + _CUE_END +
                               SEP + r"([<>]\s*)?(\d{1,2}(?:\.\d)?)\s*(?:s|secs?|seconds)?\b"))]
PAIN = [
    Cue(("pain", "nrs", "vas"),
        _rx(r"\b(?:pain|NRS|VAS)(?:\s+(?:score|scale|rating))?" + _CUE_END + SEP +
            r"(\d{1,2})\s*(?:/\s*10|out\s+of\s+10)")),
    Cue(("pain", "nrs", "vas"),
        _rx(r"\b(?:pain\s+(?:score|scale|rating)|NRS|VAS)" + _CUE_END + SEP +
            r"(\d{1,2})\b(?!/)(?!\s*/\s*10\b)")),  # "NRS 6 / 136/82": a field separator
    Cue(("pain",), _rx(r"\bpain(?:'s\s+|\s+is\s+|\s+was\s+|\s*[:=]\s*)(?:a\s+|an\s+|about\s+|"
                       r"around\s+)?(\d{1,2})\b(?!\s*/)" + _NOT_OTHER)),
    Cue(("rat", "scor"),
        _rx(r"\b(?:rates?|rated|rating|scores?|scored)\s+(?:(?:it|the|her|his|their|pain)\s+)"
            r"{0,2}(?:as\s+|at\s+|a\s+)?(\d{1,2})\s*(?:/\s*10|out\s+of\s+10)")),
    # a bare "x/10" is a pain score, except a mental test's ("AMT 10/10", "AMTS 8/10")
    Cue(("10",), _rx(r"(?<![\d./])(?<!amt )(?<!amts )(?<!amt)(?<!amts)(\d{1,2})\s*(?:/\s*10|"
                     r"out\s+of\s+10)\b(?!\s*kPa)")),
]
_DIGIT = re.compile(r"\d")
# A reading is negated only by a word right before it ("no HR"): in "denies CP HR 110" the
# denial is of the chest pain, and the pulse still counts.
_NEGATED = re.compile(r"\b(?:no|not|nil|without|denies|denied)\s*[:=-]?\s*$")


Reading = list[tuple[str, Any, str]]
"""What one match says: (field, value, note) for each field it gives."""


def _readings(cues: list[Cue], low: str, claims: Claims,
              accept: Callable[[re.Match[str]], bool] | None = None) -> list[re.Match[str]]:
    """Every match in the lower-cased text, cue by cue, that is unclaimed, not negated and
    accepted; each is claimed as it is taken."""
    found: list[re.Match[str]] = []
    for cue in cues:
        for m in cue.finditer(low, low):
            if not claims.free(m.start(), m.end()) or \
                    _NEGATED.search(low, max(0, m.start() - 16), m.start()):
                continue
            if accept is None or accept(m):
                claims.take(m.start(), m.end())
                found.append(m)
    return found


def _degrees(m: re.Match[str]) -> float:
    return float(m.group(1).replace(",", "."))


def _body_temperature(m: re.Match[str]) -> bool:
    celsius, _ = units.temperature_celsius(_degrees(m), m.group(2))
    return 30.0 <= celsius <= 45.0


def _bp(m: re.Match[str]) -> Reading:
    sys_v, dia_v = float(m.group(1)), float(m.group(2))
    note = ""
    if "kpa" in (m.group(3) or ""):
        note = f"{m.group(1)}/{m.group(2)} kPa converted to mmHg"
        sys_v, dia_v = units.kpa_to_mmhg(sys_v), units.kpa_to_mmhg(dia_v)
    return [("vitals.systolic_bp", int(sys_v), note), ("vitals.diastolic_bp", int(dia_v), note)]


def _temperature(m: re.Match[str]) -> Reading:
    celsius, note = units.temperature_celsius(_degrees(m), m.group(2))
    return [("vitals.temperature", celsius, note)]


def _glucose(m: re.Match[str]) -> Reading:
    value, unit = float(m.group(1)), m.group(2) or ""
    if "mg" in unit or (not unit and value > 40):
        return [("vitals.blood_glucose", units.mgdl_to_mmol(value),
                 f"{value:g} mg/dL converted to mmol/L")]
    return [("vitals.blood_glucose", value, "")]


def _crt(m: re.Match[str]) -> Reading:
    note = f"recorded as '{m.group(1).strip()}{m.group(2)}'" if m.group(1) else ""
    return [("vitals.capillary_refill_s", float(m.group(2)), note)]


def _one(field: str, note: str = "") -> Callable[[re.Match[str]], Reading]:
    return lambda m: [(field, int(m.group(1)), note)]


def _gcs_parts(m: re.Match[str]) -> Reading:
    return [("gcs", sum(int(g) for g in m.groups()),
             f"E{m.group(1)} V{m.group(2)} M{m.group(3)} added up")]


# Most specific first; within a row the first group of cues wins over the second, which is
# read only when the first finds nothing.
_ORDER: list[tuple[list[Cue], Callable[[re.Match[str]], Reading], list[Cue],
                   Callable[[re.Match[str]], Reading]]] = [
    (BP, _bp, SYSTOLIC, _one("vitals.systolic_bp", "systolic only")),
    (SPO2, _one("vitals.spo2"), [], _one("vitals.spo2")),
    (TEMP_RANGE + TEMP_STRONG + TEMP_WEAK, _temperature, [], _temperature),
    (PULSE, _one("vitals.pulse"), [], _one("vitals.pulse")),
    (RR, _one("vitals.respiratory_rate"), [], _one("vitals.respiratory_rate")),
    (CRT, _crt, [], _crt),
    (GCS, _one("gcs"), GCS_PARTS, _gcs_parts),
    (GLUCOSE, _glucose, [], _glucose),
    (PAIN, _one("pain_score"), [], _one("pain_score")),
]


def read_vitals(text: str, claims: Claims) -> list[Hit]:
    """Every reading of every vital sign in ``text``, most specific reader first.

    The first reading of a field comes first; later ones ("now 80/40") follow with a note, so a
    caller taking one value per field takes the first, and no reading is left for another
    reader to misread (a second "temp 104F" is still not an age).
    """
    if not _DIGIT.search(text):
        return []
    low = lowered(text)
    hits: list[Hit] = []
    for cues, parse, fallback, parse_fallback in _ORDER:
        accept = _body_temperature if parse is _temperature else None
        matches = _readings(cues, low, claims, accept)
        if not matches and fallback:
            matches, parse = _readings(fallback, low, claims), parse_fallback
        for i, m in enumerate(matches):
            for field, value, note in parse(m):
                if i:
                    note = "; ".join(filter(None, [note, "another reading in the note"]))
                hits.append(hit(field, value, m, note, text))
    return hits
