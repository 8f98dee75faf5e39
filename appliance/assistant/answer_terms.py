"""The question's words as answers match them in protocol lines: word stems without stop
words; per question word, the group of stems a line may hold for it (its synonyms, and the pack
words a shortened word stands for); how rare each word is in the pack; and where in a line
(its text, its lead-in or header row, its headings) a word stands; and the question as the
embedder should see it, its abbreviations spelled out.

:mod:`appliance.assistant.answers` scores lines with these.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, Protocol

from appliance.assistant.common_words import PEOPLE, STOP
from appliance.assistant.plain_terms import ABBREVIATIONS, EASED, PHRASES, TYPED_SHORT
from appliance.assistant.question import LineFeatures
from appliance.protocols.lines import Line, LineIndex
from appliance.text.medicine_names import CLASSES, other_names
from appliance.text.word_forms import related_forms
from models.embedder import whole_words

W_TEXT, W_CONTEXT, W_BEFORE, W_HEADING = 1.0, 1.0, 0.45, 0.45
"""What a question word is worth found in the line, in its lead-in or header row, in the
sentence before it (for a short line, see ``SHORT``), in its headings (the lexical share is
computed with these, then weighted as a whole)."""
SHORT = 10
"""Words of a line short enough to leave its subject to the sentence before it in its paragraph
or item ("Do not loosen it once applied.", "Do not give both at once."): a longer sentence says
what it is about itself."""

SHORTENED = 5
"""Longest word the pack writes once that may stand for the longer words it begins: a
clinician's short form ("neb", "resus"); a longer word written once is meant as itself."""


REFERS_WITHIN = 5
# A line that opens by pointing back ("Do not give both at once", "Give it again after 5
# minutes") leaves what it speaks of to the sentence before it, however long it is.
_REFERS = re.compile(r"\b(?:both|either|neither|it|them|this|these|they|those)\b", re.I)


class SearcherLike(Protocol):
    """``appliance.protocols.search.Searcher`` as answers use it. A searcher without a pack
    ``directory`` (a test double) is answered from its hits' own section text."""

    def search(self, query: str, k: int = 10, *, one_per_doc: bool = True) -> list[Any]: ...


_indexes: dict[str, LineIndex] = {}


def line_index(searcher: SearcherLike) -> LineIndex | None:
    """The line index of the searcher's pack (one per installed pack, kept for the process)."""
    directory = getattr(searcher, "directory", None)
    if directory is None:
        return None
    key = str(directory)
    if key not in _indexes:
        _indexes[key] = LineIndex(directory)
    return _indexes[key]


# English plurals no suffix rule reaches: "child" must meet "Acute asthma in children".
IRREGULAR = {"children": "child", "women": "woman", "men": "man", "feet": "foot",
             "teeth": "tooth",
             # ordinals and time units as they are typed short ("2nd dose", "how many hrs")
             "1st": "first", "2nd": "second",
             "hr": "hour", "hrs": "hours", "min": "minute", "mins": "minutes",
             "sec": "second", "secs": "seconds"}


# Counts written as words ("after two doses") meet the digits typed ("2 doses").
NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten".split())}
# From the third on, an ordinal is its count: "after 3 shocks" is "after the 3rd shock" ("first"
# and "second" stay words: "first-line", "10 seconds").
NUMBER_WORDS |= {w: str(n) for n, w in enumerate(
    "third fourth fifth sixth seventh eighth ninth tenth".split(), 3)}
NUMBER_WORDS |= {f"{n}{'rd' if n == 3 else 'th'}": str(n) for n in range(3, 11)}


def stem(word: str) -> str:
    word = IRREGULAR.get(word, word)
    word = NUMBER_WORDS.get(word, word)
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"  # "babies", "injuries", "allergies" meet their singular
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:6]


def stems(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
            if w not in STOP}


