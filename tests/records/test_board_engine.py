"""The board shows the triage engine's priority for patients nobody has triaged yet.

Real SQLCipher store, real engine: a NEWS2 8 patient the engine puts at 1 is never left among the
"Not triaged", is marked unconfirmed and sorts with Immediate; a clinician's decision stands.
"""

from __future__ import annotations

from datetime import timedelta

from appliance.protocols.active_rules import active_ruleset
from appliance.records import assessments, board
from appliance.session import Session
from appliance.triage import assess
from bench.seed import T0, seed_encounter

NEWS2_8 = {"respiratory_rate": 25, "spo2": 94, "on_oxygen": False, "systolic_bp": 105,
           "pulse": 115, "consciousness": "A", "temperature": 38.5}
NEWS2_0 = {"respiratory_rate": 16, "spo2": 97, "on_oxygen": False, "systolic_bp": 120,
           "pulse": 70, "consciousness": "A", "temperature": 37.0}


def _board(session: Session) -> dict[str, board.BoardEntry]:
    entries = board.build(board.load_rows(session, T0), T0)
    return {e.patient: e for e in entries}


def test_news2_8_untriaged_patient_shows_the_engines_very_urgent_unconfirmed(
        paramedic: Session) -> None:
    seed_encounter(paramedic, opened_min_ago=20, family="Sick", complaint="unwell",
                   obs=NEWS2_8, obs_min_ago=5)
    seed_encounter(paramedic, opened_min_ago=40, family="Urgent", priority=2,
                   complaint="chest pain")
    seed_encounter(paramedic, opened_min_ago=3, family="Waiting", complaint="")
    entries = board.build(board.load_rows(paramedic, T0), T0)
    sick = next(e for e in entries if e.patient.startswith("SICK"))
    # NEWS2 7+ without shock is Very urgent (emergency assessment), unconfirmed
    assert (sick.priority, sick.priority_name, sick.confirmed) == (2, "Very urgent", False)
    assert sick.news2 == 8 and sick.target_min == 10 and sick.breached
    # Sorted with its priority: with the Very urgent one, below the untriaged patient.
    order = [e.patient.split(",")[0] for e in entries]
    assert order[0] == "WAITING" and set(order[1:]) == {"SICK", "URGENT"}


def test_without_observations_only_an_immediate_complaint_leaves_not_triaged(
        paramedic: Session) -> None:
    seed_encounter(paramedic, opened_min_ago=10, family="Ankle", complaint="twisted ankle")
    seed_encounter(paramedic, opened_min_ago=10, family="Arrest", complaint="cardiac arrest")
    shown = _board(paramedic)
    ankle = next(e for p, e in shown.items() if p.startswith("ANKLE"))
    arrest = next(e for p, e in shown.items() if p.startswith("ARREST"))
    # The engine alone would say Non-urgent for an ankle nobody has observed: it stays
    # "Not triaged" (above Very urgent) until observations are taken.
    assert assess({"complaint": "twisted ankle", "age": 30}, active_ruleset()).level == 5
    assert ankle.priority is None and ankle.priority_name == "Not triaged"
    assert (arrest.priority, arrest.confirmed) == (1, False)


def test_normal_observations_give_the_engines_lower_priority_unconfirmed(
        paramedic: Session) -> None:
    seed_encounter(paramedic, opened_min_ago=10, family="Well", complaint="twisted ankle",
                   obs=NEWS2_0, obs_min_ago=2)
    well = next(e for p, e in _board(paramedic).items() if p.startswith("WELL"))
    assert well.priority == assess({"complaint": "twisted ankle", "vitals": NEWS2_0,
                                    "age": 50, "sex": "F"}, active_ruleset()).level
    assert not well.confirmed


def test_an_undecided_priority_is_raised_when_newer_observations_make_it_worse(
        paramedic: Session) -> None:
    from appliance.records import encounters

    eid = seed_encounter(paramedic, opened_min_ago=30, family="Worse", complaint="unwell",
                         obs=NEWS2_0, obs_min_ago=25)
    assessments.record(paramedic, eid,
                       assess({"complaint": "unwell", "vitals": NEWS2_0}, active_ruleset()))
    encounters.record_observation(paramedic, eid, NEWS2_8,
                                  (T0 - timedelta(minutes=2)).isoformat())
    rows = board.load_rows(paramedic, T0)
    assert board.build(rows, T0)[0].priority == 4  # the stored proposal, first shown
    raised = board.with_engine_raises(rows, T0)
    assert raised is not None
    entry = board.build(raised, T0)[0]
    assert (entry.priority, entry.confirmed) == (2, False)


def test_a_clinicians_decision_stands_and_is_not_marked(paramedic: Session) -> None:
    eid = seed_encounter(paramedic, opened_min_ago=30, family="Decided", complaint="unwell",
                         obs=NEWS2_8, obs_min_ago=5)
    result = assess({"complaint": "unwell", "vitals": NEWS2_8}, active_ruleset())
    # A paramedic may override with a reason (Permission.CONFIRM_TRIAGE).
    assessments.decide(paramedic, eid, result, priority=2, reason="seen by doctor")
    rows = board.load_rows(paramedic, T0)
    assert board.with_engine_raises(rows, T0) is None
    entry = board.build(rows, T0)[0]
    assert (entry.priority, entry.confirmed) == (2, True)


def test_a_date_of_birth_after_today_leaves_the_engine_priority_unknown() -> None:
    def row(dob: str) -> dict[str, object]:
        return {"id": f"enc-{dob}", "presenting_complaint": "unwell", "date_of_birth": dob,
                "o_taken_at": T0.isoformat(), **{f"o_{k}": v for k, v in NEWS2_8.items()}}

    rules = active_ruleset()
    assert board.engine_priority(row("1950-03-01"), T0.date(), rules) == 2
    assert board.engine_priority(row("2999-01-01"), T0.date(), rules) is None


def test_a_complaint_read_by_its_nearest_meaning_raises_the_board_as_the_record_does(
        paramedic: Session) -> None:
    """The board and the record's triage tab agree on a complaint the lexicon cannot read."""
    from appliance.triage.nearest import shared_for

    seed_encounter(paramedic, opened_min_ago=10, family="Thigh",
                   complaint="swollen thigh on the left side", obs=NEWS2_0, obs_min_ago=2)
    rows = board.load_rows(paramedic, T0)
    assert board.build(rows, T0)[0].priority == 4  # the lexicon's reading, shown first
    nearest = shared_for(active_ruleset())
    assert nearest is not None
    meant = board.with_meaning_raises(rows, T0, nearest)
    assert meant is not None
    entry = board.build(meant, T0)[0]
    assert (entry.priority, entry.confirmed) == (3, False)
    assert board.with_meaning_raises(meant, T0, None) is None  # no embedder: nothing changes
