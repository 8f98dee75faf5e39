"""Where a bite is: the sites where a bite that broke the skin needs antibiotics.

NICE NG184 (human and animal bites) advises antibiotic prophylaxis for a bite that broke the
skin on the hand, foot or face, the genitals, skin over cartilage (ear, nose) or a joint, and
for any cat or human bite that did. The site words are read here rather than as lexicon terms:
a term takes its words, and "ankle" or "hand" must stay free for the complaint they belong to
("sore and swollen ankle"). Only the animal-bite complaint's discriminator reads the concept.
"""

from __future__ import annotations

import re
from collections.abc import Container

CONCEPT = "bite-infection-risk"
_SITES = re.compile(
    r"\b(?:hands?|fingers?|thumbs?|knuckles?|palms?|wrists?|feet|foot|toes?|ankles?|knees?|"
    r"elbows?|face|cheeks?|lips?|nose|ears?|eyelids?|genitals?|penis|scrotum|tendons?)\b",
    re.IGNORECASE)


def bite_sites(text: str, known: Container[str]) -> frozenset[str]:
    """The high-risk-site concept (when the pack has it) for a text naming such a site; it
    means something only beside a bite ("the dog went for my hand")."""
    if CONCEPT in known and _SITES.search(text):
        return frozenset({CONCEPT})
    return frozenset()
