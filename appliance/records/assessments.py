"""Triage assessments in the record: the engine's result, then the clinician's decision.

The engine's result is stored whole (``result_json``) with the rule-set and pack versions it used,
as status ``proposed``. A clinician then confirms it or overrides it with a reason; the decision
is a separate event, so the engine's original proposal is never lost. A decided assessment is
never changed again: re-triage records a new assessment. Nothing is deleted.
"""

from __future__ import annotations

import json
from typing import Any

from appliance.errors import ValidationError
from appliance.ids import new_id
from appliance.records import encounters
from appliance.records.encounters import Change
from appliance.security.roles import Permission
from appliance.session import Session
from appliance.store.events import now_iso

PRIORITY_NAMES = {1: "Immediate", 2: "Very urgent", 3: "Urgent", 4: "Standard", 5: "Non-urgent"}
DISPOSITIONS = ("emergency", "urgent", "routine", "self-care")


def _as_json(result: Any) -> dict[str, Any]:
    data = result.to_json() if hasattr(result, "to_json") else result
    if not isinstance(data, dict):
        raise ValidationError("A triage result must be the engine's result or its JSON.")
    return data


def _level(data: dict[str, Any]) -> int:
    prio = data.get("priority")
    level = prio.get("level") if isinstance(prio, dict) else prio
    if isinstance(level, bool) or level not in PRIORITY_NAMES:
        raise ValidationError("The triage result has no priority level 1-5.", field="priority")
    return int(level)


def _pack_version(data: dict[str, Any]) -> str | None:
    """The pack version the result names. None when its rules came from a folder without pack
    metadata: the pack active now need not be the one the result was built from."""
    return str(data["pack_version"]) if data.get("pack_version") else None


def _assistant_stamp(data: dict[str, Any]) -> tuple[str | None, str | None]:
    """(model file sha256, prompt template version) when the LLM extractor consulted a model.

    The extractor's output (``appliance.assistant.extract_for_triage``) carries the model as
    ``{"name", "sha256"}``; a pattern-only pass has no model, so no prompt was used either.
    """
    assistant = data.get("assistant")
    if not isinstance(assistant, dict):
        return None, None
    model = assistant.get("model")
    sha = model.get("sha256") if isinstance(model, dict) else assistant.get("model_hash")
    if not sha:
        return None, None
    version = assistant.get("prompt_version")
    return str(sha), str(version) if version else None


def _proposal(session: Session, encounter_id: str, result: Any) -> dict[str, Any]:
    data = _as_json(result)
    level = _level(data)
    disposition = data.get("disposition")
    if disposition is not None and disposition not in DISPOSITIONS:
        raise ValidationError(f"Unknown disposition {disposition!r}.", field="disposition")
    model_hash, prompt_version = _assistant_stamp(data)
    payload: dict[str, Any] = {
        "encounter_id": encounter_id, "assessed_at": now_iso(), "priority": level,
        "disposition": disposition, "result_json": json.dumps(data, sort_keys=True),
        "rules_version": data.get("rules_version"), "pack_version": _pack_version(data),
        "model_hash": model_hash, "prompt_version": prompt_version,
        "status": "proposed", "recorded_by": session.user.id,
    }
    return {k: v for k, v in payload.items() if v is not None}


def _record_changes(session: Session, encounter_id: str, result: Any
                    ) -> tuple[str, dict[str, Any], list[Change]]:
    row = _proposal(session, encounter_id, result)
    aid = new_id()
    level = row["priority"]
    return aid, row, [("assessment.recorded", aid, row),
                      encounters.priority_change(encounter_id, level, PRIORITY_NAMES[level],
                                                 row.get("disposition"))]


def record(session: Session, encounter_id: str, result: Any) -> str:
    """Store the engine's result as a proposed assessment and show its priority on the board
    (both in one transaction)."""
    session.require(Permission.WRITE_RECORDS)
    aid, _, changes = _record_changes(session, encounter_id, result)
    session.write_all(changes)
    return aid


