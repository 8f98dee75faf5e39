"""How long ago a presentation began, when the text says so: "for 3 days", "2/52", "a week ago".

Time-critical treatments have windows (clot treatment for a stroke within hours), so a sign that
began days ago is urgent rather than very urgent. A finding stands down only when the onset is
written in the same clause as every finding in the text: "facial droop since this morning, cough
for 3 days" keeps the droop time-critical, because the long onset belongs to the cough.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from appliance.triage.gestation import gestation_spans
from appliance.triage.lexicon import Match

CONCEPT = "onset-over-24h"
WEEK_CONCEPT = "onset-over-a-week"
THREE_WEEKS_CONCEPT = "onset-over-3-weeks"
FIVE_DAYS_CONCEPT = "onset-5-days-or-more"
#: every finding began over 3 weeks ago and nothing tells of a change since: it may stand a
#: complaint down (a breathlessness of months is a GP's), as ``onset-over-3-weeks`` may not
LONG_STANDING_CONCEPT = "onset-every-finding-over-3-weeks"

_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
                 "twelve": 12, "few": 2, "couple": 2, "several": 3, "many": 3}
_DAYS = {"hour": 1 / 24, "hr": 1 / 24, "day": 1, "d": 1, "week": 7, "wk": 7, "month": 30,
         "mo": 30, "year": 365, "yr": 365}
_COUNT = (r"(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|"
          r"couple|several|many)")
_UNIT = r"(hours?|hrs?|days?|d|weeks?|wks?|months?|mo|years?|yrs?)"
# "for about 4 weeks", "for nearly a month": a hedge does not change how long
_ABOUT = r"(?:(?:about|around|approx(?:imately)?|roughly|nearly|almost|over|maybe|like)\s+)?"
_PATTERNS = (
    # "for 3 days", "x 2 weeks", "over the last few days", "since 2 weeks", "past couple of days",
    # "SOB on exertion over 2 months"
    re.compile(rf"\b(?:for|x|since|over\s+(?:the\s+)?(?:last|past)|over|(?:the\s+)?(?:last|"
               rf"past))\s+(?:the\s+)?(?:last\s+|past\s+)?{_ABOUT}{_COUNT}\s*(?:of\s+)?{_UNIT}\b",
               re.IGNORECASE),
    # "3 days ago", "a week ago", "began 2 days back"
    re.compile(rf"\b{_COUNT}\s*(?:of\s+)?{_UNIT}\s+(?:ago|back)\b", re.IGNORECASE),
    # "facial droop 1 week", "cough 2 wks hx": a duration that ends its clause
    re.compile(rf"\b{_COUNT}\s*{_UNIT}\s*(?:hx|history|duration)?\s*(?=$|[.;,\n])",
               re.IGNORECASE),
    # "cough 4 weeks not going away", "rash 2 wks now spreading", "cough 4 wks since a cold": a
    # duration told as the symptom's, with what it is doing now or what it followed after it
    # "cough 5 wks 'won't shift'", "rash 3 weeks that will not clear"
    # "3 weeks increasing swelling", "2 months gradually worse": a course told after it
    re.compile(rf"\b{_COUNT}\s*{_UNIT}\s+['\"‘“]?(?=(?:not|now|still|getting|worse|ongoing|"
               rf"increasing|gradual(?:ly)?|progressive(?:ly)?|"
               rf"on\s+and\s+off|off\s+and\s+on|won['’]?t|will\s+not|that\s+(?:won|will|is|"
               rf"has)|since\s+(?:a|the|my|his|her|their)\b)\b)", re.IGNORECASE),
    # "cough hanging around 4 wks", "lingering for 5 weeks", "dragging on 2 months"
    re.compile(rf"\b(?:hanging\s+(?:around|about|on)|lingering|dragging\s+on|lasted|lasting)\s+"
               rf"(?:for\s+)?(?:about\s+|around\s+|over\s+)?{_COUNT}\s*{_UNIT}\b", re.IGNORECASE),
    # "still coughing 4 weeks after a cold": "still" says it has lasted since then
    re.compile(rf"\bstill\b[^.;\n]*?\b{_COUNT}\s*{_UNIT}\s+(?:after|later|on)\b",
               re.IGNORECASE),
    # "since last week", "since Monday" is left alone (no date arithmetic at the roadside)
    re.compile(r"\b(?:(?:since|from)\s+(?:last\s+(?:week|month|year)|the\s+weekend)|"
               r"for\s+(?:some\s+|several\s+|many\s+)?(?:days|weeks|months|years)|"
               r"(?:all|past|last)\s+(?:week|month)|"
               # "over the last year", "for the past yr"; "had one last year" is when, not how long
               r"(?:over\s+(?:the\s+)?|(?:for\s+)?the\s+)(?:last|past)\s+(?:year|yr)|"
               r"past\s+(?:year|yr))\b", re.IGNORECASE),
)
#: an age, not a duration, when a bare "3 months" follows these ("she's 3 months", "aged 2 yrs",
#: "baby girl 7 mo,")
_AGE_BEFORE = re.compile(r"(?:\b(?:is|s|aged?|am|are|was|now|baby|infant|boy|girl)|['’]s)\s*$",
                         re.IGNORECASE)
#: "he's 5 wks now", "baby is 3 months now": a child's age, told of the child, not how long
_CHILD_AGE_BEFORE = re.compile(r"\b(?:he|she|baby|babys|son|daughter|lo|dd|ds)(?:['’]?s|\s+is)"
                               r"\s+(?:now\s+|only\s+|just\s+)?$", re.IGNORECASE)
_RATE_BEFORE = re.compile(r"\b(?:times?|per|every|once|twice)\s*$", re.IGNORECASE)
#: "gets 2-3 a year", "3 a month": a number before "a year" says how often, not how long
_COUNT_BEFORE = re.compile(r"\d\s*$")
#: "LMP 2/52 ago", "last period 3 weeks ago": when the last period was, not how long ill
_LAST_PERIOD = re.compile(r"\b(?:lmp|last\s+(?:menstrual\s+)?period)\s*[:=-]?\s*(?:was\s+)?$",
                          re.IGNORECASE)
#: "the first time in 1 year", "first run in 2 years": how long since something last happened,
#: not how long this has gone on
_FIRST_IN = re.compile(r"\bfirst\b[^.;,\n]{0,25}\bin\s*$", re.IGNORECASE)
#: a note that opens on "9 mo, mum." gives the baby's age (appliance.text.people reads it so)
_OPENING = re.compile(r"(?:^|[.;:])\s*$")
_AGE_AFTER = re.compile(r"\s*,|\s+(?:boy|girl|male|female)\b", re.IGNORECASE)
# clinical shorthand: 3/7 days, 2/52 weeks, 3/12 months
# "x2/7", "3/52"; "18/12 boy" is an age, not how long
_SHORTHAND = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(7|52|12)(?![\d/])(?!\s*(?:boy|girl|old|"
                        r"baby|child|infant|toddler|yo|y/o|male|female|[mf]\b))", re.IGNORECASE)
_SHORTHAND_DAYS = {"7": 1, "52": 7, "12": 30}
# "a cold, then fever"; a decimal point is not a full stop ("fevers to 39.5 for 5 days")
_CLAUSE_BREAK = re.compile(r"(?<!\d)\.|\.(?!\d)|[;,\n]|\bbut\b|\bthen\b", re.IGNORECASE)
# a change today puts an old sign back inside the window: "weak for 2 days, now slurred speech"
_ACUTE_CHANGE = re.compile(
    r"\b(?:now|today|tonight|this\s+(?:morning|afternoon|evening)|sudden(?:ly)?|new|newly|"
    r"acute(?:ly)?|worse|worsening|getting\s+worse|deteriorat\w*|just|minutes?|mins?|"
    r"hours?\s+ago|hrs?\s+ago)\b", re.IGNORECASE)


#: "similar episode 2 yrs ago", "tetanus 3 yrs ago", "had thrush once before, about a year
#: ago": how long ago a past event was, not how long this illness has lasted; the cue comes
#: before the time, in the same sentence
_PAST_EVENT = re.compile(
    r"\b(?:episodes?|tetanus|td|booster|jabs?|vaccin\w*|immuni[sz]\w*|previous(?:ly)?|before|"
    r"last\s+time|diagnosed)\b[^.;\n]{0,40}$", re.IGNORECASE)


def _bare_days(phrase: str) -> float:
    """Days told by a phrase without a number: "since last week", "for months"."""
    phrase = phrase.lower()
    for word, days in (("weekend", 2), ("year", 365), ("yr", 365), ("month", 30), ("week", 7),
                       ("day", 1)):
        if word in phrase:
            plural = f"{word}s" in phrase and word != "weekend"
            return days * 2 if plural else days
    return 0


def _onsets(text: str) -> list[tuple[int, int, float]]:
    """(start, end, days ago) of each statement of when the presentation began."""
    out = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if pattern is _PATTERNS[2] and (_AGE_BEFORE.search(text, 0, m.start())
                                            or _RATE_BEFORE.search(text, 0, m.start())
                                            or _FIRST_IN.search(text, 0, m.start())
                                            or m.group(1).lower() in ("a", "an")
                                            and _COUNT_BEFORE.search(text, 0, m.start())
                                            or _OPENING.search(text, 0, m.start())
                                            and _AGE_AFTER.match(text, m.end())):
                continue  # "she's 3 months" is an age, "twice a year" how often: not how long
            if pattern is _PATTERNS[3] and _CHILD_AGE_BEFORE.search(text, 0, m.start()):
                continue
            if pattern is _PATTERNS[1] and (_PAST_EVENT.search(text, 0, m.start())
                                            or _LAST_PERIOD.search(text, 0, m.start())):
                continue  # "last tetanus jab 3 yrs ago": when something else happened
            if m.lastindex is None:  # "since last week", "for weeks"
                out.append((m.start(), m.end(), _bare_days(m.group())))
                continue
            count = m.group(1).lower()
            n = int(count) if count.isdigit() else _WORD_NUMBERS[count]
            out.append((m.start(), m.end(), n * _DAYS[m.group(2).lower().rstrip("s")]))
    # "6/12. Nappy rash x3/7": shorthand that opens the note is the patient's age
    out += [(m.start(), m.end(), int(m.group(1)) * _SHORTHAND_DAYS[m.group(2)])
            for m in _SHORTHAND.finditer(text) if text[:m.start()].strip()
            and not _LAST_PERIOD.search(text, 0, m.start())]
    # "G1 at 16 wks", "32 weeks pregnant": how far on a pregnancy is, not how long ill
    far_on = gestation_spans(text)
    return [o for o in out if not any(a < o[1] and o[0] < b for a, b, _ in far_on)]


def long_onset_spans(text: str, days: float = 1) -> list[tuple[int, int]]:
    """(start, end) of each statement that the presentation began more than ``days`` ago."""
    return [(a, b) for a, b, ago in _onsets(text) if ago > days]


def short_onset_spans(text: str, days: float) -> list[tuple[int, int]]:
    """(start, end) of each statement that something began no more than ``days`` ago."""
    return [(a, b) for a, b, ago in _onsets(text) if ago <= days]


def _clauses(text: str) -> list[tuple[int, int]]:
    cuts = [0, *[m.end() for m in _CLAUSE_BREAK.finditer(text)], len(text) + 1]
    return list(zip(cuts, cuts[1:], strict=False))


def onset_days(text: str, findings: Iterable[Match]) -> float:
    """How many days ago, at least, every finding began: each clause naming a finding must say
    when (its longest statement counts), and nothing may tell of a change since; 0 when not."""
    return _onset_days(text, _onsets(text), findings)


def _onset_days(text: str, onsets: list[tuple[int, int, float]],
                findings: Iterable[Match]) -> float:
    named = [m for m in findings if not m.negated]
    if not onsets or not named or _ACUTE_CHANGE.search(text):
        return 0
    least = float("inf")
    for start, end in _clauses(text):
        if any(start <= m.start < end for m in named):
            here = [ago for a, _, ago in onsets if start <= a < end]
            least = min(least, max(here, default=0))
    return least if least != float("inf") else 0


def longest_where(text: str, findings: Iterable[Match]) -> float:
    """The longest time told in the clauses that name these findings, in days (0: none):
    "fever on and off for five days" is a fever of five days, "a cold last week, then two
    days of fever" is not."""
    return _longest_where(text, _onsets(text), findings)


