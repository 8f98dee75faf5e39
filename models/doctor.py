"""`lifeboat doctor` check for models: a verified generator that fits this machine."""

from __future__ import annotations

from appliance.checks import Check
from appliance.paths import Layout


def checks(lay: Layout) -> list[Check]:
    from models import registry, selection

    usable = [m for m in registry.installed() if m.role == "generator"]
    if not usable:
        return [Check("models", "warn", "no verified language model: the assistant is off "
                      "(triage, records and protocols work without it)",
                      "Reinstall Lifeboat, or add a model: lifeboat models add FILE")]
    choice = selection.choose(usable, selection.this_machine())
    name = getattr(getattr(choice, "model", None), "name", None) or usable[0].name
    return [Check("models", "ok", f"{len(usable)} verified; would use {name} on "
                  f"{choice.threads} thread(s)")]
