"""Age, sex and pregnancy, read only from words that say them.

These readers run after the vital signs and may not reuse claimed text: "temp 104F" is a
temperature, never a 104-year-old woman; "BP 80/40" is a blood pressure, never 80/40 weeks. A
gestation written "28/40" counts only beside a word about pregnancy.
"""

from __future__ import annotations

import re

from appliance.text.hits import Claims, Hit, hit
from appliance.text.spans import negated

_I = re.IGNORECASE
_NOT_AFTER_AGE = (r"(?!\s*(?:%|/|over\b|min|mins|minutes?|hours?|hrs?|days?|weeks?|wks?|months?|"
                  r"times|x\b|kg|cm|m\b|ft|feet|metres?|stone|\.\d))")
AGE = [
    re.compile(r"\b(\d{1,3})\s*-?\s*(?:yo\b|y/o\b|y\.o\.?(?!\w)|(?:yrs?|years?|yr)\.?\s*-?\s*"
               r"old\b)", _I),
    re.compile(r"\b(?:aged?|age\s*:)\s*(\d{1,3})\b" + _NOT_AFTER_AGE, _I),
    re.compile(r"\b(\d{1,3})\s*(?:yrs?|years?)\b(?=\s*,?\s*(?:old|male|female|man|woman|"
               r"gentleman|lady|boy|girl|M\b|F\b))", _I),
    re.compile(r"\b(?:I'm\s+|I\s+am\s+)(?:only\s+|just\s+)?(\d{1,3})\b" + _NOT_AFTER_AGE, _I),
    re.compile(r"\b(?:he|she|they|son|daughter|husband|wife|mum|mom|mother|dad|father|child|"
               r"baby|girl|boy|patient|pt|grandad|grandpa|grandma|nan|nana|granny|grandmother|"
               r"grandfather|brother|sister|boyfriend|girlfriend|partner|friend)(?:'s|\s+is)\s+"
               r"(?:only\s+|just\s+)?(\d{1,3})\b" +
               _NOT_AFTER_AGE, _I),
]
AGE_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss)\.?\s+[A-Z][a-z]+,?\s+(\d{1,3})(?=\s*[,.;)])")
# "72M", "49 F": case-sensitive, so "fell 3m" is a height, not a three-year-old boy.
AGE_SEX = re.compile(r"(?<![\w./])(\d{1,3})\s?([MF])(?![\w/])")
SEX_AGE = re.compile(r"(?<![\w.,/])([MF])\s?(\d{1,3})\s*(?:yo|y/o|yrs?|years?)\b")
_BEFORE_AGE_SEX = re.compile(r"(?:fell|fall|falls|from|off|of|height|drop|dropped|approx|about|"
                             r"~|x|size|gauge|\d)\s*$", _I)
AGE_YOUNG = [
    (re.compile(r"\b(\d{1,2})\s*-?\s*(?:mo|mos|mths?|months?)\s*-?\s*old\b", _I), 12.0, "months"),
    (re.compile(r"\b(\d{1,2})\s*/\s*12\s*-?\s*old\b", _I), 12.0, "months"),
    (re.compile(r"\b(\d{1,2})\s*-?\s*(?:wks?|weeks?)\s*-?\s*old\b", _I), 52.0, "weeks"),
    (re.compile(r"\b(\d{1,2})\s*-?\s*days?\s*-?\s*old\b", _I), 365.0, "days"),
]
SEX_WORDS = {"male": "M", "man": "M", "gentleman": "M", "boy": "M", "gent": "M",
             "female": "F", "woman": "F", "lady": "F", "girl": "F"}
SEX = re.compile(r"\b(male|female|man|woman|gentleman|gent|lady|boy|girl)\b", _I)
SEX_TITLE = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+[A-Z]")
_TITLE_SEX = {"Mr": "M", "Mrs": "F", "Ms": "F", "Miss": "F"}
# "my wife", or a relative opening a sentence ("Mum's pulse is 38"); not "her husband says".
SEX_MY = re.compile(r"(?:\b(?:my|our)\s+(?:\d{1,3}\s*-?\s*(?:years?|yrs?|months?|weeks?)\s*-?\s*"
                    r"old\s+|(?:little|baby|elderly|older|younger|eldest|youngest|teenage)\s+)?|^\s*|"
                    r"[.!?;]\s+)(husband|wife|son|daughter|mum|mother|"
                    r"mom|dad|father|grandad|grandma|nan|grandmother|grandfather|boyfriend|"
                    r"girlfriend|brother|sister)\b", _I | re.MULTILINE)
_MY_SEX = {"husband": "M", "son": "M", "dad": "M", "father": "M", "grandad": "M",
           "grandfather": "M", "boyfriend": "M", "brother": "M"}

