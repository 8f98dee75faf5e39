"""What is normal in a newborn and worries parents: milia and baby acne on the face, and the
mother's hormones showing in the baby (swollen breasts, a little blood or white discharge from
a baby girl's vagina).

Milia (tiny white spots on the nose and cheeks) and baby acne (small red or white spots on the
cheeks, nose and forehead in the first weeks) are harmless and clear by themselves (NHS website:
spots and rashes in babies, baby acne, milia). Swollen breasts in a newborn of either sex and a
small bleed or white discharge from a girl's vagina in the first weeks come from the mother's
hormones and settle (NHS website: your newborn baby; NICE CKS neonatal examination). Each is
read only in a baby under 3 months (the breasts and bleed under 6 weeks), and only when the
spots are told on the face, with nothing in their clause that would make them something else
(blisters, purple or bruise-like spots, spreading, weeping, redness or heat of a breast).
"""

from __future__ import annotations

import re
from collections.abc import Container

SPOTS = "newborn-face-spots"
HORMONES = "newborn-hormone-signs"
_SPOTS_AGE = 0.25  # years: baby acne after 3 months is infantile acne, a GP's
_HORMONE_AGE = 0.12  # about 6 weeks: the mother's hormones have gone by then
_FACE = r"(?:nose|cheeks?|face|forehead|chin)"
_SPOT = r"(?:spots?|pimples?|bumps|dots|heads|whiteheads|milia)"
_FACE_SPOTS = (
    re.compile(r"\b(?:milia|milk\s+spots|baby\s+acne|neonatal\s+acne|newborn\s+acne)\b",
               re.IGNORECASE),
    # "tiny white spots on nose", "little red and white spots over cheeks and nose"
    re.compile(rf"\b{_SPOT}\s+(?:all\s+)?(?:on|over|across|around)\s+(?:(?:her|his|the|their)\s+)?"
               rf"{_FACE}\b", re.IGNORECASE),
    # "spotty face", "her nose has white spots"
    re.compile(rf"\bspotty\s+(?:little\s+)?{_FACE}\b|\b{_FACE}\s+(?:has|have|is\s+covered\s+in)\s+"
               rf"(?:(?:tiny|little|small|some|lots\s+of|loads\s+of)\s+)*(?:white\s+|red\s+)?"
               rf"{_SPOT}\b", re.IGNORECASE),
)
#: what makes spots something else: blisters, bleeding into the skin, infection or fever
_NOT_SPOTS = re.compile(r"\b(?:blister\w*|purple|bruis\w*|blood\w*|non[\s-]*blanch\w*|"
                        r"(?:do|does)\s*n[o']?t\s+fade|spreading|weep\w*|ooz\w*|crust\w*|"
                        r"pus|yellow|fever|temp(?:erature)?\s+(?:of\s+)?3[89]|hot)\b",
                        re.IGNORECASE)
_HORMONE_SIGNS = (
    # "her breasts look a bit swollen", "breast buds", "swollen nipples", "milk from his nipples"
    re.compile(r"\b(?:breasts?|boobs?|nipples?|chest)\s+(?:look|looks|are|is|seem|seems|a\s+bit|"
               r"slightly|bit)?\s*(?:a\s+)?(?:bit\s+|little\s+|slightly\s+)?(?:swollen|puffy|"
               r"enlarged|big|lumpy)\b|\bbreast\s+(?:buds?|swelling|enlargement)\b|\b(?:milk|"
               r"fluid|discharge)\s+(?:from|leaking\s+from|coming\s+from)\s+(?:her|his)\s+nipples?\b",
               re.IGNORECASE),
    # "pinkish blood in nappy from her front bit", "blood coming from her vagina", "white
    # discharge from her vagina"
    re.compile(r"\b(?:blood|bleed\w*|discharge|spotting)\b[^.;!?]{0,40}\bfrom\s+her\s+(?:front|"
               r"vagina|vulva|fanny|foof|privates|front\s+bit|girl\s+bits|bits)\b"
               r"|\b(?:pseudo-?menses|pseudomenstruation|false\s+period|mini\s+period)\b",
               re.IGNORECASE),
)
#: a breast red or hot, or much blood, is not the hormones' (neonatal mastitis; a real bleed)
_NOT_HORMONES = re.compile(r"\b(?:red|redness|hot|warm\s+to\s+touch|pus|fever|lots\s+of|heavy|"
                           r"clots?|soaked|bruis\w*)\b", re.IGNORECASE)
_CLAUSE = re.compile(r"[.;!?\n]|,\s*(?=but\b|and\s+(?:now|also)\b)")


def _clauses(text: str) -> list[str]:
    cuts = [0, *(m.end() for m in _CLAUSE.finditer(text)), len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def newborn_signs(text: str, age: float | None, known: Container[str]) -> frozenset[str]:
    """``newborn-face-spots`` and ``newborn-hormone-signs`` as a young baby's note tells them."""
    if age is None:
        return frozenset()
    found: set[str] = set()
    for clause in _clauses(text):
        if (age < _SPOTS_AGE and any(p.search(clause) for p in _FACE_SPOTS)
                and not _NOT_SPOTS.search(clause)):
            found.add(SPOTS)
        if (age < _HORMONE_AGE and any(p.search(clause) for p in _HORMONE_SIGNS)
                and not _NOT_HORMONES.search(clause)):
            found.add(HORMONES)
    return frozenset(c for c in found if c in known)
