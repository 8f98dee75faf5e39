"""Fluids kept down, told with what was kept down in between: "keeping water and toast down".

Lexicon terms allow one word inside them ("keeping fluids down"); people list what they manage
("keeping water and squash down", "kept her milk and a bit of toast down"). Those few words
must name something eaten or drunk, so "keeping her temperature down" is not read, and a
negation earlier in the clause ("can't keep water or toast down") cancels the reading.
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "keeping-fluids-down"
# "keeping fluids + some food down": a plus joins them as "and" does
_KEPT = re.compile(r"\b(?:keeping|keeps|kept|keep|holding|held)\b"
                   r"((?:\s+[a-z'&+-]+){1,8}?)\s+down\b", re.IGNORECASE)
_FOOD = frozenset({
    "water", "fluids", "fluid", "drinks", "drink", "squash", "juice", "milk", "food", "toast",
    "soup", "tea", "sips", "liquids", "everything", "breakfast", "lunch", "dinner", "crackers",
    "biscuits", "feeds", "bottle", "bottles", "dioralyte", "ors", "lemonade", "ice", "lollies"})
_NEGATED = re.compile(
    r"\b(?:not|no|cant|can't|cannot|can not|unable|isnt|isn't|wasnt|wasn't|wont|won't|hardly|"
    r"barely|struggling|struggles|nothing)\b[^.;,\n]*$", re.IGNORECASE)


def fluids_kept_down(text: str, known: Container[str]) -> frozenset[str]:
    """``keeping-fluids-down`` (when the pack has it) if the text tells of food or drink kept
    down with a few words between, not negated in its clause."""
    if CONCEPT not in known:
        return frozenset()
    for m in _KEPT.finditer(text):
        middle = (m.group(1) or "").lower().split()
        if not _FOOD.intersection(w.strip("'") for w in middle):
            continue
        clause_start = max(text.rfind(c, 0, m.start()) for c in ".;\n") + 1
        if _NEGATED.search(text[clause_start:m.start() + len(m.group(0).split()[0])]):
            continue
        return frozenset({CONCEPT})
    return frozenset()
