"""Correcting a patient link: changed or removed with a reason, the old one kept, rights checked."""

from __future__ import annotations

import pytest

from appliance.device import Device
from appliance.errors import PermissionDenied, ValidationError
from appliance.records import matching, patients
from appliance.session import Session


def _linked(session: Session) -> tuple[str, str, str]:
    """(unknown patient, the known patient they were linked to, another known patient)."""
    wrong = patients.register(session, family_name="Patel", nhs_number="9434765919")
    right = patients.register(session, family_name="Patil", given_name="Raj")
    unknown = patients.register(session, sex="M", estimated_age=40)
    matching.link(session, unknown, wrong)
    return unknown, wrong, right


def _link_of(session: Session, pid: str) -> str | None:
    return session.db.scalar("SELECT linked_to FROM patients WHERE id = ?", (pid,))


def test_a_link_is_changed_and_the_old_one_kept_with_who_when_and_why(
        paramedic: Session) -> None:
    unknown, wrong, right = _linked(paramedic)
    amendment = matching.change_link(paramedic, unknown, right, "  wrong Patel: it is Raj Patil ")
    assert _link_of(paramedic, unknown) == right
    [row] = matching.link_history(paramedic, unknown)
    assert row["id"] == amendment
    assert (row["old_value"], row["new_value"], row["reason"]) == (
        wrong, right, "wrong Patel: it is Raj Patil")
    assert row["amended_by"] == paramedic.user.id and row["amended_at"]
    assert row["amended_by_name"] == paramedic.user.display_name
    assert paramedic.db.scalar("SELECT COUNT(*) FROM patients") == 3  # nothing deleted
    [event] = paramedic.db.query("SELECT e.type, o.event_id FROM events e JOIN outbox o ON "
                                 "o.event_id = e.id WHERE e.id = ?", (amendment,))
    assert event["type"] == "record.amended"  # queued for sync like any correction
    from appliance.store.events import Event
    from sync.hub import merge

    [raw] = paramedic.db.query("SELECT * FROM events WHERE id = ?", (amendment,))
    as_sent = Event.from_row(raw).to_json()
    assert merge.validate_event(as_sent, paramedic.device_id) is None  # the hub accepts it
    assert merge.event_changes(as_sent) == (f"patient:{unknown}", {"linked_to": right})


def test_a_link_is_removed_and_the_patient_can_be_linked_again(paramedic: Session) -> None:
    unknown, wrong, right = _linked(paramedic)
    matching.remove_link(paramedic, unknown, "not the same person: different date of birth")
    assert _link_of(paramedic, unknown) is None
    [row] = matching.link_history(paramedic, unknown)
    assert (row["old_value"], row["new_value"]) == (wrong, None)
    with pytest.raises(ValidationError, match="not linked"):
        matching.remove_link(paramedic, unknown, "again")
    with pytest.raises(ValidationError, match="not linked"):
        matching.change_link(paramedic, unknown, right, "again")
    matching.link(paramedic, unknown, right)  # a fresh link, after the removal on record
    assert _link_of(paramedic, unknown) == right


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(paramedic: Session, reason: str) -> None:
    unknown, wrong, right = _linked(paramedic)
    with pytest.raises(ValidationError) as err:
        matching.change_link(paramedic, unknown, right, reason)
    assert err.value.field == "reason"
    with pytest.raises(ValidationError):
        matching.remove_link(paramedic, unknown, reason)
    assert _link_of(paramedic, unknown) == wrong
    assert matching.link_history(paramedic, unknown) == []


def test_relinking_to_the_same_an_unknown_or_a_missing_patient_is_refused(
        paramedic: Session) -> None:
    unknown, wrong, _right = _linked(paramedic)
    other_unknown = patients.register(paramedic, sex="F")
    for target, message in ((wrong, "already linked to that person"),
                            (unknown, "themselves"),
                            (other_unknown, "identified patient"),
                            ("01NOTONTHISDEVICE", "not on this device")):
        with pytest.raises(ValidationError, match=message):
            matching.change_link(paramedic, unknown, target, "checking")
    assert _link_of(paramedic, unknown) == wrong and not matching.link_history(paramedic,
                                                                             unknown)


def test_an_unlinked_patient_has_no_link_to_change(paramedic: Session) -> None:
    known = patients.register(paramedic, family_name="Jones")
    unknown = patients.register(paramedic, sex="F")
    with pytest.raises(ValidationError, match="link them instead"):
        matching.change_link(paramedic, unknown, known, "reason")


def test_only_a_clinician_changes_a_link_someone_else_made(
        device: Device, paramedic: Session) -> None:
    unknown, wrong, right = _linked(paramedic)
    admin = device.login("admin", "999999")
    admin.add_user("crewmate", "Crew Mate", "paramedic", "605182")
    admin.close()
    crewmate = device.login("crewmate", "605182")
    crewmate.change_pin("605182", "483921")  # the PIN IT set must be changed before working
    try:
        with pytest.raises(PermissionDenied, match="clinician"):
            matching.change_link(crewmate, unknown, right, "I think it is Raj")
        with pytest.raises(PermissionDenied):
            matching.remove_link(crewmate, unknown, "not sure")
    finally:
        crewmate.close()
    assert _link_of(paramedic, unknown) == wrong
    clinician = device.login("clinician", "222222")
    try:
        matching.change_link(clinician, unknown, right, "confirmed with the family")
        assert matching.linked_by(clinician, unknown) == clinician.user.id
    finally:
        clinician.close()
    # The clinician made the current link: the paramedic who made the first one may not undo it.
    with pytest.raises(PermissionDenied):
        matching.change_link(paramedic, unknown, wrong, "back to Patel")
    assert _link_of(paramedic, unknown) == right


def test_an_it_admin_cannot_touch_links(device: Device, paramedic: Session) -> None:
    unknown, _wrong, right = _linked(paramedic)
    admin = device.login("admin", "999999")
    try:
        with pytest.raises(PermissionDenied):
            matching.change_link(admin, unknown, right, "tidying")
    finally:
        admin.close()
