"""Fixtures for the triage tests: the bundled sample pack's rule set, loaded once."""

from __future__ import annotations

import pytest

from appliance.triage.rules import RuleSet, load_ruleset, sample_pack_dir


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return load_ruleset(sample_pack_dir())
