"""Age, sex and pregnancy, read only from words that say them.

These readers run after the vital signs and may not reuse claimed text: "temp 104F" is a
temperature, never a 104-year-old woman; "BP 80/40" is a blood pressure, never 80/40 weeks. A
gestation written "28/40" counts only beside a word about pregnancy.
"""

from __future__ import annotations

import re

from appliance.text.hits import Claims, Cue, Hit, hit, lower_pattern, lowered

_NOT_AFTER_AGE = (r"(?!\s*(?:%|/|over\b|min|mins|minutes?|hours?|hrs?|days?|weeks?|wks?|months?|"
                  r"times|x\b|kg|cm|m\b|ft|feet|metres?|stone|\.\d))")
AGE = [
    Cue(("y",), lower_pattern(r"\b(\d{1,3})\s*-?\s*(?:yo\b|y/o\b|y\.o\.?(?!\w)|"
                              r"(?:yrs?|years?|yr)\.?\s*-?\s*old\b)")),
    Cue(("age",), lower_pattern(r"\b(?:aged?|age\s*:)\s*(\d{1,3})\b" + _NOT_AFTER_AGE)),
    Cue(("y",), lower_pattern(r"\b(\d{1,3})\s*(?:yrs?|years?)\b(?=\s*,?\s*(?:old|male|female|"
                              r"man|woman|gentleman|lady|boy|girl|M\b|F\b))")),
    Cue(("i'm", "i am"), lower_pattern(r"\b(?:I'm\s+|I\s+am\s+)(?:only\s+|just\s+)?(\d{1,3})\b" +
                                       _NOT_AFTER_AGE)),
    Cue(("'s", " is "),
        lower_pattern(r"\b(?:he|she|they|son|daughter|husband|wife|mum|mom|mother|dad|father|"
                      r"child|baby|girl|boy|patient|pt|grandad|grandpa|grandma|nan|nana|granny|"
                      r"grandmother|grandfather|brother|sister|boyfriend|girlfriend|partner|"
                      r"friend)(?:'s|\s+is)\s+(?:only\s+|just\s+)?(\d{1,3})\b" + _NOT_AFTER_AGE)),
]
# Case-sensitive, on the text as written: "Mrs Jones, 81," (a title, a name, an age).
AGE_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss)\.?\s+[A-Z][a-z]+,?\s+(\d{1,3})(?=\s*[,.;)])")
# "72M", "49 F": case-sensitive, so "fell 3m" is a height, not a three-year-old boy.
AGE_SEX = re.compile(r"(?<![\w./])(\d{1,3})\s?([MF])(?![\w/])")
SEX_AGE = re.compile(r"(?<![\w.,/])([MF])\s?(\d{1,3})\s*(?:yo|y/o|yrs?|years?)\b")
# A height ("fell 3M") or a reading ("HR 72M") just before the number: not an age.
_BEFORE_AGE_SEX = lower_pattern(
    r"(?:\b(?:hr|pr|p|bp|rr|t|temp|sats?|spo2|gcs|bm|pulse|resp)\s*[=:]?|fell|fall|falls|from|"
    r"off|of|height|drop|dropped|approx|about|~|x|size|gauge|\d)\s*$")
