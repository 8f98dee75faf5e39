"""The board: priority, then wait against target; breaches; reassessment from NEWS2."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from appliance.records import board, encounters, matching, patients
from appliance.session import Session

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def row(minutes_ago: int, priority: int | None, *, news2: int | None = None,
        obs_minutes_ago: int | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": f"E{minutes_ago}-{priority}", "priority": priority,
                           "opened_at": (T0 - timedelta(minutes=minutes_ago)).isoformat(),
                           "o_news2_total": news2}
    if obs_minutes_ago is not None:
        out["o_taken_at"] = (T0 - timedelta(minutes=obs_minutes_ago)).isoformat()
    out.update(extra)
    return out


def test_priority_comes_first_then_the_longest_wait() -> None:
    rows = [row(5, 4), row(100, 4), row(1, 1), row(30, None), row(3, 2)]
    order = [(e.priority, e.waited_min) for e in board.build(rows, T0)]
    assert order == [(1, 1), (None, 30), (2, 3), (4, 100), (4, 5)]


def test_a_wait_past_the_target_is_a_breach_and_not_before() -> None:
    on_time, late = board.build([row(10, 2), row(11, 2)], T0)[::-1]
    assert (on_time.waited_min, on_time.breached) == (10, False)
    assert (late.waited_min, late.breached) == (11, True)


def test_reassessment_follows_the_news2_monitoring_frequency() -> None:
    cases = {0: 720, 3: 240, 5: 60, 6: 60, 7: 15}
    for total, minutes in cases.items():
        e = board.build([row(200, 3, news2=total, obs_minutes_ago=10)], T0)[0]
        assert e.reassess_every_min == minutes
        assert e.reassess_due_at == T0 - timedelta(minutes=10) + timedelta(minutes=minutes)


def test_a_single_red_parameter_means_hourly() -> None:
    e = board.build([row(90, 3, news2=3, obs_minutes_ago=61, o_respiratory_rate=26)], T0)[0]
    assert e.reassess_every_min == 60 and e.reassess_overdue


def test_hourly_at_news2_five_becomes_overdue_after_one_hour() -> None:
    due = board.build([row(120, 3, news2=5, obs_minutes_ago=59)], T0)[0]
    overdue = board.build([row(120, 3, news2=5, obs_minutes_ago=60)], T0)[0]
    assert not due.reassess_overdue and overdue.reassess_overdue


def test_no_observations_means_due_now() -> None:
    assert board.build([row(1, 3)], T0)[0].reassess_overdue


def test_filter_by_area_and_search() -> None:
    rows = [row(5, 3, area="majors", family_name="Smith", presenting_complaint="chest pain"),
            row(6, 3, area="minors", family_name="Jones", nhs_number="9434765919")]
    assert [e.patient for e in board.build(rows, T0, area="minors")] == ["JONES"]
    assert [e.patient for e in board.build(rows, T0, search="chest")] == ["SMITH"]
    assert [e.patient for e in board.build(rows, T0, search="943 476")] == ["JONES"]
    assert board.areas(rows) == ["majors", "minors"]


@given(st.lists(st.tuples(st.integers(0, 600), st.sampled_from([None, 1, 2, 3, 4, 5])),
                max_size=30))
def test_the_board_is_always_in_priority_order(spec: list[tuple[int, int | None]]) -> None:
    entries = board.build([dict(row(m, p), id=str(i)) for i, (m, p) in enumerate(spec)], T0)
    ranks = [e.rank for e in entries]
    assert ranks == sorted(ranks)
    for a, b in zip(entries, entries[1:], strict=False):
        if a.rank == b.rank:
            assert a.over_target >= b.over_target


def test_the_board_shows_every_users_open_encounters(paramedic: Session,
                                                     clinician: Session) -> None:
    pid = patients.register(paramedic, family_name="Smith", sex="F", estimated_age=70)
    mine = encounters.open_encounter(paramedic, patient_id=pid, area="majors")
    theirs = encounters.open_encounter(clinician, presenting_complaint="fall")
    closed = encounters.open_encounter(clinician)
    encounters.close(clinician, closed, "discharged")
    encounters.record_observation(paramedic, mine, {"respiratory_rate": 26, "pulse": 80})
    ids = {e.encounter_id: e for e in board.load(clinician, lambda: datetime.now(UTC))}
    assert set(ids) == {mine, theirs}
    assert ids[mine].patient == "SMITH" and ids[mine].age == "~70F"
    assert ids[mine].news2 == 3 and ids[mine].reassess_every_min == 60


def _linked_unknown(session: Session, **unknown: Any) -> tuple[str, str]:
    """(encounter of an unknown patient linked to John Smith, John Smith's id)."""
    known = patients.register(session, family_name="Smith", given_name="John",
                              nhs_number="9434765919", date_of_birth="1950-01-01", sex="M")
    pid = patients.register(session, **unknown)
    enc = encounters.open_encounter(session, patient_id=pid, presenting_complaint="collapse")
    matching.link(session, pid, known)
    return enc, known


def test_a_linked_unknown_patient_shows_the_linked_name_age_and_nhs_number(
        paramedic: Session) -> None:
    enc, _ = _linked_unknown(paramedic)
    (e,) = board.load(paramedic, lambda: T0)
    assert e.encounter_id == enc and e.patient == "SMITH, John (linked)"
    assert e.nhs_number == "9434765919" and e.age == "76M"  # the record had none of its own


def test_a_linked_unknown_patient_keeps_the_age_and_sex_seen_at_the_scene(
        paramedic: Session) -> None:
    _linked_unknown(paramedic, sex="F", estimated_age=40)
    (e,) = board.load(paramedic, lambda: T0)
    assert e.patient == "SMITH, John (linked)" and e.age == "~40F"


def test_the_board_finds_a_linked_unknown_patient_by_the_linked_name(
        paramedic: Session) -> None:
    enc, _ = _linked_unknown(paramedic)
    encounters.open_encounter(paramedic, presenting_complaint="fall")  # unknown, not linked
    assert [e.encounter_id for e in board.load(paramedic, lambda: T0, search="smith")] == [enc]
    assert [e.encounter_id for e in board.load(paramedic, lambda: T0,
                                               search="943 476 5919")] == [enc]
    assert sorted(e.patient for e in board.load(paramedic, lambda: T0)) == [
        "SMITH, John (linked)", "Unknown patient"]


def test_a_removed_link_or_a_name_of_its_own_is_not_shown_as_linked(
        paramedic: Session) -> None:
    enc, known = _linked_unknown(paramedic, sex="M")
    pid = paramedic.db.scalar("SELECT patient_id FROM encounters WHERE id = ?", (enc,))
    matching.remove_link(paramedic, pid, "not him")
    assert [e.patient for e in board.load(paramedic, lambda: T0)] == ["Unknown patient"]
    matching.link(paramedic, pid, known)
    patients.update(paramedic, pid, family_name="Smyth")  # the record itself now has a name
    (e,) = board.load(paramedic, lambda: T0)
    assert e.patient == "SMYTH" and e.nhs_number is None
