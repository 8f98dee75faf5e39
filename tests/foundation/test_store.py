import json
from pathlib import Path

import pytest
import sqlcipher3

from appliance.device import Device, open_database
from appliance.errors import AuthError, StoreVersionError, ValidationError
from appliance.records import amendments, encounters, patients
from appliance.session import Session
from appliance.store import audit


def _raw(device: Device, session: Session) -> sqlcipher3.Connection:
    """A second connection with the data key, as an attacker with the key would have."""
    conn = sqlcipher3.connect(str(device.layout.database), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{session._data_key.hex()}'\"")
    return conn


def test_a_write_is_one_event_one_outbox_row_one_audit_entry(paramedic: Session) -> None:
    before = paramedic.db.scalar("SELECT count(*) FROM audit_log")
    pid = patients.register(paramedic, family_name="Okafor", given_name="Ada",
                            nhs_number="943 476 5919", sex="F")
    ev = paramedic.db.query("SELECT * FROM events WHERE entity_id = ?", (pid,))
    assert [e["type"] for e in ev] == ["patient.registered"]
    assert ev[0]["user_id"] == paramedic.user.id
    assert ev[0]["device_id"] == paramedic.device_id
    assert json.loads(ev[0]["payload"])["nhs_number"] == "9434765919"
    assert paramedic.db.scalar("SELECT count(*) FROM outbox WHERE event_id = ?",
                               (ev[0]["id"],)) == 1
    assert paramedic.db.scalar("SELECT count(*) FROM audit_log") == before + 1


def test_a_failed_write_leaves_nothing_behind(paramedic: Session) -> None:
    counts = [paramedic.db.scalar(f"SELECT count(*) FROM {t}")
              for t in ("events", "outbox", "audit_log", "patients")]
    with pytest.raises(ValidationError):
        paramedic.write("patient.registered", None, {"family_name": "X", "shoe_size": 9})
    assert counts == [paramedic.db.scalar(f"SELECT count(*) FROM {t}")
                      for t in ("events", "outbox", "audit_log", "patients")]


def test_events_and_audit_are_append_only(paramedic: Session) -> None:
    patients.register(paramedic, family_name="Shah")
    for sql in ("UPDATE events SET payload = '{}'", "DELETE FROM events",
                "UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
            paramedic.db.conn.execute(sql)


def test_amendment_keeps_the_original(paramedic: Session) -> None:
    pid = patients.register(paramedic, family_name="Jones")
    eid = encounters.open_encounter(paramedic, patient_id=pid, kind="medical")
    nid = encounters.add_note(paramedic, eid, "Pt c/o CP")
    amendments.amend(paramedic, "note", nid, "text", "Pt c/o chest pain", "expand abbreviation")
    amendment = paramedic.db.query("SELECT * FROM amendments WHERE entity_id = ?", (nid,))[0]
    assert (amendment["old_value"], amendment["new_value"]) == ("Pt c/o CP", "Pt c/o chest pain")
    assert amendment["amended_by"] == paramedic.user.id
    with pytest.raises(ValidationError, match="why"):
        amendments.amend(paramedic, "note", nid, "text", "x", " ")


def test_database_file_holds_no_patient_data_in_plain_text(device: Device,
                                                           paramedic: Session) -> None:
    for i in range(50):
        patients.register(paramedic, family_name=f"Zebedee{i}", given_name="Quillfeather",
                          nhs_number="9434765919")
    paramedic.close()
    blob = b"".join(p.read_bytes() for p in device.layout.root.glob("records.db*"))
    for needle in (b"Zebedee", b"Quillfeather", b"9434765919", b"SQLite format 3"):
        assert needle not in blob


def test_wrong_key_is_refused(device: Device) -> None:
    with pytest.raises(AuthError, match="could not be unlocked"):
        open_database(device.layout, b"\x00" * 32)


def test_a_database_from_a_newer_version_is_refused(device: Device, paramedic: Session) -> None:
    paramedic.db.conn.execute("INSERT INTO _migrations VALUES ('9999_future', 'x')")
    paramedic.close()
    with pytest.raises(StoreVersionError, match="newer Lifeboat"):
        device.login("clinician", "222222")


@pytest.mark.parametrize("tamper, words", [
    ("UPDATE audit_log SET detail = '{\"forged\":1}' WHERE seq = 3", "entry 3 was edited"),
    ("DELETE FROM audit_log WHERE seq = 2", "entry 2 is missing"),
    ("UPDATE audit_log SET seq = -seq WHERE seq IN (2, 3); "
     "UPDATE audit_log SET seq = 3 WHERE seq = -2; UPDATE audit_log SET seq = 2 WHERE seq = -3",
     "entry 2 does not follow"),
])
def test_audit_verify_detects_edit_removal_and_reordering(device: Device, paramedic: Session,
                                                         tamper: str, words: str) -> None:
    for name in ("A", "B", "C"):
        patients.register(paramedic, family_name=name)
    assert audit.verify(paramedic.db.conn).ok
    conn = _raw(device, paramedic)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    for statement in tamper.split("; "):
        conn.execute(statement)
    conn.close()
    result = audit.verify(paramedic.db.conn)
    assert not result.ok
    assert words in (result.problem or "")


def test_find_patient_by_nhs_number_or_name_prefix(paramedic: Session) -> None:
    a = patients.register(paramedic, family_name="Smithson", given_name="Ann",
                          nhs_number="9434765919")
    b = patients.register(paramedic, family_name="Smith", given_name="Bob")
    patients.register(paramedic, family_name="Jones", given_name="Smita")
    assert [p["id"] for p in patients.find(paramedic, "943 476 5919")] == [a]
    found = {p["id"] for p in patients.find(paramedic, "smith")}
    assert found == {a, b}  # given name "Smita" is not a prefix match for "smith"
    assert {p["given_name"] for p in patients.find(paramedic, "Smit")} == {"Ann", "Bob", "Smita"}


@pytest.mark.parametrize("fields, field", [
    ({"nhs_number": "9434765918"}, "nhs_number"),
    ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
    ({"date_of_birth": "31/02/1990"}, "date_of_birth"),
    ({"estimated_age": 300}, "estimated_age"),
    ({"sex": "Q"}, "sex"),
])
def test_bad_demographics_are_refused_at_the_field(paramedic: Session, fields: dict,
                                                   field: str) -> None:
    with pytest.raises(ValidationError) as info:
        patients.register(paramedic, **fields)
    assert info.value.field == field


def test_data_directory_is_private(device: Device, tmp_path: Path) -> None:
    assert device.layout.keyslots.stat().st_mode & 0o077 == 0
    assert device.layout.device_key.stat().st_mode & 0o077 == 0


def test_several_events_commit_together_or_not_at_all(paramedic: Session) -> None:
    pid = patients.register(paramedic, family_name="Atomic")
    eid = encounters.open_encounter(paramedic, patient_id=pid, kind="medical")
    before = paramedic.db.scalar("SELECT count(*) FROM events")
    with pytest.raises(ValidationError):
        paramedic.write_all([
            ("encounter.updated", eid, {"priority": 1}),
            ("encounter.updated", "no-such-encounter", {"priority": 2}),
        ])
    assert paramedic.db.scalar("SELECT count(*) FROM events") == before
    assert paramedic.db.scalar("SELECT priority FROM encounters WHERE id = ?", (eid,)) is None
    made = paramedic.write_all([("encounter.updated", eid, {"priority": 1}),
                                ("note.added", None, {"encounter_id": eid, "written_at": "t",
                                                      "text": "both or neither"})])
    assert len(made) == 2 and made[0].id < made[1].id