def _longest_where(text: str, onsets: list[tuple[int, int, float]],
                   findings: Iterable[Match]) -> float:
    named = [m for m in findings if not m.negated]
    if not onsets or not named:
        return 0
    return max((ago for start, end in _clauses(text) if any(start <= m.start < end for m in named)
                for a, _, ago in onsets if start <= a < end), default=0)


def longest_told(text: str) -> float:
    """The longest time anything in the text is told to have gone on, in days (0: none told).

    For what only raises a level (a cough over 3 weeks sees a GP; something going on for over a
    week is not self-care), any statement counts: binding it to every finding's clause, as
    :func:`onset_days` must before it stands a sign down, would let "cough, dry 5/52" slip."""
    return max((ago for _, _, ago in _onsets(text)), default=0)


@dataclass(frozen=True)
class Durations:
    """What the text says of how long, read in one pass (days; 0 when not told)."""

    every_finding: float  # :func:`onset_days` of the findings
    told: float  # :func:`longest_told`
    fever: float  # :func:`longest_where` of the fever


def durations(text: str, findings: Iterable[Match], fever: Iterable[Match]) -> Durations:
    """:func:`onset_days`, :func:`longest_told` and the fever's :func:`longest_where` from one
    scan of the text (every triage reads all three)."""
    onsets = _onsets(text)
    if not onsets:
        return Durations(0, 0, 0)
    return Durations(_onset_days(text, onsets, findings), max(ago for _, _, ago in onsets),
                     _longest_where(text, onsets, fever))


def began_over_a_day_ago(text: str, findings: Iterable[Match], days: float = 1) -> bool:
    """True when every clause naming a finding also says it began more than ``days`` ago, and
    nothing in the text tells of a change since."""
    return onset_days(text, findings) > days
