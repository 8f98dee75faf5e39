"""Abbreviations a document defines in its own text ("peak expiratory flow (PEF)").

A protocol spells an abbreviation out once and then uses it ("PEF over 75% of best"); a
question asks in the long words ("peak flow before discharge"). The words an abbreviation
stands for are found where the document writes it in brackets after words whose initials
spell it, so a line that uses it can be matched by them (:attr:`Line.expansion
<appliance.protocols.lines.Line.expansion>`). Nothing here knows a particular pack.
"""

from __future__ import annotations

import re

_DEFINED = re.compile(r"((?:[A-Za-z][A-Za-z'-]*\s+){1,6})\(([A-Z][A-Za-z]{1,6})\)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def defined(text: str) -> dict[str, str]:
    """Abbreviation (as written) -> the words it stands for, for each one ``text`` defines
    as "long words (ABBR)" with the initials of the last words spelling it."""
    out: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        words = _WORD.findall(m.group(1))
        letters = m.group(2).lower()
        n = len(letters)
        if len(words) >= n and "".join(w[0] for w in words[-n:]).lower() == letters:
            out.setdefault(m.group(2), " ".join(words[-n:]).lower())
    return out


def used(text: str, definitions: dict[str, str]) -> str:
    """The words the abbreviations ``text`` uses stand for (space-joined; "" for none)."""
    if not definitions:
        return ""
    found = set(re.findall(r"\b[A-Z][A-Za-z]{1,6}\b", text)) & set(definitions)
    return " ".join(definitions[a] for a in sorted(found))
