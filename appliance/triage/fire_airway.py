"""Signs that a fire's heat or smoke reached the airway, told as seen: "nose hairs singed",
"soot round his mouth", "voice gone hoarse" after a flash fire.

Singed nasal hair or eyebrows, soot at the mouth or nose, a hoarse voice and sooty sputum after
a fire or explosion are the signs of an inhalation injury: the airway can swell shut within
hours, so it is treated as a severe burn (British Burn Association referral guidance; NICE CKS
burns and scalds; CTAS 2016). Each sign counts only in a text that tells of fire, flame, smoke
or an explosion, and not negated; the words may come in either order.
"""

from __future__ import annotations

import re
from collections.abc import Container

from appliance.triage.negation import negated_before

CONCEPT = "severe-burn"
_FIRE = re.compile(r"\b(?:fire|flames?|flash\w*|smoke|smoky|blaze|explo\w+|blast|fireball|"
                   r"burning\s+(?:building|house|car|flat)|ignit\w+|torch|petrol|gas\s+leak\w*)\b",
                   re.IGNORECASE)
_SIGNS = re.compile(
    r"\b(?:singed|burnt|burned|scorched|frazzled)\b(?:\s+\w+){0,2}?\s+(?:nose|nasal|nostril)\s*"
    r"hairs?\b|\b(?:nose|nasal|nostril)\s*hairs?\b(?:\s+\w+){0,2}?\s+(?:singed|burnt|burned|"
    r"scorched)\b|"
    r"\b(?:singed|burnt|burned|scorched)\s+(?:eyebrows|eyelashes|brows)\b|"
    r"\b(?:eyebrows|eyelashes|brows)\b(?:\s+\w+){0,4}?\s+(?:singed|burnt\s+off|burned\s+off)\b|"
    r"\bsoot\w*\b(?:\s+\w+){0,2}?\s+(?:round|around|in|on|at|from)\s+(?:the\s+|his\s+|her\s+|"
    r"their\s+|my\s+)?(?:mouth|nose|nostrils|lips|tongue|throat)\b|"
    r"\b(?:sooty|black|blackened)\s+(?:spit|sputum|phlegm|mucus|snot)\b|"
    r"\bcough\w*\s+up\s+(?:black|sooty|soot)\b|"
    r"\b(?:voice\s+(?:gone|going|is|was|now|has\s+gone|become|turned)\s+(?:hoarse|croaky|husky)|"
    r"(?:hoarse|croaky|husky)\s+voice)\b", re.IGNORECASE)

# "eyebrows not singed": the words between a sign's parts may deny it
_DENIED = re.compile(r"\b(?:not|no|never|without)\b|n't\b", re.IGNORECASE)


def airway_burn(text: str, known: Container[str]) -> frozenset[str]:
    """``severe-burn`` (when the pack has it) for a sign of inhalation injury in a text that
    tells of fire or smoke."""
    if CONCEPT not in known or not _FIRE.search(text):
        return frozenset()
    for m in _SIGNS.finditer(text):
        if not negated_before(text, m.start()) and not _DENIED.search(m.group(0)):
            return frozenset({CONCEPT})
    return frozenset()
