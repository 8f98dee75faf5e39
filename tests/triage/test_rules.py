"""Red-flag rules as data: every shipped rule fires on its own conditions and not when negated;
malformed packs are refused naming the file and the rule."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from appliance.errors import PackError
from appliance.protocols.pack_rules import load_pack_rules, sample_pack_dir
from appliance.triage import assess
from appliance.triage.conditions import Rule
from appliance.triage.rules import RuleSet

SAMPLE = load_pack_rules(sample_pack_dir())
RULES = SAMPLE.rules


def _value_satisfying(op: str, value: Any) -> Any:
    step = 0.1 if isinstance(value, float) else 1
    return {"<": lambda: value - step, "<=": lambda: value, ">": lambda: value + step,
            ">=": lambda: value, "==": lambda: value, "in": lambda: value[0]}[op]()


def _age_for(rule: Rule) -> float:
    if rule.age_min is not None:
        return rule.age_min
    if rule.age_max is not None:
        return rule.age_max / 2 if rule.age_max <= 1 else rule.age_max - 1
    return 40


def case_for(rule: Rule, *, negate: bool = False) -> dict[str, Any]:
    """A case built from the rule's own conditions (concepts written as their labels)."""
    # a complaint's own concepts may include one its discriminator's 'none' lists (chickenpox
    # is a rash that a fever does not make meningococcal): pick one the rule still counts
    first = [c for c in sorted(rule.any) if c not in rule.none][:1]
    also = [c for c in sorted(rule.also_any) if c not in rule.none][:1]
    labels = [SAMPLE.lexicon.concepts[c].label.lower() for c in [*first, *also, *sorted(rule.all)]]
    word = "denies " if negate else ""
    case: dict[str, Any] = {"age": _age_for(rule),
                            "complaint": ". ".join(word + label for label in labels)}
    if rule.sex:
        case["sex"] = rule.sex
    if rule.pregnant:
        case["pregnant"] = True
    conditions = [*rule.vitals, *rule.vitals_any[:1]]
    if conditions and not negate:
        case["vitals"] = {c.name: _value_satisfying(c.op, c.value) for c in conditions}
        index = case["vitals"].pop("shock_index", None)  # derived: recorded as pulse and BP
        if index is not None:
            case["vitals"].update(systolic_bp=100, pulse=round(100 * index))
    return case


def fired(case: dict[str, Any]) -> set[str]:
    result = assess(case, SAMPLE)
    return {r.rule_id for r in result.reasons if r.rule_id}


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_fires_on_its_conditions(rule: Rule) -> None:
    case = case_for(rule)
    if rule.kind == "self-care":
        result = assess(case, SAMPLE)
        assert result.level == 5 and result.disposition == "self-care"
    assert rule.id in fired(case), case


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_does_not_fire_when_negated_or_without_its_vitals(rule: Rule) -> None:
    assert rule.id not in fired(case_for(rule, negate=True))


def test_every_presentation_the_issue_lists_has_a_rule() -> None:
    ids = {r.id for r in RULES}
    for needed in ["cardiac-arrest-adult", "airway-compromise", "anaphylaxis-named",
                   "chest-pain-acs", "stroke-fast", "sepsis-high-risk", "major-haemorrhage",
                   "reduced-consciousness", "seizure", "asthma-severe", "dka", "hypoglycaemia",
                   "overdose", "head-injury-red-flags", "pregnancy-bleeding-or-pain",
                   "testicular-torsion", "meningism", "suicidal-intent",
                   "self-care-minor-injury", "self-care-cold-flu", "self-care-insect-sting",
                   "self-care-back-pain", "self-care-sore-throat"]:
        assert needed in ids


def test_every_rule_links_a_protocol_with_a_title() -> None:
    for rule in RULES:
        assert SAMPLE.protocol_title(rule.protocol) != rule.protocol


def test_ruleset_records_versions() -> None:
    assert SAMPLE.version.startswith("2026.") and "lexicon-" in SAMPLE.version
    assert len(SAMPLE.digest) == 16


# --- malformed packs -----------------------------------------------------------------------

@pytest.fixture
def pack(tmp_path: Path) -> Path:
    dest = tmp_path / "pack"
    shutil.copytree(sample_pack_dir() / "triage", dest / "triage")
    return dest


def _append(pack: Path, text: str, name: str = "red_flags.toml") -> None:
    path = pack / "triage" / name
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


GOOD = 'id = "x-test"\npriority = 2\nreason = "r"\nprotocol = "sepsis"\nany = ["fever"]\n'


@pytest.mark.parametrize(("extra", "message"), [
    (GOOD + 'colour = "red"\n', "unknown key"),
    (GOOD.replace('["fever"]', '["fevr-typo"]'), "unknown concept id"),
    (GOOD.replace("priority = 2", "priority = 7"), "'priority'"),
    (GOOD.replace("priority = 2", 'priority = "2"'), "'priority'"),
    (GOOD.replace('reason = "r"\n', ""), "'reason' is required"),
    (GOOD.replace('"sepsis"', '"no-such-doc"'), "no-such-doc"),
    (GOOD + 'vitals = [{ name = "pulse", op = "=~", value = 1 }]\n', "unknown operator"),
    (GOOD + 'vitals = [{ name = "heart", op = ">", value = 1 }]\n', "unknown vital"),
    (GOOD + 'none = ["cough"]\n', "context concepts"),
    (GOOD.replace('id = "x-test"', 'id = "seizure"'), "used twice"),
    (GOOD.replace('any = ["fever"]\n', ""), "needs at least one"),
    (GOOD + 'sex = "female"\n', "'sex'"),
])
def test_malformed_rules_are_refused_naming_file_and_rule(pack: Path, extra: str,
                                                          message: str) -> None:
    _append(pack, "[[rule]]\n" + extra)
    with pytest.raises(PackError) as info:
        load_pack_rules(pack)
    assert "red_flags.toml" in str(info.value) and message in str(info.value)


@pytest.mark.parametrize(("extra", "message"), [
    ('[concepts.x]\nlabel = "X"\n', "at least one synonym"),
    ('[concepts.x]\nlabel = "X"\nsynonyms = ["sob"]\n', "already belongs"),
    ('[concepts.x]\nlabel = "X"\nsynonyms = ["xx"]\ncolour = 1\n', "unknown key"),
    ('[concepts.Bad_Id]\nlabel = "X"\nsynonyms = ["xx"]\n', "ids use"),
])
def test_malformed_lexicon_is_refused(pack: Path, extra: str, message: str) -> None:
    _append(pack, extra, "lexicon.toml")
    with pytest.raises(PackError) as info:
        load_pack_rules(pack)
    assert "lexicon.toml" in str(info.value) and message in str(info.value)


def test_invalid_toml_and_missing_files_are_pack_errors(pack: Path) -> None:
    _append(pack, "[[rule]\n")
    with pytest.raises(PackError, match="not valid TOML"):
        load_pack_rules(pack)
    (pack / "triage" / "red_flags.toml").unlink()
    with pytest.raises(PackError, match="missing"):
        load_pack_rules(pack)


def test_pack_version_is_read_from_pack_toml(pack: Path) -> None:
    (pack / "pack.toml").write_text('pack_id = "test"\nversion = "3.1"\n', encoding="utf-8")
    rs: RuleSet = load_pack_rules(pack)
    assert (rs.pack_version, rs.pack_id) == ("3.1", "test")
    result = assess({"complaint": "chest pain"}, rs).to_json()
    assert result["pack_version"] == "3.1" and result["rules_version"] == rs.version
