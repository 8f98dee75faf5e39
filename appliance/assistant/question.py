"""What a question asks for, and what a protocol line offers: the features answers rank by.

A question may ask for a dose, a time, a threshold or target, whether something is allowed (a
contraindication), or what to do; it may name an age or a weight. A line may hold an amount
(a number with a dose unit), a duration, a comparison, a negation, and age or weight bands
("child 6–12 years", "under 8 years (or under 25 kg)", "Over 12 years"). These are general
patterns of clinical English: nothing here knows a particular document or drug.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from appliance.assistant.ask_part import asked_part
from appliance.assistant.asked import FAILED_Q, FAILURE, given_words

_NUM = r"\d+(?:\.\d+)?"
_DASH = r"\s*(?:–|-|—|to)\s*"
_AMOUNT = re.compile(
    rf"{_NUM}(?:{_DASH}{_NUM})?\s*(?:mg|micrograms?|mcg|µg|g|grams?|ml|mls|litres?|l|units?|"
    r"puffs?|j|joules|mmol|tablets?|tubes?|breaths?|thrusts?|blows?|ml/kg|mg/kg|j/kg|l/min)\b"
    r"(?:/kg)?", re.IGNORECASE)
_DURATION = re.compile(rf"{_NUM}(?:{_DASH}{_NUM})?\s*(?:seconds?|secs?|s\b|minutes?|mins?|"
                       r"hours?|hrs?|days?|weeks?|working days)\b|\bhourly\b|\bimmediately\b|"
                       # a time in words: "over an hour", "under a minute" ("a second" is
                       # mostly an ordinal)
                       r"\b(?:an?|half an?|one)\s+(?:minute|hour|day|week)s?\b",
                       re.IGNORECASE)
_COMPARE = re.compile(r"\b(?:under|over|below|above|more than|less than|or more|or less|at "
                      r"least|up to|maximum|within|or higher|or lower)\b|[≥≤<>]|\d\s*%",
                      re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:do not|don't|never|not|avoid|withhold|unless|contraindicat\w*|"
                       r"no|nothing|nil)\b", re.IGNORECASE)  # "nothing by mouth", "nil by mouth"
_RANGE = re.compile(rf"({_NUM}){_DASH}({_NUM})")
_BOUND = re.compile(rf"([≥≤])\s*({_NUM})")
# Bounds in words: "7 or more", "8 or less", "under 33%", "over 29", "below 35 °C".
_MORE = r"(?:more|over|above|higher|greater)"
_LESS = r"(?:less|under|below|lower|fewer)"
_NOT_BAND = r"(?![\d.]|\s*(?:" + _DASH + r"|years?|months?|weeks?|days?|kg))"
# A measurement's unit may stand between the value and its bound ("38 °C or more", "2 mmol/L
# or more", "90 mmHg or less", "3 seconds or more"); ages and weights are bands of their own.
_UNIT = r"(?:\s*(?:%|°\s*C|°|mmhg|mmol/l|mmol|l/min|/min|bpm|seconds?|secs?|s)\b|\s*%)?"
_FROM_WORDS = re.compile(rf"({_NUM}){_UNIT}\s*(?:or|and)\s+{_MORE}\b(?!\s*\d)", re.IGNORECASE)
_TO_WORDS = re.compile(rf"({_NUM}){_UNIT}\s*or\s+{_LESS}\b(?!\s*\d)", re.IGNORECASE)
_ABOVE_WORDS = re.compile(rf"\b(?:over|above|more than|greater than|higher than)\s+({_NUM})"
                          + _NOT_BAND, re.IGNORECASE)
_BELOW_WORDS = re.compile(rf"\b(?:under|below|less than|fewer than|lower than)\s+({_NUM})"
                          + _NOT_BAND, re.IGNORECASE)

_AGE_UNIT = {"day": 1 / 30, "week": 0.25, "month": 1.0, "year": 12.0}
_Q_AGE = re.compile(r"\b(\d+(?:\.\d+)?)\s*-?\s*(yo|y/o|yrs?|years?|months?|mo|mths?|mnths?|"
                    r"weeks?|wks?|days?)(?:\s*-?\s*old)?\b", re.IGNORECASE)
# A child's age in years written without the unit: "child 3", "aged 7", "boy of 10".
_Q_BARE_AGE = re.compile(r"\b(?:child|kid|boy|girl|aged?)\s+(?:of\s+)?(\d{1,2})(?![\d.]|\s*%|\s*(?:"
                         r"kg|kilos?|mg|mcg|ml|l|g|mmol|months?|mo|mths?|weeks?|wks?|days?|"
                         r"hours?|hrs?|minutes?|mins?|doses?|times)\b)", re.I)
# Weeks or days that are not the patient's age: a time ("for 3 days", "2 weeks after having her
# baby") or, asked about a pregnancy, its gestation ("34 weeks", "30/40").
_Q_SPELL = re.compile(r"\b(?:for|after|within|over|past|last)\s+(?:the\s+)?(?:last\s+|past\s+)?"
                      r"\d+\s*(?:days?|weeks?|wks?)\b|\b\d+\s*(?:days?|weeks?|wks?)\s+"
                      r"(?:ago|after|later|since)\b", re.I)
_PREGNANCY = re.compile(r"\bpreg\w*|\bgestation\w*|eclampsia|\bante-?natal|\bpost-?natal|"
                        r"\bpost-?partum|\bhaving (?:her|the) baby|\blabour\b|\bmaternity|"
                        r"\bf(?:o)?etal\b|\b\d+\s*/\s*40\b", re.I)
_Q_GESTATION = re.compile(r"\b(\d{1,2})\s*-?\s*(?:weeks?|wks?|/\s*40)\b(?!\s*-?\s*old)", re.I)
_GESTATION_BANDS = [
    (re.compile(r"\b(?:after|from|beyond|over|above)\s+(\d{1,2})\s*weeks", re.I), "from"),
    (re.compile(r"\b(?:before|under|below|up to|less than)\s+(\d{1,2})\s*weeks", re.I), "to"),
    (re.compile(rf"\b(\d{{1,2}}){_DASH}(\d{{1,2}})\s*weeks", re.I), "range"),
]
_Q_WEIGHT = re.compile(rf"\b({_NUM})\s*-?\s*(?:kg|kilos?)\b", re.IGNORECASE)
_AGE_WORDS = {"adult": 30 * 12.0, "adults": 30 * 12.0, "elderly": 75 * 12.0,
              "newborn": 0.0, "neonate": 0.0, "infant": 6.0, "baby": 6.0, "toddler": 24.0,
              "teenager": 15 * 12.0, "teen": 15 * 12.0, "child": 60.0, "children": 60.0,
              "kid": 60.0, "kids": 60.0, "paediatric": 60.0, "paeds": 60.0, "peds": 60.0,
              "pediatric": 60.0}
# Words of a heading or title that say whom a passage is for, when it states no band itself.
# A child's band ends just before the adult one starts (at 16), as a stated band does, so a
# heading that says "children" marks its lines as children only.
_CHILD_TOP = 16 * 12.0 - 0.01
_GROUP_BANDS = {"adult": (16 * 12.0, math.inf), "adults": (16 * 12.0, math.inf),
                "child": (0.0, _CHILD_TOP), "children": (0.0, _CHILD_TOP),
                "paediatric": (0.0, _CHILD_TOP), "infant": (0.0, 12.0), "infants": (0.0, 12.0),
                "baby": (0.0, 12.0), "babies": (0.0, 12.0), "newborn": (0.0, 1.0),
                "older": (65 * 12.0, math.inf)}
# The question's group words, as ranges of months, where _GROUP_BANDS (for headings) has none
# or ends on the next band's first month (a baby is under 1 year, not in "1–2 years").
_Q_GROUPS = {"elderly": (65 * 12.0, math.inf), "infant": (0.0, 11.99), "baby": (0.0, 11.99),
             "neonate": (0.0, 1.0), "toddler": (12.0, 36.0),
             "teenager": (13 * 12.0, 20 * 12.0 - 0.01), "teen": (13 * 12.0, 20 * 12.0 - 0.01),
             "kid": (0.0, _CHILD_TOP), "kids": (0.0, _CHILD_TOP), "paeds": (0.0, _CHILD_TOP),
             "peds": (0.0, _CHILD_TOP), "pediatric": (0.0, _CHILD_TOP)}
_BAND_UNIT = r"(years?|months?|weeks?)"
_BANDS = [
    (re.compile(rf"({_NUM})\s*(months?|weeks?){_DASH}({_NUM})\s*years?", re.I), "mixed"),
    (re.compile(rf"({_NUM}){_DASH}({_NUM})\s*{_BAND_UNIT}", re.I), "range"),
    (re.compile(rf"\b(?:under|below|less than|younger than)\s*({_NUM})\s*{_BAND_UNIT}", re.I),
     "under"),
    (re.compile(rf"\b(?:over|above|older than)\s*({_NUM})\s*{_BAND_UNIT}", re.I), "over"),
    (re.compile(rf"\b({_NUM})\s*{_BAND_UNIT}\s*(?:or over|and over|or more|or older|and older|"
                r"\+)", re.I), "from"),
    (re.compile(rf"\baged?\s*({_NUM})\s*{_BAND_UNIT}\b", re.I), "at"),
    # "under-16s", "over-65s": the age in years, said as a group
    (re.compile(r"\b(under|over)-(\d+)s\b", re.I), "group"),
]
_CHILDREN_ONLY = re.compile(r"\b(?:child|children|paediatric|pediatric|infants?|babies)\b", re.I)
_WEIGHT_BANDS = [
    (re.compile(rf"({_NUM})\s*kg\s*or\s*(?:more|over)", re.I), "from"),
    (re.compile(rf"\b(?:under|below|less than)\s*({_NUM})\s*kg", re.I), "under"),
]

_DOSE_Q = re.compile(r"\b(?:dose|doses|dosage|dosing|how much|how many|amount|mg|mcg|"
                     r"micrograms?|ml|give|flow|volume|energy|joules|size|puffs?|bolus)\b", re.I)
# A dose asked for itself ("paracetamol dose", "how much calpol"), not doses counted ("after 2
# doses") nor a dose kind inferred from "give" or "size".
_DOSE_ASKED = re.compile(r"\b(?:dose|dosage|dosing|how much|mg|mcg|micrograms?)\b", re.I)
# "at the same time" asks about two things at once (appliance.assistant.asked), not a time
_TIME_Q = re.compile(r"\b(?:how long|when|how soon|how often|how fast|how quickly|(?<!same )time|"
                     r"timing|"
                     r"times|window|wait|until|minutes?|mins?|hours?|hrs?|days?|duration|interval|last|"
                     r"within)\b", re.I)
_THRESHOLD_Q = re.compile(r"\b(?:level|threshold|target|normal|range|sats|saturations?|spo2|"
                          r"temp|temperature|bp|pressure|rate|score|scores|cut ?off|definition|"
                          r"define|defined|high risk|red|amber|counts?|significant|value|gcs|"
                          r"ph|how high|how low|at what|above|below|over|under)\b", re.I)
_CONTRA_Q = re.compile(r"\b(?:can i|can we|can they|should i|should we|ok to|okay to|safe|"
                       r"allowed|contraindicat\w*|avoid|is it ok|before|instead|any good|"
                       r"worth|do they need|straight away|or no|or not)\b|\?\s*$", re.I)
_AGE_Q = re.compile(r"\b(?:what age|which age|what ages|how old|age group|age range|"
                    r"ages|at what age)\b", re.I)
_WHATIF_Q = re.compile(r"\b(?:what do i do|what to do|what should|how do i|how to|what if|"
                       r"if the|manage|management)\b", re.I)


_WHEN_Q = re.compile(r"\b(?:when|how long|how soon|how often|how quickly|how fast|after how|"
                     r"wait|interval|repeat|again)\b", re.I)
_WH_Q = re.compile(r"\b(?:what|whats|what's|how|when|which|where|who|why)\b", re.I)


def _last_clause(text: str) -> str:
    """The last clause of ``text`` ("..., wait till morning?" → "wait till morning")."""
    parts = [p for p in re.split(r"[.?!,;]+(?:\s|$)|\s[—–-]\s", text) if p.strip()]
    return parts[-1] if parts else text


SAME_ORDER = 3.0  # how far past an open bound a value is still its measurement (holds_value)


@dataclass(frozen=True)
class Band:
    """An inclusive range of ages in months (or of weights in kg)."""

    low: float
    high: float

    def holds(self, value: float) -> bool:
        return self.low <= value <= self.high

    def holds_value(self, value: float) -> bool:
        """Whether a measured ``value`` falls in the band, read as a range of the same
        measurement: an open bound holds values of its own order only (within a factor of
        ``SAME_ORDER``), so a temperature of 38.3 is not "3 seconds or more" nor a pulse of 130
        "over 40" breaths."""
        if not self.holds(value):
            return False
        if self.high == math.inf and self.low > 0:
            return value <= self.low * SAME_ORDER
        if self.low == -math.inf and self.high > 0:
            return value >= self.high / SAME_ORDER
        return True

    def overlaps(self, other: Band) -> bool:
        return self.low <= other.high and other.low <= self.high


@dataclass
class Question:
    """The features of one question."""

    text: str
    kinds: set[str] = field(default_factory=set)
    age_months: float | None = None
    weight_kg: float | None = None
    numbers: list[float] = field(default_factory=list)
    """Numbers that are neither the age nor the weight (e.g. "news score for a pulse of 120")."""
    dose_asked: bool = False
    """Only a dose is asked, in so many words (see ``_DOSE_ASKED``)."""
    gestation_weeks: float | None = None
    """Weeks of a pregnancy asked about ("34 weeks", "30/40"): never the patient's age."""
    age_group: Band | None = None
    """The ages a word for a group covers ("child", "baby", "adult") when the question names
    no age itself: it says which bands apply, not which of them (``age_months`` is then only a
    typical age of the group)."""
    given: set[str] = field(default_factory=set)
    """Words the question says were already given or taken ("morphine given", "had calpol",
    "took ibuprofen and aspirin"): the patient's story, not the medicine asked about."""


