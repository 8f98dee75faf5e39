"""The morning after drink, told by what was drunk and when: "vom x1 this morning after lots of
cider + vodka last night", "threw up after predrinks".

A headache, nausea and a vomit or two the morning after drinking are a hangover's, cared for at
home (NHS website hangover); the lexicon holds the set names ("hungover", "big night out"). Here
a drink named with a time that has passed (last night, yesterday, after the drinks) reads as the
same context. Drink told without a past time ("very drunk now") is intoxication, not this, and
the head injury, confusion and persistent vomiting rules still apply whatever is read here.
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "hangover"
_ADULT = 16
_DRINK = re.compile(r"\b(?:cider|vodka|beers?|lager|pints?|wine|prosecco|shots|spirits|gin|rum|"
                    r"tequila|whisky|whiskey|jager\w*|pre-?drinks|prinks|drinks|drinking|booze|"
                    r"alcohol|bevvies|bevvy|sesh)\b", re.IGNORECASE)
_PAST = re.compile(r"\b(?:last\s+(?:night|nite)|yesterday|the\s+night\s+before|after\s+"
                   r"(?:a\s+|the\s+|lots\s+of\s+|loads\s+of\s+|too\s+many\s+|some\s+|my\s+|all\s+the\s+)?"
                   r"(?:heavy\s+|big\s+|few\s+)?(?:[a-z-]+\s+)?(?:drinks|drinking|pre-?drinks|"
                   r"prinks|night\s+out|sesh|party|cider|vodka|beers?|pints|wine|shots))\b",
                   re.IGNORECASE)


def hangover_told(text: str, age: float | None, known: Container[str]) -> frozenset[str]:
    """``hangover`` for an adult's drink told with a time that has passed."""
    if CONCEPT not in known or age is None or age < _ADULT:
        return frozenset()
    for sentence in re.split(r"[.;\n]", text):
        if _DRINK.search(sentence) and _PAST.search(sentence):
            return frozenset({CONCEPT})
    return frozenset()
