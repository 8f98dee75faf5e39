"""Triage reads the installed active pack's rules; without one it uses the bundled sample."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from appliance.paths import layout
from appliance.protocols import build, lifecycle, trust
from appliance.protocols.active_rules import active_ruleset
from appliance.protocols.pack_rules import load_pack_rules, sample_pack_dir
from appliance.triage import assess


def test_without_an_installed_pack_the_bundled_sample_is_used() -> None:
    rs = active_ruleset()
    assert rs.pack_id == "lifeboat-sample" and rs.notice is None
    assert rs.version == load_pack_rules(sample_pack_dir()).version


def _install_local_pack(tmp_path: Path) -> None:
    """Install (and activate) the sample pack re-versioned as 9.9.9-local."""
    src = tmp_path / "src"
    shutil.copytree(sample_pack_dir(), src, ignore=shutil.ignore_patterns(
        "manifest.json", "manifest.sig", "index"))
    rules = src / "triage" / "red_flags.toml"
    rules.write_text(re.sub(r'(?m)^version = ".*"$', 'version = "9.9.9-local"',
                            rules.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    built = build.build_pack(src, trust.SAMPLE_PRIVATE_KEY, tmp_path / "built", embed=False)
    lay = layout()
    lay.ensure()
    trust.trust_sample_key(lay)
    lifecycle.install(lay, built, defer_vectors=True)


def test_the_active_pack_is_used_once_installed(tmp_path: Path) -> None:
    _install_local_pack(tmp_path)
    rs = active_ruleset()
    assert rs.version.startswith("9.9.9-local") and rs.notice is None
    assert assess({"complaint": "chest pain"}, rs).rules_version == rs.version


def test_a_tampered_active_pack_is_refused_and_triage_says_so(tmp_path: Path) -> None:
    _install_local_pack(tmp_path)
    (rules,) = layout().packs.glob("*/content/triage/red_flags.toml")
    rules.write_text(rules.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rs = active_ruleset()
    assert rs.pack_id == "lifeboat-sample" and not rs.version.startswith("9.9.9-local")
    assert rs.notice is not None and "refused" in rs.notice
