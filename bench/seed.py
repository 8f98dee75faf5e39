"""Fixed-time encounters for the board and record benches and the TUI tests.

Lives in ``bench`` (an installed package) so the benchmarks run without the test tree; the
TUI tests import it too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from appliance.session import Session

T0 = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


class FixedClock:
    """A clock moved by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def seed_encounter(session: Session, *, opened_min_ago: int, family: str | None = None,
                   priority: int | None = None, area: str | None = None,
                   complaint: str = "", obs: dict[str, object] | None = None,
                   obs_min_ago: int = 0, kind: str = "medical", age: int = 50,
                   sex: str = "F", now: datetime = T0) -> str:
    """An open encounter whose times are fixed relative to ``now`` (for exact boards)."""
    from appliance.records import encounters, patients

    pid = patients.register(session, family_name=family, estimated_age=age, sex=sex)
    opened = (now - timedelta(minutes=opened_min_ago)).isoformat()
    payload: dict[str, object] = {"patient_id": pid, "opened_at": opened, "status": "open",
                                  "kind": kind, "presenting_complaint": complaint,
                                  "opened_by": session.user.id}
    if area:
        payload["area"] = area
    eid = session.write("encounter.opened", None, payload).entity_id
    if priority:
        from appliance.records.board import PRIORITY_NAMES

        encounters.set_priority(session, eid, priority, PRIORITY_NAMES[priority], None)
    if obs:
        encounters.record_observation(session, eid, dict(obs),
                                      (now - timedelta(minutes=obs_min_ago)).isoformat())
    return eid
