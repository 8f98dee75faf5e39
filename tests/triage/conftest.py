"""Fixtures for the triage tests: the bundled sample pack's rule set, loaded once."""

from __future__ import annotations

import pytest

from appliance.protocols.pack_rules import load_pack_rules, sample_pack_dir
from appliance.triage.rules import RuleSet


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return load_pack_rules(sample_pack_dir())
