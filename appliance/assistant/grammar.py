"""The GBNF grammar for extraction, written out so every bound is enforced.

llama-cpp-python's JSON-schema converter ignores ``maxLength``, and a small model can then loop
inside a string until the token limit. This grammar fixes the key order, bounds every span to
60 characters and the symptom list to six items, and allows no free whitespace.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

SPAN_FIELDS = ("pulse", "bp", "rr", "spo2", "temp", "mechanism")
MAX_SPAN_CHARS = 60
MAX_SYMPTOMS = 6


def _literal(text: str) -> str:
    return json.dumps(json.dumps(text))  # a GBNF string literal matching the JSON string


def extraction_grammar(concepts: Sequence[str]) -> str:
    """GBNF for ``{"pulse": span|null, ..., "mechanism": span|null, "symptoms": [...]}``."""
    parts = []
    for i, name in enumerate(SPAN_FIELDS):
        lead = '"{' if i == 0 else '", '
        parts.append(f'{lead}\\"{name}\\": " span')
    body = " ".join(parts)
    lines = []
    if concepts:
        body += ' ", \\"symptoms\\": [" symptoms "]}"'
        alternatives = " | ".join(_literal(c) for c in concepts)
        lines += [
            f"symptoms ::= (item (\", \" item){{0,{MAX_SYMPTOMS - 1}}})?",
            'item ::= "{\\"concept\\": " concept ", \\"span\\": " text "}"',
            "concept ::= " + alternatives,
        ]
    else:
        body += ' "}"'
    lines = [
        f"root ::= {body}",
        'span ::= "null" | text',
        f'text ::= "\\"" char{{1,{MAX_SPAN_CHARS}}} "\\""',
        'char ::= [^"\\\\\\x00-\\x1f]',
        *lines,
    ]
    return "\n".join(lines) + "\n"
