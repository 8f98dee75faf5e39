"""The presenting-complaint taxonomy (``triage/complaints.toml``): complaints as they are written,
the level each sets, a self-care path that needs positive evidence, and a malformed file refused.

``complaint_phrasings.jsonl`` was written apart from the taxonomy's terms (ED shorthand,
inversions, abbreviations, typos, lay words, negations) to test recognition, not to tune it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from appliance.errors import PackError
from appliance.protocols.pack_rules import load_pack_rules, sample_pack_dir
from appliance.triage import assess
from appliance.triage.rules import RuleSet

PHRASINGS = Path(__file__).with_name("complaint_phrasings.jsonl")


def _phrasings() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PHRASINGS.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _complaints(ruleset: RuleSet, text: str, age: float = 40) -> set[str]:
    return {c["id"] for c in assess({"age": age, "complaint": text}, ruleset).complaints}


def test_the_taxonomy_is_on_the_scale_of_an_ed_complaint_list(ruleset: RuleSet) -> None:
    taxonomy = ruleset.taxonomy
    assert taxonomy is not None and len(taxonomy.complaints) >= 170
    groups = {c.group for c in taxonomy.complaints}
    assert len(groups) >= 12
    assert all(c.source and c.protocol for c in taxonomy.complaints)
    assert all(c.advice for c in taxonomy.complaints if c.level == 5)


def test_phrasings_as_people_write_them_are_recognised(ruleset: RuleSet) -> None:
    rows = [r for r in _phrasings() if r["complaint"] is not None]
    found = [r for r in rows if r["complaint"] in _complaints(ruleset, r["text"], r["age"])]
    missed = [r["text"] for r in rows if r not in found]
    print(f"\nrecognised {len(found)}/{len(rows)}; missed e.g. {missed[:10]}")
    assert len({r["complaint"] for r in rows}) >= 100
    assert len(found) >= 0.80 * len(rows)


def test_negated_complaints_are_not_recognised(ruleset: RuleSet) -> None:
    negated = [r for r in _phrasings() if r["complaint"] is None]
    assert negated
    for row in negated:
        result = assess({"age": row["age"], "complaint": row["text"]}, ruleset)
        assert all(m["negated"] for m in result.to_json()["concepts"]
                   if m["concept"] in ("chest-pain", "breathing-difficulty", "fever")), row


@pytest.mark.parametrize(("text", "complaint", "level"), [
    ("pain, chest", "chest-pain", 2), ("discomfort, chest", "chest-pain", 2),
    ("Rt. side motor weakness", "one-sided-weakness", 2),
    ("rigth side weakness", "one-sided-weakness", 2), ("dysarthria", "slurred-speech", 2),
    ("mental change", "altered-consciousness", 2), ("Lt flank pain", "flank-pain", 3),
    ("c/o SOB, cannot finish a sentence", "severe-breathing-difficulty", 2),
    ("rigid abdomen", "rigid-abdomen", 2), ("distension, abd", "abdominal-distension", 4),
])
def test_ed_shorthand_inversions_and_findings(ruleset: RuleSet, text: str, complaint: str,
                                              level: int) -> None:
    result = assess({"age": 60, "complaint": text}, ruleset)
    assert complaint in {c["id"] for c in result.complaints}
    assert result.level <= level


@pytest.mark.parametrize("text", [
    "cold, runny nose", "sore throat", "mouth ulcer", "mild eczema", "simple back strain",
    "wasp sting, local swelling", "constipation, thriving, feeding well",
])
def test_self_care_for_benign_presentations_with_safety_netting(ruleset: RuleSet,
                                                               text: str) -> None:
    age = 0.5 if "thriving" in text else 30
    calm = {"respiratory_rate": 16 if age > 1 else 35, "spo2": 98, "pulse": 80 if age > 1 else 130,
            "systolic_bp": 120 if age > 1 else 90, "temperature": 36.8, "consciousness": "A"}
    result = assess({"age": age, "complaint": text, "vitals": calm}, ruleset)
    assert result.level == 5 and result.disposition == "self-care"
    assert result.advice and all(len(a) > 60 for a in result.advice)
    # abnormal observations or a red flag take self-care away
    assert assess({"age": age, "complaint": text, "vitals": {**calm, "spo2": 91}},
                  ruleset).level < 5
    assert assess({"age": age, "complaint": text + ", and chest pain"}, ruleset).level < 5


@pytest.mark.parametrize(("text", "complaint", "level"), [
    # planned care is non-urgent; the same device with fever or retention is not
    ("catheter change", "planned-care", 5), ("for IM injection", "planned-care", 5),
    ("catheter change, fever", "planned-care", 3),
    ("catheter change, bleeding", "planned-care", 4),
    # a bone felt in the throat is standard; with drooling it is very urgent; a swallowed
    # magnet or battery is its own complaint
    ("fish bone in throat", "throat-foreign-body", 4),
    ("fish bone in throat, noisy breathing", "throat-foreign-body", 2),
    ("swallowed magnet", "swallowed-foreign-body", 3),
    ("itching all day", "itching", 5), ("Sensory, Decreased", "numbness", 3),
    # what an ED records as a diagnosis is graded as that diagnosis, with the stroke or cardiac
    # features that would change it as discriminators
    ("facial palsy", "facial-palsy", 3), ("facial palsy, slurred speech", "facial-palsy", 2),
    ("chest wall pain", "chest-wall-pain", 3),
    ("chest wall pain, sweaty and short of breath", "chest-wall-pain", 2),
    ("voiding difficulty", "urinary-symptoms", 4),
])
def test_planned_care_and_minor_presentations(ruleset: RuleSet, text: str, complaint: str,
                                              level: int) -> None:
    calm = {"respiratory_rate": 16, "spo2": 98, "pulse": 80, "systolic_bp": 120,
            "temperature": 36.8, "consciousness": "A"}
    result = assess({"age": 45, "complaint": text, "vitals": calm}, ruleset)
    assert complaint in {c["id"] for c in result.complaints}
    assert result.level == level or (level <= 2 and result.level <= level)  # airway: 1 or 2


def test_bleeding_with_a_shock_index_of_1_is_very_urgent(ruleset: RuleSet) -> None:
    """A pulse at or above the systolic pressure with blood or fluid loss is compensated shock,
    before the systolic pressure itself falls."""
    case = {"age": 50, "complaint": "vomiting blood"}
    assert assess({**case, "vitals": {"pulse": 100, "systolic_bp": 100}}, ruleset).level == 2
    assert assess({**case, "vitals": {"pulse": 88, "systolic_bp": 120}}, ruleset).level == 3
    assert assess({"age": 50, "complaint": "sprained ankle",
                   "vitals": {"pulse": 100, "systolic_bp": 100}}, ruleset).level > 2


def test_self_care_needs_positive_evidence(ruleset: RuleSet) -> None:
    assert assess({"age": 30, "complaint": ""}, ruleset).level == 4
    assert assess({"age": 30, "complaint": "feeling off"}, ruleset).level <= 4


def test_an_unrecognised_complaint_is_flagged_and_graded_on_its_findings(
        ruleset: RuleSet) -> None:
    result = assess({"age": 40, "complaint": "xyzzy blorp"}, ruleset)
    assert result.level == 4
    assert any("not recognised" in w for w in result.warnings)
    assert [r.rule_id for r in result.reasons] == ["complaint-not-recognised"]


def test_a_mechanism_gives_way_to_the_injury_it_caused(ruleset: RuleSet) -> None:
    graze = assess({"age": 8, "complaint": "grazed knee falling off scooter"}, ruleset)
    assert "low-energy-fall" not in {c["id"] for c in graze.complaints} and graze.level == 5
    fall = assess({"age": 80, "complaint": "found fallen at home"}, ruleset)
    assert {c["id"] for c in fall.complaints} == {"low-energy-fall"} and fall.level <= 4


def test_the_model_only_adds_complaints(ruleset: RuleSet) -> None:
    base = assess({"age": 50, "complaint": "sore throat"}, ruleset)
    raised = assess({"age": 50, "complaint": "sore throat"}, ruleset,
                    assistant={"concepts": ["chest-pain"]})
    assert raised.level < base.level


@pytest.fixture()
def pack(tmp_path: Path) -> Path:
    dest = tmp_path / "pack"
    shutil.copytree(sample_pack_dir() / "triage", dest / "triage")
    return dest


MOUTH = '[complaint.mouth-ulcer]\n'


@pytest.mark.parametrize(("old", "new", "message"), [
    (MOUTH, MOUTH + "colour = 1\n", "unknown key"),
    (MOUTH, '[complaint.Mouth_Ulcer]\n', "ids use"),
    ('[unrecognised]\nlevel = 4', '[unrecognised]\nlevel = 9', "level 1–5"),
    ('[complaint.fever]\n', '[complaint.fever]\nsite = "inside"\n', "'site'"),
    ('[complaint.rigid-abdomen]\n', '[complaint.rigid-abdomen]\nadvice = "rest"\n',
     "level-5"),
    ('[complaint.rigid-abdomen]\n', '[complaint.rigid-abdomen]\ncapitals = ["Rigid"]\n',
     "capitals"),
    ('[complaint.rigid-abdomen]\n', '[complaint.rigid-abdomen]\nmechanism = "yes"\n',
     "'mechanism'"),
    ('[complaint.rigid-abdomen]\n', '[complaint.rigid-abdomen]\nconcepts = ["nope"]\n',
     "unknown lexicon concept"),
])
def test_malformed_complaints_are_refused(pack: Path, old: str, new: str, message: str) -> None:
    path = pack / "triage" / "complaints.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PackError, match=message):
        load_pack_rules(pack)


def test_a_level_5_complaint_without_advice_is_refused(pack: Path) -> None:
    path = pack / "triage" / "complaints.toml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(MOUTH)
    advice = next(i for i in range(start, len(lines)) if lines[i].startswith("advice = "))
    path.write_text("".join(lines[:advice] + lines[advice + 1:]), encoding="utf-8")
    with pytest.raises(PackError, match="safety-netting"):
        load_pack_rules(pack)


def test_a_complaint_word_may_belong_to_one_concept_only(pack: Path) -> None:
    path = pack / "triage" / "complaints.toml"
    text = path.read_text(encoding="utf-8")
    extra = ('[complaint.test-sob]\nlabel = "X"\ngroup = "X"\nlevel = 3\n'
             'protocol = "triage-priorities"\nsource = "X"\nterms = ["sob"]\n\n')
    path.write_text(text.replace("[complaint.rigid-abdomen]\n",
                                 extra + "[complaint.rigid-abdomen]\n", 1), encoding="utf-8")
    with pytest.raises(PackError, match="already belongs"):
        load_pack_rules(pack)


@pytest.mark.parametrize(("old", "new", "error"), [
    ('implies = ["abdominal-pain"]', 'implies = ["no-such-concept"]', "implies unknown"),
    ('benign_with = ["usual-vertigo"]', 'benign_with = ["no-such-concept"]',
     "benign_with unknown"),
])
def test_a_concept_may_name_only_known_concepts(pack: Path, old: str, new: str,
                                                error: str) -> None:
    path = pack / "triage" / "lexicon.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PackError, match=error):
        load_pack_rules(pack)


def test_a_narrower_concept_carries_its_broader_ones(ruleset: RuleSet) -> None:
    """Epigastric pain is abdominal pain: the abdominal rules and complaint apply to it."""
    result = assess({"age": 70, "complaint": "pain, epigastric"}, ruleset)
    assert "abdominal-pain" in {c["id"] for c in result.complaints}
    assert any(r.rule_id == "abdominal-pain-older" for r in result.reasons)
    broken = assess({"age": 40, "complaint": "wrist deformed after a fall"}, ruleset)
    assert "suspected-fracture" in {c["id"] for c in broken.complaints}


@pytest.mark.parametrize(("text", "overdose"), [
    ("took about 30 paracetamol tablets two hours ago", True),
    ("swallowed 16 of her sertraline tablets", True), ("took 10x 500mg paracetamol", True),
    ("took 2 paracetamol for the headache", False), ("did not take 20 tablets", False),
    ("had 12 pints", False),
])
def test_an_overdose_is_read_from_the_number_taken(ruleset: RuleSet, text: str,
                                                   overdose: bool) -> None:
    result = assess({"age": 30, "complaint": text}, ruleset)
    assert ("overdose" in {c["id"] for c in result.complaints}) is overdose
    assert (result.level <= 2) is overdose


def test_a_trip_with_a_graze_is_self_care_until_65(ruleset: RuleSet) -> None:
    text = "grazed both knees falling on the pavement"
    assert assess({"age": 27, "complaint": text}, ruleset).level == 5
    assert assess({"age": 70, "complaint": text}, ruleset).level == 4
