"""The triage rules in force: the active pack's, checked against tampering on every read, else
the bundled sample pack's.

Triage reads whichever pack folder it is given (``appliance.protocols.pack_rules``);
which folder stands is the installed packs' business, so it is decided here and callers pass
the result to :func:`appliance.triage.assess`.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from appliance.errors import LifeboatError
from appliance.paths import Layout, layout
from appliance.protocols.installed import CONTENT, active_pack, check_installed
from appliance.protocols.pack_rules import load_pack_rules, sample_pack_dir
from appliance.triage.rules import RuleSet


def active_rules_dir(lay: Layout) -> tuple[Path | None, str | None]:
    """(the active pack's content folder, None) if it passes the cheap tamper check;
    (None, why it was refused) if it does not; (None, None) when no pack is installed."""
    try:
        pack = active_pack(lay)
        if pack is None:
            return None, None
        check_installed(lay, pack)
    except (LifeboatError, OSError, KeyError, ValueError) as exc:
        # A broken or tampered pack must not stop triage, but it must never go unnoticed.
        return None, (f"The active protocol pack was refused ({exc}); triage used the bundled "
                      "sample rules. Tell IT.")
    return Path(pack.directory) / CONTENT, None


def active_ruleset(lay: Layout | None = None) -> RuleSet:
    """The active pack's triage rules, else the bundled sample pack's (with a ``notice`` saying
    why when an installed pack was refused). Parsed once per folder and file times."""
    pack, problem = active_rules_dir(lay if lay is not None else layout())
    if pack is None or not (pack / "triage" / "red_flags.toml").exists():
        pack = sample_pack_dir()
    stamp = max((p.stat().st_mtime for p in (pack / "triage").glob("*.toml")), default=0.0)
    rules = _parsed(str(pack), stamp)
    return replace(rules, notice=problem) if problem else rules


@lru_cache(maxsize=4)
def _parsed(pack_dir: str, stamp: float) -> RuleSet:
    return load_pack_rules(Path(pack_dir))
