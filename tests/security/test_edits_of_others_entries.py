"""Saving a form cannot overwrite what another crew recorded: changing or clearing their values
is a correction, which needs a reason and keeps the original (the amendment flow). Filling in
blanks still works. Real users on a real encrypted device."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from appliance.device import Device
from appliance.errors import PermissionDenied
from appliance.records import amendments, encounters, patients
from appliance.session import Session


@pytest.fixture
def crews(device: Device) -> Iterator[tuple[Session, Session, Session]]:
    admin = device.login("admin", "999999")
    admin.add_user("crew2", "Second Crew", "paramedic", "605182")
    admin.close()
    crew2 = device.login("crew2", "605182")
    crew2.change_pin("605182", "493817")  # the PIN IT set must be changed before working
    crew2.close()
    first = device.login("paramedic", "111111")
    second = device.login("crew2", "493817")
    clinician = device.login("clinician", "222222")
    yield first, second, clinician
    for s in (first, second, clinician):
        s.close()


def snapshot(s: Session) -> tuple[object, ...]:
    return (s.db.query("SELECT * FROM patients"), s.db.query("SELECT * FROM encounters"),
            s.db.scalar("SELECT count(*) FROM events"))


def test_another_crew_cannot_overwrite_demographics_or_incident_fields(
        crews: tuple[Session, Session, Session]) -> None:
    first, second, clinician = crews
    pid = patients.register(first, family_name="Smith", date_of_birth="1950-01-01")
    eid = encounters.open_encounter(first, patient_id=pid, presenting_complaint="chest pain",
                                    location="High Street")
    before = snapshot(first)
    for who in (second, clinician):  # a clinician too: a correction needs a reason
        with pytest.raises(PermissionDenied, match="family name"):
            patients.update(who, pid, family_name="Jones", date_of_birth="1950-01-01")
        with pytest.raises(PermissionDenied, match="presenting complaint"):
            encounters.update(who, eid, presenting_complaint="fall", location="High Street")
        with pytest.raises(PermissionDenied, match="location"):
            encounters.update(who, eid, location=None)  # clearing is changing too
        with pytest.raises(PermissionDenied, match="patient id"):
            encounters.update(who, eid, patient_id=patients.register(who, family_name="X"))
    after = snapshot(first)
    assert (after[0][0], after[1]) == (before[0][0], before[1])


def test_blanks_can_be_filled_and_own_entries_changed(
        crews: tuple[Session, Session, Session]) -> None:
    first, second, _ = crews
    pid = patients.register(first, family_name="Smith")
    patients.update(second, pid, family_name="Smith", given_name="Jo")  # adds, changes nothing
    assert patients.get(first, pid)["given_name"] == "Jo"
    patients.update(first, pid, family_name="Smyth")  # the first crew's own entry
    assert patients.get(first, pid)["family_name"] == "Smyth"


def test_the_correction_goes_through_the_amendment_flow_with_the_original_kept(
        crews: tuple[Session, Session, Session]) -> None:
    first, second, clinician = crews
    pid = patients.register(first, family_name="Smith")
    with pytest.raises(PermissionDenied):
        amendments.amend(second, "patient", pid, "family_name", "Jones", "wrong patient")
    amendments.amend(clinician, "patient", pid, "family_name", "Jones", "wrong patient")
    assert patients.get(first, pid)["family_name"] == "Jones"
    (row,) = first.db.query("SELECT old_value, reason FROM amendments WHERE entity_id = ?",
                            (pid,))
    assert "Smith" in str(row["old_value"]) and row["reason"] == "wrong patient"