def read_question(text: str, patient_age_years: float | None = None) -> Question:
    """The question's kinds ("dose", "time", "threshold", "contra", "whatif") and any age,
    weight or other number it names. ``patient_age_years`` (asked from a record) applies when
    the question names no age itself."""
    q = Question(text=text)
    # what is asked is read from the asking part: a story's "seven minutes" or "if" asks nothing
    ask = asked_part(text) or text
    for kind, pattern in (("dose", _DOSE_Q), ("time", _TIME_Q), ("threshold", _THRESHOLD_Q),
                          ("contra", _CONTRA_Q), ("whatif", _WHATIF_Q), ("age", _AGE_Q),
                          ("failed", FAILED_Q)):
        if pattern.search(ask):
            q.kinds.add(kind)
    marked_only = not _CONTRA_Q.search(ask.rstrip().rstrip("?"))
    if marked_only and _WH_Q.search(_last_clause(ask)):
        # a question mark on a "what / how / when" question asks for that, not whether
        # something may be done ("category 2 call, what is the response time target?")
        q.kinds.discard("contra")
    # a question mark alone ("adrenaline dose?") asks nothing but the dose
    asked = q.kinds - ({"contra"} if marked_only else set())
    # a dose asked with its most a day ("dose and max per day") is still a dose of the
    # medicine named; "second dose when" asks a time
    q.dose_asked = ("dose" in asked and asked <= {"dose", "time", "threshold"}
                    and _DOSE_ASKED.search(ask) is not None
                    and ("time" not in asked or not _WHEN_Q.search(ask)))
    q.given = given_words(text)
    spans = [m.span() for m in _Q_SPELL.finditer(text)]
    gestation = _Q_GESTATION.search(_blank(text, spans)) if _PREGNANCY.search(text) else None
    if gestation:
        q.gestation_weeks = float(gestation.group(1))
        spans.append(gestation.span())
    # an age said as one ("2 yr old", "8 months") before a count of days or weeks that may be
    # a time ("fever 5 days in a 2 yr old")
    ages = sorted(_Q_AGE.finditer(_blank(text, spans)),
                  key=lambda m: (not m.group(0).lower().endswith("old"),
                                 m.group(2).lower()[0] in "dw", m.start()))
    age = ages[0] if ages else None
    bare = None if age else _Q_BARE_AGE.search(_blank(text, spans))
    if bare:
        q.age_months = float(bare.group(1)) * 12.0
        spans.append(bare.span(1))
    elif age:
        unit = age.group(2).lower()
        key = ("year" if unit.startswith("y") else "month" if unit.startswith("m")
               else "week" if unit.startswith("w") else "day")
        q.age_months = float(age.group(1)) * _AGE_UNIT[key]
        spans.append(age.span())
    else:
        for word in re.findall(r"[a-z]+", text.lower()):
            if word in _AGE_WORDS:
                q.age_months = _AGE_WORDS[word]
                q.age_group = Band(*_Q_GROUPS.get(word, _GROUP_BANDS.get(word, (0.0, math.inf))))
                break
    if q.age_months is None and patient_age_years is not None:
        q.age_months = patient_age_years * 12
    weight = _Q_WEIGHT.search(text)
    if weight:
        q.weight_kg = float(weight.group(1))
        spans.append(weight.span())
    for m in re.finditer(rf"(?<![a-z0-9.]){_NUM}(?!\d|\.\d|st\b|nd\b|rd\b|th\b)", text, re.I):
        # digits inside a word name a thing, not a number asked ("news2", "spo2", "ffp3"),
        # and an ordinal counts, it is not a value ("2nd dose")
        if not any(a <= m.start() < b for a, b in spans):
            q.numbers.append(float(m.group()))
    return q


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` blanked out (positions kept)."""
    return "".join(" " if any(a <= i < b for a, b in spans) else c for i, c in enumerate(text))


@dataclass(frozen=True)
class LineFeatures:
    """What one line offers."""

    amount: bool
    duration: bool
    comparison: bool
    negation: bool
    ages: tuple[Band, ...]
    weights: tuple[Band, ...]
    ranges: tuple[Band, ...]
    failure: bool = False
    """The line is for when a step has not worked ("If not cleared", "if poor response")."""
    gestation: tuple[Band, ...] = ()
    """Weeks of pregnancy the line is for ("After 20 weeks", "before 24 weeks")."""


def line_features(text: str, where: tuple[str, ...] = ()) -> LineFeatures:
    """The amounts, durations, comparisons, negations, age/weight bands and ranges of a line.

    ``where`` is the line's heading path, innermost last: a line that states no age band
    takes the band of the nearest heading that does ("Infants under 1 year", "Children")."""
    ages = age_bands(text)
    scope = next((b for b in map(group_bands, reversed(where)) if b), ())
    if ages and scope and all(b.high <= _CHILD_TOP for b in scope):
        # under a heading or title for children, "5 mg over 5 years" is for children over 5:
        # a stated band ends where the heading's does
        top = max(b.high for b in scope)
        ages = tuple(Band(b.low, min(b.high, top)) for b in ages if b.low <= top)
    ages = ages or scope
    return LineFeatures(amount=bool(_AMOUNT.search(text)), duration=bool(_DURATION.search(text)),
                        comparison=bool(_COMPARE.search(text)),
                        negation=bool(_NEGATION.search(text)), ages=ages,
                        weights=weight_bands(text), ranges=number_ranges(text),
                        failure=bool(FAILURE.search(text)), gestation=gestation_bands(text))


def _months(value: str, unit: str) -> float:
    unit = unit.lower()
    return float(value) * (12.0 if unit.startswith("y") else 0.25 if unit.startswith("w")
                           else 1.0)


def age_bands(text: str) -> tuple[Band, ...]:
    """Age bands a line states, in months ("child 6 months–6 years" → 6-83)."""
    out: list[Band] = []
    taken: list[tuple[int, int]] = []
    for pattern, shape in _BANDS:
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            g = m.groups()
            if shape == "mixed":
                out.append(Band(_months(g[0], g[1]), _months(g[2], "years") + 11.99))
            elif shape == "range":
                top = _months(g[1], g[2])
                out.append(Band(_months(g[0], g[2]), top + (11.99 if g[2].lower()[0] == "y"
                                                            else 0.99)))
            elif shape == "under":
                out.append(Band(0.0, _months(g[0], g[1]) - 0.01))
            elif shape == "over":
                out.append(Band(_months(g[0], g[1]) + 0.01, math.inf))
            elif shape == "group":
                years = _months(g[1], "years")
                out.append(Band(0.0, years - 0.01) if g[0].lower() == "under"
                           else Band(years + 0.01, math.inf))
            elif shape in ("from", "at"):
                out.append(Band(_months(g[0], g[1]), math.inf))
    if not out and re.search(r"\badults?\b", text, re.I):
        out.append(Band(16 * 12.0, math.inf))
        if _CHILDREN_ONLY.search(text):
            # "adult 150–200 ml ...; children 2 ml/kg": the line serves both groups
            out.append(Band(0.0, 16 * 12.0 - 0.01))
    if _CHILDREN_ONLY.search(text) and not re.search(r"\badults?\b", text, re.I):
        # "over 5 years" in a sentence about children stops where childhood does
        out = [Band(b.low, min(b.high, 16 * 12.0 - 0.01)) for b in out]
    return tuple(out)


def group_bands(text: str) -> tuple[Band, ...]:
    """Bands of a heading or title: its stated bands, else the groups it names ("children")."""
    stated = age_bands(text)
    if stated:
        return stated
    words = set(re.findall(r"[a-z]+", text.lower()))
    return tuple(Band(*_GROUP_BANDS[w]) for w in sorted(words & set(_GROUP_BANDS)))


def gestation_bands(text: str) -> tuple[Band, ...]:
    """Weeks of pregnancy a line states ("After 20 weeks" → 20 onwards)."""
    out: list[Band] = []
    for pattern, shape in _GESTATION_BANDS:
        for m in pattern.finditer(text):
            low = float(m.group(1))
            out.append(Band(low, math.inf) if shape == "from" else Band(0.0, low) if shape == "to"
                       else Band(low, float(m.group(2))))
    return tuple(out)


def weight_bands(text: str) -> tuple[Band, ...]:
    out: list[Band] = []
    for pattern, shape in _WEIGHT_BANDS:
        for m in pattern.finditer(text):
            value = float(m.group(1))
            out.append(Band(value, math.inf) if shape == "from" else Band(0.0, value - 0.01))
    return tuple(out)


def number_ranges(text: str) -> tuple[Band, ...]:
    """Numeric ranges and bounds a line states ("111–130", "≥131", "≤8", "7 or more",
    "under 33%")."""
    out = [Band(float(a), float(b)) for a, b in _RANGE.findall(text)]
    for sign, value in _BOUND.findall(text):
        v = float(value)
        out.append(Band(v, math.inf) if sign == "≥" else Band(-math.inf, v))
    # in words (ages and weights are bands of their own, not values of a measurement)
    out += [Band(float(v), math.inf) for v in _FROM_WORDS.findall(text)]
    out += [Band(-math.inf, float(v)) for v in _TO_WORDS.findall(text)]
    out += [Band(float(v) + 1e-9, math.inf) for v in _ABOVE_WORDS.findall(text)]
    out += [Band(-math.inf, float(v) - 1e-9) for v in _BELOW_WORDS.findall(text)]
    return tuple(out)
