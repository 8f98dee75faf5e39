"""The one place the LLM extractor joins triage (a no-op until ``appliance.assistant`` has it).

The deterministic result never depends on the extractor: when it is missing, fails or returns
nothing, triage runs exactly as without it. What it returns is passed to
:func:`appliance.triage.assess` as ``assistant=``, where listed concept ids can only add red flags.
"""

from __future__ import annotations

import importlib
from typing import Any

from appliance.errors import LifeboatError


def extract(text: str) -> dict[str, Any] | None:
    """Run ``appliance.assistant.extract_for_triage(text)`` if that function exists, else None."""
    if not text.strip():
        return None
    try:
        module = importlib.import_module("appliance.assistant")
    except ImportError:
        return None
    extractor = getattr(module, "extract_for_triage", None)
    if extractor is None:
        return None
    try:
        result = extractor(text)
    except LifeboatError:
        return None  # a failed model must not block triage
    return result if isinstance(result, dict) else None
