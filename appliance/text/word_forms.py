"""Words of the same part of the body: the noun and the adjective made from it.

A question says "acute abdomen" where a protocol says "abdominal pain", "testis" where it says
"testicular", "kidney" where it says "renal". The endings are those of English anatomy from Latin
and Greek, taken each way; a form is used only where a pack writes it (search and answers look
it up in the pack's vocabulary). General English; nothing here knows a protocol pack.
"""

from __future__ import annotations

import re

# A part of the body and the adjective made from it, which a protocol may write instead
# ("acute abdomen" and "abdominal pain", "testis" and "testicular", "spine" and "spinal"):
# Latin and Greek endings of English anatomy, each way.
_FORMS = ((r"(\w{3,})en$", r"\1inal"), (r"(\w{3,})inal$", r"\1en"),
          (r"(\w{3,})is$", r"\1ic"), (r"(\w{3,})ic$", r"\1is"),
          (r"(\w{3,})ax$", r"\1acic"), (r"(\w{3,})acic$", r"\1ax"),
          (r"(\w{3,})um$", r"\1al"), (r"(\w{3,}[^aeiou])al$", r"\1um"),
          (r"(\w{3,})e$", r"\1al"), (r"(\w{3,})al$", r"\1e"),
          (r"(\w{3,})is$", r"\1icular"), (r"(\w{3,})icular$", r"\1is"),
          (r"(\w{3,})cle$", r"\1cular"), (r"(\w{3,})cular$", r"\1cle"),
          (r"(\w{3,})y$", r"\1ial"), (r"(\w{3,})ial$", r"\1y"),
          (r"(\w{3,})y$", r"\1ic"), (r"(\w{3,})ic$", r"\1y"))
# and the everyday name of an organ beside the clinical adjective
ORGANS = {"kidney": "renal", "kidneys": "renal", "heart": "cardiac", "lung": "pulmonary",
          "lungs": "pulmonary", "liver": "hepatic", "brain": "cerebral"}


def related_forms(word: str) -> set[str]:
    """Words of the same part of the body as ``word`` ("abdomen" → "abdominal"), to be kept
    only where a pack writes them."""
    out = {re.sub(pattern, to, word) for pattern, to in _FORMS if re.fullmatch(pattern, word)}
    out |= {ORGANS[word]} if word in ORGANS else set()
    out |= {w for w, adjective in ORGANS.items() if adjective == word}
    return out - {word}
