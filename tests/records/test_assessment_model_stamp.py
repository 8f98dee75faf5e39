"""An assessment that used the assistant's model records its file hash and prompt version."""

from __future__ import annotations

from appliance.assistant import prompts
from appliance.assistant.extraction import Extraction, extract
from appliance.records import assessments, encounters
from appliance.session import Session
from models.runtime import ModelStamp

SHA = "3f" * 32
NOTE = "72M CP radiating L arm, HR 112 BP 98/60 RR 24 sats 93% RA"


def _result(assistant: dict[str, object] | None) -> dict[str, object]:
    return {"priority": {"level": 2, "name": "Very urgent"}, "disposition": "emergency",
            "rules_version": "r1", "pack_version": "2026.11", "red_flags": [],
            "assistant": assistant}


def _stamp(session: Session, aid: str) -> tuple[str | None, str | None]:
    row = session.db.query("SELECT model_hash, prompt_version FROM assessments WHERE id = ?",
                           (aid,))[0]
    return row["model_hash"], row["prompt_version"]


def test_a_decision_on_a_model_extraction_stores_the_model_hash_and_prompt_version(
        clinician: Session) -> None:
    by_model = Extraction(NOTE, model=ModelStamp("SmolLM2-135M-Instruct", SHA), model_used=True)
    enc = encounters.open_encounter(clinician)
    aid = assessments.decide(clinician, enc, _result(by_model.to_dict()))
    assert _stamp(clinician, aid) == (SHA, prompts.EXTRACT_VERSION)


def test_a_recorded_proposal_stores_them_too(paramedic: Session) -> None:
    by_model = Extraction(NOTE, model=ModelStamp("SmolLM2-135M-Instruct", SHA), model_used=True)
    enc = encounters.open_encounter(paramedic)
    aid = assessments.record(paramedic, enc, _result(by_model.to_dict()))
    assert _stamp(paramedic, aid) == (SHA, prompts.EXTRACT_VERSION)


def test_without_a_model_neither_is_stored(paramedic: Session) -> None:
    pattern_only = extract(NOTE, None)  # the real pattern pass, no model consulted
    assert pattern_only.model is None and pattern_only.values
    enc = encounters.open_encounter(paramedic)
    for assistant in (pattern_only.to_dict(), None):
        aid = assessments.record(paramedic, enc, _result(assistant))
        assert _stamp(paramedic, aid) == (None, None)
