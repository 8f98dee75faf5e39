"""The local LLM assistant: extraction for triage and grounded answers from the protocols.

Nothing here is trusted blindly: extracted values carry verbatim spans and are "extracted,
unconfirmed"; answers carry checked citations. Importing this package loads no model and no
heavy library; :func:`runtime_or_reason` loads the resident model on first use.
"""

from __future__ import annotations

import logging
from typing import Any

from appliance.errors import LifeboatError
from models.runtime import ModelRuntime

log = logging.getLogger(__name__)


def runtime_or_reason(*, threads: int | None = None,
                      paused: bool = False) -> tuple[ModelRuntime | None, str]:
    """(the resident model, "") or (None, why not) - never raises.

    ``threads``/``paused`` come from the power policy (fewer threads or none on low battery);
    otherwise the ``[assistant]`` settings decide.
    """
    try:
        from appliance import config
        from appliance.paths import layout

        settings = config.load(layout().config).assistant
        if not settings.enabled:
            return None, "the assistant is switched off in settings"
        from models import llama

        runtime = llama.load(settings.model, threads=threads or settings.threads,
                             paused=paused)
        return runtime, ""
    except Exception as exc:  # noqa: BLE001 - every failure becomes a status-bar reason
        log.warning("assistant model unavailable: %s", exc)
        return None, str(exc).splitlines()[0]


def concept_ids() -> list[str]:
    """The active pack's lexicon concept ids (the extraction enum); [] if its rules cannot be
    read."""
    from appliance.protocols.active_rules import active_ruleset

    try:
        return list(active_ruleset().concept_ids())
    except (LifeboatError, OSError) as exc:  # extraction still reads vitals without concepts
        log.warning("lexicon unavailable for extraction: %s", exc)
        return []


def lexicon() -> Any:
    """The active pack's symptom lexicon, or None when its rules cannot be read."""
    from appliance.protocols.active_rules import active_ruleset

    try:
        return active_ruleset().lexicon
    except (LifeboatError, OSError) as exc:  # extraction still reads vitals without it
        log.warning("lexicon unavailable for extraction: %s", exc)
        return None


def extract_for_triage(text: str, *, use_model: bool = True) -> dict[str, Any] | None:
    """The triage hook: free text → ``{"fields": case, "concepts": [...], ...}`` or None.

    Degrades to the pattern pass when no model can run, and never raises: triage must answer
    whatever happens here. Every value is marked "extracted, unconfirmed".
    """
    try:
        from appliance.assistant.extraction import extract

        runtime, reason = runtime_or_reason() if use_model else (None, "model not requested")
        result = extract(text, runtime, concept_ids() if runtime else (), lexicon=lexicon())
        if runtime is None:
            result.messages[:1] = [f"No model ({reason}): values found by pattern only."]
        return result.to_dict()
    except Exception as exc:  # noqa: BLE001 - the deterministic path must still answer
        log.warning("extraction failed: %s", exc)
        return None


def warm(runtime: ModelRuntime, concepts: list[str] | None = None) -> None:
    """Evaluate and cache both static system prompts now (call from the background loader), so
    the first extraction and the first answer only evaluate their own text."""
    from appliance.assistant import prompts

    ids = concept_ids() if concepts is None else concepts
    runtime.complete(prompts.extract_messages("warm up", ids), max_tokens=1)
    runtime.complete(prompts.answer_messages("warm up", "[1] none"), max_tokens=1)