def _proposed(session: Session, assessment_id: str) -> dict[str, Any]:
    rows = session.db.query("SELECT * FROM assessments WHERE id = ?", (assessment_id,))
    if not rows:
        raise ValidationError(f"No assessment {assessment_id}.")
    row = rows[0]
    if row["status"] != "proposed":
        raise ValidationError(f"This assessment was already {row['status']}: run a new "
                              "assessment to change the priority.", field="status")
    return row


def _decision_changes(session: Session, assessment_id: str, row: dict[str, Any],
                      priority: int | None, reason: str | None,
                      disposition: str | None) -> list[Change]:
    """Confirm (``priority`` None) or override, and the board priority, as changes."""
    if priority is None:
        final, final_disposition = row["priority"], row.get("disposition")
        decision: dict[str, Any] = {"status": "confirmed"}
    else:
        if isinstance(priority, bool) or priority not in PRIORITY_NAMES:
            raise ValidationError("Choose a priority from 1 (Immediate) to 5 (Non-urgent).",
                                  field="priority")
        if not reason or not reason.strip():
            raise ValidationError("Say why you are overriding the engine's priority.",
                                  field="override_reason")
        if disposition is not None and disposition not in DISPOSITIONS:
            raise ValidationError(f"Disposition must be one of {', '.join(DISPOSITIONS)}.",
                                  field="disposition")
        final, final_disposition = priority, disposition or row.get("disposition")
        decision = {"status": "overridden", "override_reason": reason.strip()}
    decision.update(final_priority=final, final_disposition=final_disposition,
                    decided_by=session.user.id, decided_at=now_iso())
    return [("assessment.decided", assessment_id, decision),
            encounters.priority_change(row["encounter_id"], final, PRIORITY_NAMES[final],
                                       final_disposition)]


def confirm(session: Session, assessment_id: str) -> None:
    """The clinician agrees with the engine's priority and disposition."""
    session.require(Permission.CONFIRM_TRIAGE)
    row = _proposed(session, assessment_id)
    session.write_all(_decision_changes(session, assessment_id, row, None, None, None))


def override(session: Session, assessment_id: str, priority: int, reason: str,
             disposition: str | None = None) -> None:
    """The clinician sets a different priority (and disposition); the reason is required."""
    session.require(Permission.CONFIRM_TRIAGE)
    if isinstance(priority, bool) or priority not in PRIORITY_NAMES:
        raise ValidationError("Choose a priority from 1 (Immediate) to 5 (Non-urgent).",
                              field="priority")
    row = _proposed(session, assessment_id)
    session.write_all(_decision_changes(session, assessment_id, row, priority, reason,
                                        disposition))


def decide(session: Session, encounter_id: str, result: Any, *,
           priority: int | None = None, reason: str | None = None,
           disposition: str | None = None, complaint: str | None = None) -> str:
    """Record the engine's result and the clinician's decision in ONE transaction.

    Confirms when ``priority`` is None, else overrides (``reason`` required). ``complaint``,
    when given, updates the encounter's presenting complaint in the same transaction. Either
    everything reaches the disk or nothing does; returns the assessment id.
    """
    session.require(Permission.CONFIRM_TRIAGE)
    aid, row, changes = _record_changes(session, encounter_id, result)
    changes = changes[:1] + _decision_changes(session, aid, row, priority, reason, disposition)
    if complaint is not None:
        changes.insert(0, encounters.update_change(encounter_id,
                                                   presenting_complaint=complaint))
    session.write_all(changes)
    return aid


def effective_priority(row: dict[str, Any]) -> int | None:
    """The priority that stands for an assessment row: the decision, else the proposal."""
    return row.get("final_priority") or row.get("priority")


def result_of(row: dict[str, Any]) -> dict[str, Any]:
    """The engine's stored result for an assessment row."""
    return json.loads(row["result_json"]) if row.get("result_json") else {}
