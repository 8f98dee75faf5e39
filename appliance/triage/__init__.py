"""Deterministic, auditable triage: NEWS2, red-flag rules, priorities and dispositions.

Public API: :func:`assess` (one case and the rules in force → :class:`TriageResult`; the active
pack's rules come from ``appliance.protocols.active_rules``, a pack folder's from
``appliance.protocols.pack_rules``), :mod:`~appliance.triage.news2`,
:func:`~appliance.triage.vitals.validate_vitals`, :func:`~appliance.triage.rules.load_ruleset`,
:mod:`~appliance.triage.major_incident`. Nothing here imports the UI.
"""

from __future__ import annotations

from appliance.triage.assessment import assess
from appliance.triage.rules import RuleSet, load_ruleset
from appliance.triage.schema import TriageInput, TriageResult, parse_input

__all__ = ["RuleSet", "TriageInput", "TriageResult", "assess", "load_ruleset", "parse_input"]
