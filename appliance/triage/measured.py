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
