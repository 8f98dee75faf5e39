"""Allergies and regular medications: history, never a symptom of this presentation.

"Allergic to penicillin" gives the allergy "penicillin" (and the words are claimed, so nothing
downstream reads them as an allergic reaction); "NKDA" says none are known; "on warfarin",
"takes metformin" and "meds: ramipril, atorvastatin" give medications. Every item is its own
hit, so a clinician can drop one without losing the rest.
"""

from __future__ import annotations

import re

from appliance.text.hits import Claims, Hit, lower_pattern, lowered
from appliance.text.medicines import KNOWN_WORD, MEDICINE_WORD, tidy

NONE_KNOWN = lower_pattern(
    r"\b(?:NKDA|NKA|NKFA|no\s+known\s+(?:drug\s+|medication\s+|food\s+)?allerg(?:y|ies)|"
    r"no\s+(?:drug\s+)?allerg(?:y|ies)|nil\s+(?:known\s+)?allerg(?:y|ies)|"
    r"allerg(?:y|ies)\s*[:=-]?\s*(?:nil|none|none\s+known|NKDA|NKA)\b|"
    r"(?:denies|denied)\s+(?:any\s+)?allerg(?:y|ies)|not\s+allergic\s+to\s+anything)")
ALLERGY_CUE = lower_pattern(
    r"\b(?:(?:known\s+)?allergic\s*(?:to|:)|(?:known\s+)?allerg(?:y|ies)\s*(?:to|:|-|=|include|"
    r"includes|including))\s*")
ALLERGY_AFTER = lower_pattern(r"\s*(?:-\s*)?\ballerg(?:y|ies|ic)\b(?!\s+(?:reaction|to))")
MEDICATION_CUE = lower_pattern(
    r"\b(?:on|takes|taking|uses|using|prescribed|start(?:ed|ing)(?:\s+on)?|commenced\s+on|regular(?:ly)?\s+"
    r"(?:takes|on)|(?:regular\s+)?(?:meds|medications?|medicines|drugs)\s*(?::|-|=|include|"
    r"includes|including|are)|DHx\s*:?|drug\s+history\s*:?)(?![A-Za-z])\s*"
    r"(?:(?:regular|long[- ]term|daily|oral|his|her|their|an?|the|some)\s+){0,2}")
_KNOWN_BEFORE = lower_pattern(r"\b(" + KNOWN_WORD.pattern + r")\s*$")
_FIRST_ITEM = lower_pattern(r"[A-Za-z][A-Za-z-]*(?:\s+[A-Za-z][A-Za-z-]*){0,2}")
_ITEM_STOP = lower_pattern(r"\s+(?:and|or|with|since|who|which|but|so|causing|causes|gives|"
                           r"that|in|on|at|for|from|as|now|today|presents|c/o|has|had|is|was|"
                           r"reaction|rash|anaphylaxis|-)\b.*$")
_BETWEEN = lower_pattern(r"\s*(?:,|/|&|\+|\band\b|\bor\b)\s*")
# Doses, frequencies and a bracketed reaction between or after items: "warfarin 5mg od",
# "2 puffs salbutamol", "penicillin (rash)".
_DOSE = lower_pattern(r"\s*(?:\d+(?:\.\d+)?\s*(?:mg|mcg|micrograms?|g|units?|iu|ml|puffs?|tabs?|"
                      r"tablets?)\b|\b(?:od|bd|tds|qds|nocte|mane|prn|daily|twice\s+daily)\b|"
                      r"\([^()]{0,40}\))\s*")
# A first word that makes the phrase after "allergies:" not an allergen ("see notes", "unknown").
_NOT_ALLERGENS = {"something", "anything", "everything", "nothing", "it", "them", "him", "her",
                  "this", "that", "the", "a", "an", "some", "stuff", "see", "as", "per", "check",
                  "refer", "listed", "documented", "not", "unknown", "unsure", "pending", "nil",
                  "none", "no", "query", "possible", "possibly", "maybe", "ask", "uncertain"}