PREGNANT = re.compile(
    r"\b(?:pregnant|pregnancy|preg\b|gravid|(\d{1,2})\s*(?:\+\s*\d\s*d?\s*)?(?:wks?|weeks?)\s+"
    r"(?:pregnant|gestation|preg\b|pg\b)|(?:at|is)\s+(\d{1,2})\s*(?:\+\s*\d\s*)?(?:wks?|weeks?)"
    r"\s+(?:gestation|pregnant))", _I)
GESTATION = re.compile(r"(?<![\d/.])(\d{1,2})\s*(?:\+\s*\d\s*)?/\s*40\b")
_PREGNANCY_CONTEXT = re.compile(r"\b(?:pregnan\w*|gestation\w*|weeks|wks|G\d+\s*P\d+|antenatal|"
                                r"primip\w*|multip\w*|EDD|trimester|midwife|obstetric\w*|"
                                r"labou?r|contractions|fetal|foetal|fundal)\b", _I)
_PREGNANCY_TEST = re.compile(r"\b(?:(?:urine\s+|serum\s+)?(?:b?-?hcg|pregnancy\s+test|preg\s+test|"
                             r"UPT)\s*(?:is|was|:)?\s*(positive|negative|pos|neg|\+ve|-ve)|"
                             r"(positive|negative)\s+pregnancy\s+test)", _I)
_UNSURE_OR_PAST = re.compile(r"(?:\?|\bpossibl[ey]|\bmaybe\b|\bmight\s+be|\bcould\s+be|"
                             r"\bmay\s+be|\bunsure|\bnot\s+sure|\bquery|\bprevious|\bprior\b|"
                             r"\bpast\b|\blast\b|\bhistory\s+of|\bhx\b|\bh/o\b|\bPMH|"
                             r"\btrying\s+for|\bwants?\b|\bafter\b|\bpost)[^.;,\n]*$", _I)


def read_people(text: str, claims: Claims) -> list[Hit]:
    """Age, sex and pregnancy in ``text``; never from claimed text."""
    hits: list[Hit] = []
    age_hit, sex_hit = _age(text, claims)
    if age_hit:
        hits.append(age_hit)
    sex_hit = sex_hit or _sex(text)
    if sex_hit:
        hits.append(sex_hit)
    if preg := _pregnancy(text, claims):
        hits.append(preg)
    return hits


def _free(m: re.Match[str], claims: Claims) -> bool:
    return claims.free(m.start(), m.end())


def _age(text: str, claims: Claims) -> tuple[Hit | None, Hit | None]:
    for pattern, per_year, unit in AGE_YOUNG:
        for m in pattern.finditer(text):
            if _free(m, claims):
                claims.take(m.start(), m.end())
                n = int(m.group(1))
                return hit("age", round(n / per_year, 2), m, f"{n} {unit} as years"), None
    for m in SEX_AGE.finditer(text):
        if _free(m, claims):
            claims.take(m.start(), m.end())
            return hit("age", int(m.group(2)), m), hit("sex", m.group(1), m)
    for pattern in (*AGE, AGE_TITLE):
        for m in pattern.finditer(text):
            if _free(m, claims):
                claims.take(m.start(), m.end())
                return hit("age", int(m.group(1)), m), None
    for m in AGE_SEX.finditer(text):
        if _free(m, claims) and not _BEFORE_AGE_SEX.search(text, 0, m.start()):
            claims.take(m.start(), m.end())
            return hit("age", int(m.group(1)), m), hit("sex", m.group(2), m)
    return None, None


def _sex(text: str) -> Hit | None:
    if m := SEX.search(text):
        return hit("sex", SEX_WORDS[m.group(1).lower()], m)
    if m := SEX_TITLE.search(text):
        return Hit("sex", _TITLE_SEX[m.group(1)], m.group(1), m.start(1), m.end(1))
    if m := SEX_MY.search(text):
        word = m.group(1)
        return Hit("sex", _MY_SEX.get(word.lower(), "F"), word, m.start(1), m.end(1))
    return None


def _pregnancy(text: str, claims: Claims) -> Hit | None:
    if m := _PREGNANCY_TEST.search(text):
        result = (m.group(1) or m.group(2) or "").lower()
        return hit("pregnant", result in ("positive", "pos", "+ve"), m, "from the pregnancy test")
    for m in PREGNANT.finditer(text):
        if not _free(m, claims):
            continue
        clause = text[max(0, m.start() - 30):m.start()]
        if _UNSURE_OR_PAST.search(clause) or text[m.end():m.end() + 1] == "?":
            continue
        return hit("pregnant", not negated(text, m.start(), window=25), m)
    if _PREGNANCY_CONTEXT.search(text):
        for m in GESTATION.finditer(text):
            if _free(m, claims) and 4 <= int(m.group(1)) <= 42:
                return hit("pregnant", True, m, f"{m.group(0)} read as weeks of gestation")
    return None