# "my 6 wk olds left eye": a parent's possessive drops the apostrophe
AGE_YOUNG = [
    (lower_pattern(r"\b(\d{1,2})\s*-?\s*(?:mo|mos|mths?|months?)\s*-?\s*olds?\b"), 12.0,
     "months"),
    (lower_pattern(r"\b(\d{1,2})\s*/\s*12\s*-?\s*olds?\b"), 12.0, "months"),
    (lower_pattern(r"\b(\d{1,2})\s*-?\s*(?:wks?|weeks?)\s*-?\s*olds?\b"), 52.0, "weeks"),
    (lower_pattern(r"\b(\d{1,2})\s*-?\s*days?\s*-?\s*olds?\b"), 365.0, "days"),
]
# Without "old", a number of months is an age only where a note opens on it and a comma or the
# child's sex follows ("9 mo, mum.", "9 mo boy"): "cough for 3 months, no fever" is how long,
# and "7 months baby kicking less" or "28 weeks baby" a pregnancy.
AGE_YOUNG_BARE = [
    (lower_pattern(r"(?:^|[.;:]\s+)(\d{1,2})\s*(?:mo|mos|mths?|months?)\b(?=\s*,|\s+(?:boy|girl|"
                   r"male|female)\b)"), 12.0, "months"),
    # "baby girl 7 mo,", "my baby boy 3 months, his bottom", "Baby 4 months today had her jabs":
    # months told right after the baby are its age (not "3 months early" or "2 months ago")
    (lower_pattern(r"\b(?:baby|infant|daughter|son)(?:\s+(?:boy|girl|son|daughter))?\s*,?\s*"
                   r"(?:is\s+|aged?\s+)?"
                   r"(\d{1,2})\s*(?:mo|mos|mths?|months?)\b(?!\s*(?:early|premature|prem\b|"
                   r"pregnant|gestation|ago|back\b|later|before|after|corrected))"),
     12.0, "months"),
    # "lo is 4 months", "she's 10 weeks now": months or weeks told as what the baby is
    (lower_pattern(r"\b(?:he|she|lo|baby|son|daughter|dd|ds)(?:['’]?s|\s+is)\s+(?:only\s+|just\s+|"
                   r"now\s+)?(\d{1,2})\s*(?:mo|mos|mths?|months?)\b(?!\s*(?:pregnant|gestation|"
                   r"ago|early|premature|prem\b|corrected))"), 12.0, "months"),
    (lower_pattern(r"\b(?:he|she|lo|baby|son|daughter|dd|ds)(?:['’]?s|\s+is)\s+(?:only\s+|just\s+|"
                   r"now\s+)?(\d{1,2})\s*(?:wks?|weeks?)\b(?!\s*(?:pregnant|gestation|ago|early|"
                   r"premature|prem\b|corrected))"), 52.0, "weeks"),
    # "7mo dd", "4 mth ds": a parent's shorthand for a dear daughter or son of that age
    (lower_pattern(r"\b(\d{1,2})\s*(?:mo|mos|mths?|months?)\s+(?:dd|ds)\d?\b"), 12.0, "months"),
    # "4/12 F.", "5/12. Red bottom": a note opening on months in clinical shorthand
    (lower_pattern(r"(?:^|[.;:]\s+)(\d{1,2})\s*/\s*12\b(?=\s*[,.]|\s+(?:[mf]|boy|girl|male|"
                   r"female)\b)"), 12.0, "months"),
    # "looking after 5mo grandson", "3 wk girl", "my 10 months son": months or weeks told right
    # before the child they are the age of
    (lower_pattern(r"\b(\d{1,2})\s*(?:mo|mos|mths?|months?)\s+(?:old\s+)?(?:grandson|"
                   r"granddaughter|son|daughter|boy|girl|nephew|niece)\b"), 12.0, "months"),
    (lower_pattern(r"\b(\d{1,2})\s*(?:wks?|weeks?)\s+(?:old\s+)?(?:grandson|granddaughter|son|"
                   r"daughter|boy|girl|nephew|niece)\b"), 52.0, "weeks"),
    # "7mo blocked nose", "8mo dribbling loads": a note opening on months written short is the
    # child's age (a pregnancy or a duration is written out: "7 months pregnant", "for 3 months")
    (lower_pattern(r"(?:^|[.;:]\s+)(\d{1,2})\s*(?:mo|mos|mths?)\b(?!\s*(?:ago|early|premature|"
                   r"prem\b|pregnant|gestation|later|before|after|corrected|of\b))"),
     12.0, "months"),
    # "6/52 girl", "NBV 2/52 boy.", "cradle cap, 10/52, otherwise well": weeks in clinical
    # shorthand beside the child or standing alone between commas; "x 2/52" or "for 2/52" is
    # how long
    (lower_pattern(r"(?<![\w/])(?<!x\s)(?<!x)(?<!for\s)(?<!over\s)(?<!past\s)(?<!last\s)"
                   r"(\d{1,2})\s*/\s*52\b(?=\s*[,.:]|\s+(?:[mf]|boy|girl|male|female|old|"
                   r"baby)\b)"), 52.0, "weeks"),
]
SEX_WORDS = {"male": "M", "man": "M", "gentleman": "M", "boy": "M", "gent": "M",
             "female": "F", "woman": "F", "lady": "F", "girl": "F"}