def term_groups(question: str,
                searcher: SearcherLike) -> tuple[list[set[str]], list[set[str]]]:
    """Per content word of the question (spelling corrected): the set of stems a line may hold
    for it (its synonyms too; a multi-word synonym as one space-joined entry), and the set of
    vocabulary words it stands for (to look up how common it is).

    A typed word the pack does not use but that begins pack words stands for them rather than
    for its spelling correction: clinicians shorten drug names ("amio", "pred")."""
    planner = getattr(searcher, "plan", None)
    synonyms: Callable[[str], set[str]] = getattr(searcher, "synonyms_of", lambda word: set())
    plan = planner(question) if planner else None
    typed = plan.words if plan else re.findall(r"[a-z0-9]+", question.lower())
    as_typed = {fixed: raw for raw, fixed in plan.corrections.items()} if plan else {}
    index = line_index(searcher)
    typed = [w.rstrip("*") for w in typed]
    # a decimal is a measurement ("bm 2.5"), matched as a value in a line's range
    # (appliance.assistant.question): its digits are not the counts "2" and "5"
    whole = set(re.findall(r"(?<![\d.])\d+(?![\d.]|\.\d)", question))
    split = {p for m in re.findall(r"\d+\.\d+", question) for p in m.split(".")} - whole
    typed = [w for w in typed if w not in split]
    # "cut off" / "cutoff" asks for a threshold (appliance.assistant.question), not of a cut
    typed = [w for i, w in enumerate(typed) if w != "cutoff"
             and not (w == "cut" and typed[i + 1:i + 2] == ["off"])]
    typed = _as_pack_words(_without_age_or_weight(_prefixes_joined(typed)), synonyms, index)
    phrased = _phrase_synonyms(typed, synonyms)
    groups: list[set[str]] = []
    surface: list[set[str]] = []
    seen: set[str] = set()
    for word in typed:
        if word in STOP or word in PEOPLE or word in seen or not re.search(r"[a-z0-9]", word):
            continue
        seen.add(word)
        short = as_typed.get(word, word)
        if word not in as_typed and index is not None and _plural_of_known(word, synonyms, index):
            word = short = word[:-1]  # "epis", "bms": the plural of a word the pack uses
        # a word as typed that the pack never uses (spelling-corrected or not): "amio"
        seen_in = (index.document_frequency([word]).get(word, 0)
                   if index is not None and word not in as_typed and not synonyms(word) else None)
        unknown = word in as_typed or seen_in == 0
        # a short form the pack writes once (a document's keyword "neb") stands, as one it
        # never writes, for the longer words its lines use ("nebulised", "nebuliser"); an
        # English word is meant as itself ("park" is not "Parkland")
        shortened = unknown or (seen_in == 1 and len(short) <= SHORTENED
                                and short not in whole_words())
        longer = (index.words_starting(short)
                  if index is not None and shortened and len(short) >= 3 and short.isalpha()
                  else [])
        if not longer and unknown and index is not None and len(short) >= 4 \
                and short.endswith("s") and short.isalpha():
            longer = index.words_starting(short[:-1])  # a shortened plural: "nebs", "amps"
        names = (other_names(short) or ([ABBREVIATIONS[short]] if short in ABBREVIATIONS
                                        else [])) if unknown else []
        if names:
            # a brand or a generic name the pack never uses: "nurofen" is ibuprofen, "apixaban"
            # an anticoagulant (its prefix or spelling match would be another word)
            longer = []
        group = {stem(w) for w in longer} or {stem(word)}
        words = set(longer) or {word}
        if index is not None and word.isalpha() and len(word) >= 5:
            forms = sorted(related_forms(word))
            used = index.document_frequency(forms) if forms else {}
            for form in (f for f in forms if used.get(f)):
                group.add(stem(form))
                words.add(form)
        if word in EASED:
            group |= {stem(w) for w in EASED}
        for name in names:
            parts = [w for w in re.findall(r"[a-z0-9]+", name) if w not in STOP]
            group.add(" ".join(stem(w) for w in parts))
            words.update(parts)
        for synonym in (synonyms(word) if not longer else set()) | phrased.get(word, set()):
            parts = [w for w in synonym.split() if w not in STOP]
            if parts:
                group.add(" ".join(stem(w) for w in parts))
                words.update(parts)
        if all(re.fullmatch(r"[\d.]+", e) and float(e) > 10 for e in group):
            # a measurement asked ("sats 95") is matched as a value in a line's range
            # (appliance.assistant.question), not as a word: "94–95" holds the word "95";
            # a small count ("2 doses", "5 breaths") is a word of the line
            continue
        groups.append(group)
        surface.append(words)
    return groups, surface


# An age or a weight is read as a number (appliance.assistant.question), which chooses a line's
# band: its unit is no word of the answer ("55-year-old", "8 yrs", "4yo", "20 kilos", "20kg"),
# and as a word every age band and dose per kilo would hold it.
_AGE_UNIT = frozenset("yr yrs yo old mo mos mth mths kg kgs kilo kilos kilogram kilograms"
                      .split())
_AGED = re.compile(r"\d+(?:yo|y|yr|yrs|kg|kgs|mo|mos|mth|mths|m)")


