"""The gate a model-written sentence must pass before a clinician sees it.

A sentence is shown only if the protocol lines it cites support all of it: every number (with
its unit), every content word (so every drug and every condition), every negation and every
comparison in the sentence occurs in those lines, and a negation in the lines is kept.
Sentences that only echo a heading, are a bare list numeral, or announce a quote ("The passage
is:") say nothing and are rejected. A rejected sentence is kept, with its reason, for the
audit record; it is never displayed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CITE = re.compile(r"\[(\d{1,2})\]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NEGATIONS = ("not", "no", "never", "avoid", "without", "unless", "don't", "doesn't", "cannot",
              "withhold", "contraindicated")
_COMPARISONS = ("under", "over", "below", "above", "more than", "less than", "at least",
                "at most", "up to", "maximum", "minimum", "or more", "or less", "within",
                "greater", "fewer", "higher", "lower", "≥", "≤", "<", ">")
_FILLER = re.compile(r"^\s*(?:the|this)\s+(?:passage|protocol|text|answer|source)\s+"
                     r"(?:is|says|states|reads)\s*:?", re.IGNORECASE)
_NUMERAL = re.compile(r"^\s*(?:\d+[.)]|[-*•])?\s*$")
_WORD = re.compile(r"[a-z][a-z0-9/'-]*")
# Words any faithful sentence may add around quoted facts.
_GLUE = frozenset("""a an the is are was be been being of in on at to for from by with and or as
it its this that these those which who should must may can could would will shall give given
use used patient patients person people adult adults child children dose doses recommended
answer protocol protocols passage passages says state states according per you your if then
also each every their they them he she his her there here do does did has have had get gets
receive receives take takes need needs""".split())


@dataclass(frozen=True)
class Verdict:
    """The gate's decision on one sentence."""

    text: str
    citations: tuple[int, ...]
    shown: bool
    reason: str = ""


def _norm(text: str) -> str:
    text = re.sub(r"\*\*|__|`", "", text).replace("–", "-").replace("—", "-")
    return " ".join(text.lower().split())


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)][:6]
    return word[:6]


def _has_phrase(text: str, phrase: str) -> bool:
    if phrase.isalpha() or " " in phrase:
        return re.search(rf"\b{re.escape(phrase)}\b", text) is not None
    return phrase in text


def check(sentence: str, lines: list[str], headings: list[str] | None = None) -> Verdict:
    """Whether ``sentence`` (citing ``[n]`` = ``lines[n-1]``) may be shown, and if not why."""
    cited = tuple(int(n) for n in _CITE.findall(sentence))
    body = _norm(_CITE.sub("", sentence)).strip()
    if _FILLER.match(body) or _NUMERAL.match(body) or len(_WORD.findall(body)) < 2:
        return Verdict(sentence, cited, False, "says nothing (filler, numeral or heading)")
    if headings and any(body.rstrip(" .:") == _norm(h).rstrip(" .:") for h in headings):
        return Verdict(sentence, cited, False, "only repeats a heading")
    valid = [n for n in cited if 1 <= n <= len(lines)]
    if not valid:
        return Verdict(sentence, cited, False,
                       "no citation" if not cited else "cites a line that does not exist")
    source = " ".join(_norm(lines[n - 1]) for n in valid)
    for number in _NUMBER.findall(body):
        if not re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.]*\d)", source):
            return Verdict(sentence, cited, False, f"the number {number} is not in the cited line")
    for word in _NEGATIONS:
        if _has_phrase(body, word) != _has_phrase(source, word):
            where = "the cited line" if _has_phrase(body, word) else "the sentence"
            return Verdict(sentence, cited, False, f'"{word}" is not in {where}')
    for word in _COMPARISONS:
        if _has_phrase(body, word) and not _has_phrase(source, word):
            return Verdict(sentence, cited, False, f'"{word}" is not in the cited line')
    source_stems = {_stem(w) for w in _WORD.findall(source)}
    missing = [w for w in _WORD.findall(body)
               if w not in _GLUE and w not in _NEGATIONS and not w.isdigit()
               and _stem(w) not in source_stems]
    if missing:
        return Verdict(sentence, cited, False,
                       f'"{missing[0]}" is not in the cited line')
    return Verdict(sentence, cited, True)


def split_sentences(text: str) -> list[str]:
    """Sentences of a model's reply, each keeping the "[n]" that follows its full stop."""
    raw = [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“(\[])", text) if s.strip()]
    out: list[str] = []
    for s in raw:
        m = re.match(r"^((?:\[\d{1,2}\]\s*)+)(.*)$", s, re.DOTALL)
        if m and out:
            out[-1] = f"{out[-1]} {m.group(1).strip()}"
            s = m.group(2).strip()
        if s:
            out.append(s)
    return out