SEX = lower_pattern(r"\b(male|female|man|woman|gentleman|gent|lady|boy|girl)\b")
SEX_TITLE = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+[A-Z]")
_TITLE_SEX = {"Mr": "M", "Mrs": "F", "Ms": "F", "Miss": "F"}
# "my wife", or a relative opening a sentence ("Mum's pulse is 38"); not "her husband says".
SEX_MY = lower_pattern(
    r"(?m)(?:\b(?:my|our)\s+(?:\d{1,3}\s*-?\s*(?:years?|yrs?|months?|weeks?)\s*-?\s*old\s+|"
    r"(?:little|baby|elderly|older|younger|eldest|youngest|teenage)\s+)?|^\s*|[.!?;]\s+)"
    r"(husband|wife|son|daughter|mum|mother|mom|dad|father|grandad|grandma|nan|grandmother|"
    r"grandfather|boyfriend|girlfriend|brother|sister)\b"
    # a relative who found, called or reports is the witness, not the patient ("Wife found pt
    # sweaty", "my husband says I was confused", "Mum calling about her son")
    r"(?!\s+(?:found|finds|called|calls|calling|phoned|phoning|rang|ringing|says|said|saying|"
    r"reports|reported|noticed|saw|witnessed|states|stated|heard|thinks|thought|"
    r"is\s+calling|brought|drove|woke|came\s+home)\b)")
_MY_SEX = {"husband": "M", "son": "M", "dad": "M", "father": "M", "grandad": "M",
           "grandfather": "M", "boyfriend": "M", "brother": "M"}

PREGNANT = lower_pattern(
    r"\b(?:pregnant|pregnancy|preg\b|gravid|(\d{1,2})\s*(?:\+\s*\d\s*d?\s*)?(?:wks?|weeks?)\s+"
    r"(?:pregnant|gestation|preg\b|pg\b)|(?:at|is)\s+(\d{1,2})\s*(?:\+\s*\d\s*)?(?:wks?|weeks?)"
    r"\s+(?:gestation|pregnant))")
GESTATION = re.compile(r"(?<![\d/.])(\d{1,2})\s*(?:\+\s*\d\s*)?/\s*40\b")
# "32 weeks. constant pain", "33 wks, gush of water": a note opening on 20-42 weeks is the
# gestation (a duration that long opens a note as "for 32 weeks", or with what lasted it)
GESTATION_OPENING = lower_pattern(r"(?:^|[.;:]\s+)([2-4]\d)\s*(?:\+\s*\d\s*d?\s*)?"
                                  r"(?:wks?|weeks?)\s*(?=[.,:])")
_PREGNANCY_CONTEXT = lower_pattern(
    r"\b(?:pregnan\w*|gestation\w*|weeks|wks|G\d+(?:\s*P\d+)?|antenatal|primip\w*|multip\w*|EDD|"
    r"trimester|midwife|obstetric\w*|labou?r|contractions|fetal|foetal|fundal)\b")
_PREGNANCY_TEST = lower_pattern(
    r"\b(?:(?:urine\s+|serum\s+)?(?:b?-?hcg|pregnancy\s+test|preg\s+test|UPT)\s*(?:is|was|:)?"
    r"\s*(positive|negative|pos|neg|\+ve|-ve)|(positive|negative)\s+pregnancy\s+test)")
_UNSURE_OR_PAST = lower_pattern(
    r"(?:\?|\bpossibl[ey]|\bmaybe\b|\bmight\s+be|\bcould\s+be|\bmay\s+be|\bunsure|\bnot\s+sure|"
    r"\bquery|\bprevious|\bprior\b|\bpast\b|\blast\b|\bhistory\s+of|\bhx\b|\bh/o\b|\bPMH|"
    r"\btrying\s+for|\bwants?\b|\bafter\b|\bpost)[^.;,\n]*$")


# Only words right before it deny a pregnancy ("not pregnant", "denies being pregnant"): in "no
# bleeding 8 weeks pregnant" the denial is of the bleeding.
_NOT_PREGNANT = lower_pattern(
    r"\b(?:no|not|never|isn't|isnt|denies|denied|negative\s+for|no\s+(?:chance|possibility|"
    r"risk)\s+(?:of|that)(?:\s+she)?|(?:can't|cannot|couldn't|could\s+not)\s+be)\s+"
    r"(?:(?:being|currently|possibly|yet|a|is)\s+)?$")