def _without_age_or_weight(typed: list[str]) -> list[str]:
    """``typed`` less the units of an age or weight: those after a number (and "old" after
    them), and a number run together with one ("62yo", "20kg")."""
    out: list[str] = []
    after_number = False
    for word in typed:
        if _AGED.fullmatch(word) or (after_number and word in _AGE_UNIT):
            after_number = True
            continue
        after_number = word.isdigit()
        out.append(word)
    return out


def _prefixes_joined(typed: list[str]) -> list[str]:
    """``typed`` with "anti" joined to the word after it, as it is written ("anti venom" is
    antivenom, "anti histamine" antihistamine): alone, it is no word of any line."""
    out: list[str] = []
    for word in typed:
        if out and out[-1] == "anti" and word.isalpha():
            out[-1] += word
        else:
            out.append(word)
    return out


def _as_pack_words(typed: list[str], synonyms: Callable[[str], set[str]],
                   index: LineIndex | None) -> list[str]:
    if index is None:
        return typed
    short = [w for w in typed if w in TYPED_SHORT and not synonyms(w)]
    used = index.document_frequency(short) if short else {}
    return [TYPED_SHORT[w] if w in short and not used.get(w) else w for w in typed]


def _plural_of_known(word: str, synonyms: Callable[[str], set[str]], index: LineIndex) -> bool:
    """Whether ``word`` is unknown to the pack but, less a final "s", a word it uses or a
    synonym it lists ("epis" for "epi", a listed name of adrenaline)."""
    if len(word) < 4 or not word.endswith("s") or not word.isalpha() or synonyms(word) \
            or index.document_frequency([word]):
        return False
    return bool(synonyms(word[:-1]) or index.document_frequency([word[:-1]]))


def _phrase_synonyms(typed: list[str],
                     synonyms: Callable[[str], set[str]]) -> dict[str, set[str]]:
    """Per typed word, the synonyms of a phrase of the question it is part of ("blood sugar"
    → "blood glucose", "bm"): a line holding one stands for each word of the phrase."""
    out: dict[str, set[str]] = {}
    for length in (4, 3, 2):
        for start in range(len(typed) - length + 1):
            span = typed[start:start + length]
            found = synonyms(" ".join(span)) | PHRASES.get(" ".join(span), set())
            for word in span if found else ():
                out.setdefault(word, set()).update(found)
    return out


# Words that name the kind of answer wanted: a line earns them only by holding that kind of
# answer ("dose" counts in a line with an amount, not in "despite one dose of adrenaline").
KIND_STEMS = {stem(w): kind for kind, words in (
    ("amount", "dose doses dosage dosing amount energy"),  # a shock's energy is its amount
    ("duration", "time times timing"),
    ("comparison", "target threshold level levels normal range"),
    ("negation", "contraindication contraindications contraindicated"),
) for w in words.split()}


def holds(group: set[str], words: set[str]) -> bool:
    return any(all(p in words for p in entry.split()) for entry in group)


def idf_weights(index: LineIndex | None, groups: list[set[str]]) -> list[float]:
    """Per word group (vocabulary words): log(1 + documents / documents holding its commonest
    word), from the pack's vocabulary, a word counting with the forms that share its stem; a
    word the pack never uses weighs as the rarest."""
    if index is None:
        return [1.0] * len(groups)
    docs = max(1, index.documents)
    words = sorted({w for g in groups for e in g for w in e.split()})
    df = index.document_frequency(words)
    for word in words:
        # lines are matched by stem: "month" is as common as "months", which the pack writes
        forms = [n for w, n in index.words_starting(stem(word), counts=True)
                 if stem(w) == stem(word)]
        df[word] = max([df.get(word, 0), *forms])
    out = []
    for g in groups:
        counts = [df[w] for e in g for w in e.split() if df.get(w)]
        seen = max(counts) if counts else 1
        out.append(math.log(1 + docs / seen))
    return out


def unknown_shares(surface: list[set[str]], idf: list[float],
                   searcher: SearcherLike) -> tuple[float, float]:
    """The idf-weighted shares of the question's words that the pack never uses (by no form
    and no synonym): those that are no common English word ("antivenom", "kawasaki": terms of
    a subject the pack does not cover), and those that are ("wife", "curry": the story)."""
    index = line_index(searcher)
    total = sum(idf)
    if index is None or not total:
        return 0.0, 0.0
    synonyms: Callable[[str], set[str]] = getattr(searcher, "synonyms_of", lambda word: set())
    english = whole_words()
    terms = words = 0.0
    for group, weight in zip(surface, idf, strict=True):
        parts = sorted({w for entry in group for w in entry.split()})
        if any(index.document_frequency(parts).values()) or any(synonyms(w) for w in parts):
            continue
        if all(w in english for w in parts):
            words += weight
        else:
            terms += weight
    return terms / total, words / total