# Only a word right before the cue denies it ("not allergic to", "no longer on"): in "denies CP,
# on warfarin" or "denies CP allergic to penicillin" the denial is of the chest pain.
_DENIED = lower_pattern(r"\b(?:no|not|nil|never|denies|denied|without|isn't|isnt|wasn't|"
                        r"no\s+longer|stopped|stopped\s+taking|off)\s+(?:been\s+)?(?:any\s+|"
                        r"known\s+|being\s+)?$")


def _denied(low: str, at: int) -> bool:
    return _DENIED.search(low, max(0, at - 30), at) is not None


def read_history(text: str, claims: Claims) -> list[Hit]:
    """Allergies (or "none known") and medications stated in ``text``."""
    hits: list[Hit] = []
    low = lowered(text)
    if "allerg" in low or "nk" in low:
        hits += _none_known(text, low, claims)
    if "allerg" in low:
        hits += _allergies(text, low, claims)
    hits += _medications(text, low, claims)
    return hits


def _none_known(text: str, low: str, claims: Claims) -> list[Hit]:
    for m in NONE_KNOWN.finditer(low):
        if claims.free(m.start(), m.end()):
            claims.take(m.start(), m.end())
            return [Hit("no_known_allergies", True, text[m.start():m.end()], m.start(), m.end())]
    return []


def _allergies(text: str, low: str, claims: Claims) -> list[Hit]:
    hits: list[Hit] = []
    seen: set[str] = set()
    for m in ALLERGY_CUE.finditer(low):
        if not claims.free(m.start(), m.end()) or _denied(low, m.start()):
            continue
        items = _list(low, m.end(), KNOWN_WORD, first_any=True)
        for i, (start, end) in enumerate(items):
            name = tidy(text[start:end])
            if name.lower() in seen:
                continue
            seen.add(name.lower())
            begin = m.start() if i == 0 else start
            claims.take(begin, end)
            hits.append(Hit("allergies", name, text[begin:end], begin, end))
    for m in ALLERGY_AFTER.finditer(low):
        before = low[max(0, m.start() - 40):m.start()]
        name_m = _KNOWN_BEFORE.search(before)
        if name_m is None:
            continue
        start = m.start() - len(before) + name_m.start(1)
        if not claims.free(start, m.end()) or _denied(low, start):
            continue
        name = tidy(text[start:start + len(name_m.group(1))])
        if name.lower() not in seen:
            seen.add(name.lower())
            claims.take(start, m.end())
            hits.append(Hit("allergies", name, text[start:m.end()], start, m.end()))
    return hits


def _medications(text: str, low: str, claims: Claims) -> list[Hit]:
    hits: list[Hit] = []
    seen: set[str] = set()
    for m in MEDICATION_CUE.finditer(low):
        if not claims.free(m.start(), m.end()) or _denied(low, m.start()):
            continue
        for start, end in _list(low, m.end(), MEDICINE_WORD, first_any=False):
            name = tidy(text[start:end])
            if name.lower() in seen or not claims.free(start, end):
                continue
            seen.add(name.lower())
            claims.take(start, end)
            hits.append(Hit("medications", name, text[start:end], start, end))
    return hits


def _list(low: str, at: int, known: re.Pattern[str], *, first_any: bool) -> list[tuple[int, int]]:
    """Offsets of the items of a list starting at ``at`` in the lower-cased text: names from
    ``known``, joined by commas, "and", "/"; doses skipped. With ``first_any`` the first item may
    be any short phrase (what follows "allergic to" is an allergen even if it is not listed)."""
    items: list[tuple[int, int]] = []
    pos = at
    while pos < len(low):
        if d := _DOSE.match(low, pos):
            pos = d.end()
            continue
        if m := known.match(low, pos):
            items.append((m.start(), m.end()))
            pos = m.end()
        elif first_any and not items and (m := _FIRST_ITEM.match(low, pos)):
            phrase = _ITEM_STOP.sub("", m.group(0))
            if not phrase or phrase.split()[0] in _NOT_ALLERGENS:
                break
            items.append((m.start(), m.start() + len(phrase)))
            pos = m.start() + len(phrase)
        else:
            break
        while d := _DOSE.match(low, pos):
            pos = d.end()
        sep = _BETWEEN.match(low, pos)
        if sep is None or not sep.group(0).strip():
            break
        pos = sep.end()
    return items
