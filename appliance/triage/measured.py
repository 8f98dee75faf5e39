"""Findings as the measurement tells them: a measured temperature of 38 °C or more is a fever
for every rule written for one, "had a temperature of 37.8" is a reading, not a fever, and
"ketones 0.3" is a normal ketone reading, not raised ketones."""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from typing import Any

from appliance.triage.lexicon import Match

FEVER_C = 38.0  # NICE NG143 and NG51: 38 °C or more is a fever
FEVER = "fever"
_TEMPERATURE_WORD = re.compile(r"\btemp", re.IGNORECASE)
KETONES = "ketones"
KETONES_RAISED = 1.5  # mmol/L: below it, not the ketosis of DKA (JBDS)
# what follows the word "ketones": a blood reading, or a urine dipstick's trace or single plus
_KETONE_READING = re.compile(r"\s*(?:of|is|was|were|at|:|=|-)?\s*(?:(\d+(?:\.\d+)?)(?!\s*\+)|"
                             r"(trace|negative|neg|nil|none|1\s*\+(?!\+)|\+(?!\+)))",
                             re.IGNORECASE)


def measured_fever(vitals: Mapping[str, Any], known: Container[str]) -> frozenset[str]:
    """A fever that was measured is a fever: a temperature of 38 °C or more counts for every
    rule and discriminator written for "fever" (a child's limp, a sore throat with a rash),
    as it would had the word been typed."""
    temperature = vitals.get("temperature")
    hot = isinstance(temperature, int | float) and temperature >= FEVER_C
    return frozenset({FEVER}) if hot and FEVER in known else frozenset()


_DAYS = r"(\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|few)"
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3, "a few": 2, "few": 2}
FIVE_DAYS = "onset-5-days-or-more"  # NICE NG143: a fever of 5 days or more is amber
#: "4yo temp for 5 days now", "temperature for the last 3 days": a temperature told as going on
#: for days is a fever (NICE NG143 counts its days); "had a temp for 3 days" is told in the
#: past and may have gone (roseola's rash comes as the fever goes), so it is not read here
_ONGOING = re.compile(rf"(?<!\bhad\s)(?<!\bhad\sa\s)\btemp(?:erature)?s?\s+for\s+(?:the\s+"
                      rf"(?:last|past)\s+)?{_DAYS}\s+(days?|nights?|weeks?)\b", re.IGNORECASE)
#: "she's had a temp for 6 days": the present perfect tells it is still going on
_STILL = re.compile(rf"\b(?:has|have|he['’]?s|she['’]?s|they['’]?ve|hes|shes|theyve)\s+had\s+"
                    rf"(?:a\s+)?temp(?:erature)?s?\s+for\s+(?:the\s+(?:last|past)\s+)?{_DAYS}\s+"
                    rf"(days?|nights?|weeks?)\b", re.IGNORECASE)
_GONE = re.compile(r"\b(?:gone|went|settled|resolved|stopped|normal|better|came\s+down|"
                   r"3[0-7](?:\.\d)?)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.;!?\n]+")


def fever_going_on(text: str, known: Container[str]) -> frozenset[str]:
    """``fever`` for a temperature told as going on for days ("temp for 5 days now"), unless
    its sentence says it has gone or gives a reading under 38 °C; ``onset-5-days-or-more``
    with it when that is 5 days or more."""
    if FEVER not in known:
        return frozenset()
    for sentence in _SENTENCE.finditer(text):
        told = _ONGOING.search(sentence.group()) or _STILL.search(sentence.group())
        if told and not _GONE.search(sentence.group()):
            count = re.sub(r"\s+", " ", told.group(1).lower())
            days = int(count) if count.isdigit() else _COUNTS[count]
            if told.group(2).lower().startswith("week"):
                days *= 7
            found = {FEVER} | ({FIVE_DAYS} if days >= 5 and FIVE_DAYS in known else set())
            return frozenset(found)
    return frozenset()


def without_unfevered(matches: list[Match], vitals: Mapping[str, Any],
                      told: Mapping[str, Any]) -> list[Match]:
    """``matches`` less "a temperature" read as a fever when the temperature given (``vitals``)
    or written in the text (``told``) is below 38 °C: "had a temperature of 37.8" tells a
    reading, and the reading is no fever."""
    temperature = vitals.get("temperature", told.get("temperature"))
    if not isinstance(temperature, int | float) or temperature >= FEVER_C:
        return matches
    return [m for m in matches if not (m.concept == FEVER and _TEMPERATURE_WORD.search(m.text))]


def without_low_ketones(matches: list[Match], text: str) -> list[Match]:
    """``matches`` less "ketones" told with a reading under the raised range ("ketones 0.3",
    "urine ketones trace"): the word names the test, and the test came back low."""
    out = []
    for m in matches:
        if m.concept == KETONES:
            told = _KETONE_READING.match(text, m.end)
            if told and (told.group(2) or float(told.group(1)) < KETONES_RAISED):
                continue
        out.append(m)
    return out
