"""Chief complaints as ED triage nurses type them (``tests/data/chief_complaints_blind.jsonl``:
250, written by a helper session blind to the engine and to the KTAS rows). Only recognition is
scored: a complaint the taxonomy cannot read is still triaged on the findings, with a warning,
but every one read is a complaint that gets its own discriminators.

First run (session 7): 231 of 250 recognised. The misses were the causes fixed for every text
of their kind: a misspelt first word of a longer term ("abdomnial pain", "sholder pain"), and
of a later word ("chest tightnes", "head truama"); ED shorthand ("DOE" in capitals only, since
"doe" is also "does"; "BSL high", "BST low", "BP elevated", "F/C", "MBA", "TA", "ped struck by
car", "slip down", "Foley cath change", "resp distress", "agitation", "fussy infant").
Left, on purpose: a changed letter ("sore throut", "hematochesia"), which would turn ordinary
words into symptoms ("handing" into "hanging").

``chief_complaints_blind2.jsonl`` (250 more, leaning to rarer complaints and Korean ED English):
first run 206 of 250 (after the first list's fixes), now 222: lab and ECG results, high K and
missed dialysis, stitches out, blocked lines and catheters, AH/VH and psych evaluations, groin
masses, desaturation, AICD shocks, decreased fetal movements, referrals and transfers. Left:
rarer words with a changed letter, and single abbreviations too short to read safely ("HZ",
"HI", "Form 1").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appliance.triage import assess
from appliance.triage.lexicon import find_concepts
from appliance.triage.rules import RuleSet

DATA = Path(__file__).resolve().parents[1] / "data"
#: file: (rows, most left unrecognised)
SETS = {"chief_complaints_blind.jsonl": (250, 2), "chief_complaints_blind2.jsonl": (250, 28)}


@pytest.mark.parametrize("name", sorted(SETS))
def test_nearly_every_chief_complaint_is_recognised(ruleset: RuleSet, name: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line]
    assert len(rows) == SETS[name][0]
    missed = [r["text"] for r in rows
              if any(x.rule_id == "complaint-not-recognised"
                     for x in assess({"complaint": r["text"], "age": 40}, ruleset).reasons)]
    assert len(missed) <= SETS[name][1], missed


@pytest.mark.parametrize(("text", "concept"), [
    ("chest tightnes", "chest-pain"), ("abdomnial pain", "abdominal-pain"),
])
def test_a_misspelt_word_anywhere_in_a_term(ruleset: RuleSet, text: str, concept: str) -> None:
    assert concept in {m.concept for m in find_concepts(text, ruleset.lexicon)}


def test_doe_only_in_capitals(ruleset: RuleSet) -> None:
    assert "breathing-difficulty" in {m.concept for m in find_concepts("worsening DOE",
                                                                        ruleset.lexicon)}
    assert "breathing-difficulty" not in {
        m.concept for m in find_concepts("it does not hurt", ruleset.lexicon)}
