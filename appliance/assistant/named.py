"""The medicines a question asks about, apart from those its story names.

"Hives after starting amoxicillin — antihistamine dose?" asks about an antihistamine: the
amoxicillin is what happened. A medicine said as what the patient is on, took, was given, is
allergic to or reacted after is the story's; so is one named only before the asking part of a
long question (:mod:`appliance.assistant.ask_part`). The rest are what is asked:

- a question asking only a dose of a named medicine is answered only by a line naming it with
  an amount (:func:`naming`);
- a medicine asked about that the pack never names, by any of its names, is "not found"
  (:func:`unknown_asked`): the pack says nothing of "ondansetron" or "colchicine", and a line
  about another medicine is not its answer.

General clinical English; nothing here knows a particular document or pack.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from appliance.assistant.answer_terms import (
    SearcherLike,
    holds,
    line_index,
    stem,
    stems,
)
from appliance.assistant.ask_part import asked_part
from appliance.assistant.asked import given_words
from appliance.text.medicine_names import CLASSES, other_names
from appliance.text.medicines import MEDICINE_CLASSES, MEDICINE_WORD

_CLASSES = frozenset(c.lower() for c in MEDICINE_CLASSES)
# a class another name stands for ("apixaban" → anticoagulant) names no medicine's dose
_CLASS_ENTRIES = frozenset(" ".join(stem(w) for w in re.findall(r"[a-z0-9]+", c))
                           for c in CLASSES)
# The story's medicine: what the patient is on, takes, took, started, reacted after or is
# allergic to ("on ramipril", "after starting amoxicillin", "allergic to penicillin").
_STORY_CUE = re.compile(r"\b(?:on|taking|takes|took|taken|started|starting|since|after|"
                        r"allergic to|allergy to|reaction to|overdose of|od of)\s+"
                        r"(?:(?:his|her|their|a|an|the|some|regular|usual|new|iv|oral|"
                        r"starting)\s+)*([a-z][a-z-]+)", re.I)


# A word made with "anti-" names a medicine by what it acts against ("antivenom", "antiemetic",
# "antihistamine"), typed apart or not ("anti venom")
_ANTI = re.compile(r"\banti[\s-]+(?=[a-z])")
_AGAINST = re.compile(r"anti[a-z]{4,}")


def story_medicines(question: str) -> set[str]:
    """Medicines (lower case) the question names as part of what happened, not as asked."""
    text = question.lower()
    out = given_words(text)
    out |= {m.group(1) for m in _STORY_CUE.finditer(text)}
    asked = asked_part(question)
    if asked is not None:
        told = text[:text.find(asked.lower()[:40])] if asked.lower()[:40] in text else ""
        out |= {w for w in re.findall(r"[a-z][a-z-]+", told) if MEDICINE_WORD.fullmatch(w)}
    return out


def medicine_groups(groups: list[set[str]],
                    surface: list[set[str]]) -> list[tuple[str, list[set[str]]]]:
    """Per medicine the question names, its name and the word groups that name it (with their
    synonyms: "calpol" stands for paracetamol when the pack says so); a name of two words
    ("iron tablets") needs both, so that "tablets" alone does not stand for it. A class
    ("steroids") names none in particular."""
    out: list[tuple[str, list[set[str]]]] = []
    for i, words in enumerate(surface):
        one = sorted(w for w in words if MEDICINE_WORD.fullmatch(w) and w not in _CLASSES)
        after = surface[i + 1] if i + 1 < len(surface) else set()
        two = sorted(f"{a} {b}" for a in words for b in after
                     if MEDICINE_WORD.fullmatch(f"{a} {b}") and f"{a} {b}" not in _CLASSES)
        if one:
            out.append((one[0], [groups[i] - _CLASS_ENTRIES]))
        elif two:
            out.append((two[0], [groups[i] - _CLASS_ENTRIES, groups[i + 1] - _CLASS_ENTRIES]))
    return out


def naming(scored: list[Any], medicines: list[tuple[str, list[set[str]]]]) -> list[Any]:
    """A question asking only a dose of a named medicine is answered only by a line that names
    it (in the line, its lead-in or its headings) and gives an amount: the pack's dose of
    another drug is never shown in its place. When no line does, the question is "not found"."""
    if not medicines:
        return scored
    out = []
    for s in scored:
        named = stems(" ".join((s.line.shown, *s.line.heading_path)))
        if s.features.get("dose", 0.0) > 0 and any(
                all(holds(g, named) for g in name) for _, name in medicines):
            out.append(s)
    return out


def unknown_asked(question: str, searcher: SearcherLike) -> list[str]:
    """Medicines the question asks about (not its story's) that the installed pack never
    names, by the name typed, a synonym, the generic name of a brand or the medicine's class."""
    index = line_index(searcher)
    if index is None:
        return []
    synonyms: Callable[[str], set[str]] = getattr(searcher, "synonyms_of", lambda word: set())
    story = story_medicines(question)
    planner = getattr(searcher, "plan", None)
    mistyped = planner(question).corrections if planner else {}  # "antibiotcs": a pack word
    text = _ANTI.sub("anti", question.lower())
    out = []
    for word in dict.fromkeys(re.findall(r"[a-z][a-z-]+", text)):
        if word in story or word in _CLASSES or word in mistyped or not (
                MEDICINE_WORD.fullmatch(word) or _AGAINST.fullmatch(word)):
            continue
        if synonyms(word) or index.document_frequency([word]):
            continue
        names = [n for n in other_names(word) if n != word]
        if any(all(index.document_frequency([w]) for w in re.findall(r"[a-z0-9]+", n))
               for n in names):
            continue
        out.append(word)
    return out