def lexical_parts(line: Line, groups: list[set[str]], idf: list[float],
                  features: LineFeatures | None = None) -> tuple[float, float, float]:
    """The idf weight of the question's words found in the line, else in its lead-in or header
    row, else in its headings (each word counted once, where it is found first)."""
    text = stems(f"{line.text} {line.expansion}")
    context = stems(line.context)
    words = line.text.split()
    refers = _REFERS.search(" ".join(words[:REFERS_WITHIN])) is not None
    before = stems(line.before) if len(words) <= SHORT or refers else set()
    heading = stems(" ".join(line.heading_path))
    offers = {"amount": features.amount, "duration": features.duration,
              "comparison": features.comparison or bool(features.ranges),
              "negation": features.negation} if features else {}
    parts = [0.0, 0.0, 0.0]
    for group, weight in zip(groups, idf, strict=True):
        kind = next((KIND_STEMS[e] for e in group if e in KIND_STEMS), None)
        if kind is not None and offers and not offers[kind]:
            continue
        if kind == "negation" and offers:
            # "contraindications" are what a line says not to do ("avoid in pneumothorax")
            parts[0] += weight * W_TEXT
            continue
        if holds(group, text):
            parts[0] += weight * W_TEXT
        elif holds(group, context):
            parts[1] += weight * W_CONTEXT
        elif holds(group, before):
            parts[2] += weight * W_BEFORE
        elif holds(group, heading):
            parts[2] += weight * W_HEADING
    return parts[0], parts[1], parts[2]


def named_in_text(line: Line, groups: list[set[str]]) -> bool:
    """Whether a word of the question that is not a kind word ("dose") is in the line itself
    (not only its lead-in or headings): "Aspirin 300 mg", not "Adrenaline 1 mg/ml:" above it."""
    text = stems(line.text)
    return any(holds(g, text) for g in groups if not any(e in KIND_STEMS for e in g))



ABBREVIATION = 4
"""Longest typed word spelled out for the embedder (clinical abbreviations: "aaa", "gcs",
"pph"); a longer word's synonyms are other names or spellings, not its meaning written out."""


def spelled_out(question: str, searcher: SearcherLike) -> str:
    """The question with each abbreviation it uses spelled out beside it, as the pack's
    synonyms write it in full ("aaa pain" → "aaa pain (abdominal aortic aneurysm)"): the
    embedder does not know what a clinical abbreviation stands for."""
    planner = getattr(searcher, "plan", None)
    synonyms: Callable[[str], set[str]] = getattr(searcher, "synonyms_of", lambda word: set())
    typed = [w.rstrip("*") for w in (planner(question).words if planner
                                      else re.findall(r"[a-z0-9]+", question.lower()))]
    found: list[str] = []
    for word in typed:
        options = synonyms(word) if len(word) <= ABBREVIATION and word not in STOP else set()
        if options:
            # the longest is the spelled-out form ("abdominal aortic aneurysm" for "aaa")
            best = max(sorted(options), key=len)
            if best not in found and best not in question.lower():
                found.append(best)
    return f"{question} ({'; '.join(found)})" if found else question


def with_other_names(question: str, searcher: SearcherLike) -> str:
    """The question with the generic name of each brand it names that the pack never uses, and
    the words for a short form or phrase the pack does not write (:mod:`plain_terms`), for the
    search and the embedder ("on eliquis" → "on eliquis (apixaban)", "code blue" → "code blue
    (cardiac arrest)")."""
    index = line_index(searcher)
    synonyms: Callable[[str], set[str]] = getattr(searcher, "synonyms_of", lambda word: set())
    found: list[str] = []
    text = question.lower()
    for word in re.findall(r"[a-z0-9]+", text):
        if index is None or synonyms(word) or index.document_frequency([word]):
            continue
        # a class only in the line match: searched for, it drags in documents that list the
        # class for another reason ("calcium channel blockers" among dangerous overdoses)
        found += [n for n in other_names(word) if n not in found and n not in CLASSES]
        if word in ABBREVIATIONS and ABBREVIATIONS[word] not in found:
            found.append(ABBREVIATIONS[word])
    for phrase, words in PHRASES.items():
        if index is not None and re.search(rf"\b{phrase}\b", text) and not synonyms(phrase):
            found += [w for w in sorted(words) if w not in found and w not in text]
    return f"{question} ({'; '.join(found)})" if found else question

