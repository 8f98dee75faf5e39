"""Triage reads the installed active pack's rules; without one it uses the bundled sample."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from appliance.paths import layout
from appliance.triage import assess
from appliance.triage.rules import default_ruleset, sample_pack_dir


def test_without_an_installed_pack_the_bundled_sample_is_used() -> None:
    rs = default_ruleset()
    assert rs.pack_id == "lifeboat-sample"


def test_the_active_pack_is_used_once_installed(tmp_path: Path) -> None:
    build = pytest.importorskip("appliance.protocols.build")
    lifecycle = pytest.importorskip("appliance.protocols.lifecycle")
    trust = pytest.importorskip("appliance.protocols.trust")
    src = tmp_path / "src"
    shutil.copytree(sample_pack_dir(), src, ignore=shutil.ignore_patterns(
        "manifest.json", "manifest.sig", "index"))
    rules = src / "triage" / "red_flags.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        'version = "2026.12.1"', 'version = "9.9.9-local"', 1), encoding="utf-8")
    built = build.build_pack(src, trust.SAMPLE_PRIVATE_KEY, tmp_path / "built", embed=False)
    lay = layout()
    lay.ensure()
    trust.trust_sample_key(lay)
    lifecycle.install(lay, built, defer_vectors=True)
    rs = default_ruleset()
    assert rs.version.startswith("9.9.9-local")
    assert assess({"complaint": "chest pain"}).rules_version == rs.version
