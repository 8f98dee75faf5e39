"""The part of a long question that asks, apart from the story told before it.

A caller on an advice line tells the situation first ("I'm in a 45-year-old man's house, known
epileptic, fitting seven minutes, IV access in his hand.") and asks last ("If I go with
lorazepam, what's the adult dose?"). The story's many words (house, hand, access) find
documents of their own and can push the asked one out of those searched; the asked part, looked
up by itself as well, brings it back. The story still counts when lines are scored: it names the
condition and the patient. Nothing here knows a document: only sentence shape and question words.
"""

from __future__ import annotations

import re

from appliance.assistant.common_words import STOP

# sentences, and a dash that starts the question ("... steroids — what dose of pred ...")
_PARTS = re.compile(r"(?<=[.?!])\s+|\s+[—–]\s+|\s+-\s+")
_ASKS = re.compile(r"\?|^\s*(?:so\s+|and\s+|but\s+|if\s+[^,]{0,60},\s*)?(?:what|whats|what's|how|"
                   r"when|which|who|where|why|should|shall|can|could|do|does|did|is|are|am|will|"
                   r"would|must|any)\b", re.IGNORECASE)
MIN_STORY_WORDS = 12
"""A story shorter than this is part of the question itself ("COPD man, 74 — how much oxygen")."""
MIN_ASKED_WORDS = 3
"""Words beyond the commonest the asking part needs to be looked up alone: "ok?" or "what
priority?" find nothing of their own."""


def asked_part(question: str) -> str | None:
    """The question's asking part when a story of at least ``MIN_STORY_WORDS`` words comes
    before it; None when the whole text asks."""
    parts = [p for p in _PARTS.split(question) if p.strip()]
    first = next((i for i, p in enumerate(parts) if _ASKS.search(p)), None)
    if not first:
        return None
    if len(" ".join(parts[:first]).split()) < MIN_STORY_WORDS:
        return None
    asked = " ".join(parts[first:])
    if len({w for w in re.findall(r"[a-z0-9]+", asked.lower()) if w not in STOP}) < MIN_ASKED_WORDS:
        return None
    return asked