_DIGIT = re.compile(r"\d")
_SEX_KEYS = ("male", "man", "gent", "lady", "boy", "girl")
_RELATIVE_KEYS = ("husband", "wife", "son", "daughter", "mum", "mom", "mother", "dad", "father",
                  "grand", "nan", "friend", "brother", "sister")


def read_people(text: str, claims: Claims) -> list[Hit]:
    """Age, sex and pregnancy in ``text``; never from claimed text."""
    hits: list[Hit] = []
    low = lowered(text)
    age_hit, sex_hit = _age(text, low, claims) if _DIGIT.search(text) else (None, None)
    if age_hit:
        hits.append(age_hit)
    sex_hit = sex_hit or _sex(text, low)
    if sex_hit:
        hits.append(sex_hit)
    if preg := _pregnancy(text, low, claims):
        hits.append(preg)
    return hits


def _free(m: re.Match[str], claims: Claims) -> bool:
    return claims.free(m.start(), m.end())


def _age(text: str, low: str, claims: Claims) -> tuple[Hit | None, Hit | None]:
    """Patterns with a lower-case source run on ``low``; those that need capitals on ``text``."""
    young = (AGE_YOUNG if "old" in low else []) + AGE_YOUNG_BARE
    for pattern, per_year, unit in young:
        for m in pattern.finditer(low):
            if _free(m, claims):
                claims.take(m.start(), m.end())
                n = int(m.group(1))
                return hit("age", round(n / per_year, 2), m, f"{n} {unit} as years", text), None
    for m in SEX_AGE.finditer(text):
        if _free(m, claims):
            claims.take(m.start(), m.end())
            return hit("age", int(m.group(2)), m), hit("sex", m.group(1), m)
    for cue in AGE:
        for m in cue.finditer(low, low):
            if _free(m, claims):
                claims.take(m.start(), m.end())
                return hit("age", int(m.group(1)), m, text=text), None
    for m in AGE_TITLE.finditer(text) if "m" in low else ():
        if _free(m, claims):
            claims.take(m.start(), m.end())
            return hit("age", int(m.group(1)), m), None
    for m in AGE_SEX.finditer(text):
        if _free(m, claims) and not _BEFORE_AGE_SEX.search(low, 0, m.start()):
            claims.take(m.start(), m.end())
            return hit("age", int(m.group(1)), m), hit("sex", m.group(2), m)
    return None, None


def _sex(text: str, low: str) -> Hit | None:
    if any(k in low for k in _SEX_KEYS) and (m := SEX.search(low)):
        return hit("sex", SEX_WORDS[m.group(1)], m, text=text)
    if ("mr" in low or "ms" in low or "miss" in low) and (m := SEX_TITLE.search(text)):
        return Hit("sex", _TITLE_SEX[m.group(1)], m.group(1), m.start(1), m.end(1))
    if any(k in low for k in _RELATIVE_KEYS) and (m := SEX_MY.search(low)):
        word = text[m.start(1):m.end(1)]
        return Hit("sex", _MY_SEX.get(word.lower(), "F"), word, m.start(1), m.end(1))
    return None


def _pregnancy(text: str, low: str, claims: Claims) -> Hit | None:
    if not any(k in low for k in ("preg", "gravid", "gestation", "hcg", "upt", "/40", "wk",
                                  "week")):
        return None
    if m := _PREGNANCY_TEST.search(low):
        result = m.group(1) or m.group(2) or ""
        return hit("pregnant", result in ("positive", "pos", "+ve"), m, "from the pregnancy test",
                   text)
    for m in PREGNANT.finditer(low):
        if not _free(m, claims):
            continue
        clause = low[max(0, m.start() - 30):m.start()]
        if _UNSURE_OR_PAST.search(clause) or low[m.end():m.end() + 1] == "?":
            continue
        denied = _NOT_PREGNANT.search(low, max(0, m.start() - 40), m.start()) is not None
        return hit("pregnant", not denied, m, text=text)
    for m in GESTATION_OPENING.finditer(low):
        if _free(m, claims) and 20 <= int(m.group(1)) <= 42:
            return hit("pregnant", True, m, f"{m.group(1)} weeks read as weeks of gestation", text)
    if _PREGNANCY_CONTEXT.search(low):
        for m in GESTATION.finditer(low):
            if _free(m, claims) and 4 <= int(m.group(1)) <= 42:
                return hit("pregnant", True, m, f"{m.group(0)} read as weeks of gestation", text)
    return None
