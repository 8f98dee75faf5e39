"""Named, ordered, transactional migrations, applied on open.

A database that has applied a migration this code does not know was written by a newer Lifeboat:
it is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlcipher3

from appliance.errors import StoreVersionError
from appliance.store.database import Database

Migration = Callable[[sqlcipher3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(name: str) -> Callable[[Migration], Migration]:
    def register(fn: Migration) -> Migration:
        MIGRATIONS.append((name, fn))
        return fn
    return register


def apply(database: Database) -> list[str]:
    """Apply pending migrations, each in its own transaction; return the names applied."""
    with database.transaction() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS _migrations "
                     "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {r["name"] for r in database.query("SELECT name FROM _migrations")}
    known = {name for name, _ in MIGRATIONS}
    unknown = sorted(done - known)
    if unknown:
        raise StoreVersionError(
            f"The record database was written by a newer Lifeboat (migrations {unknown}).",
            hint="Upgrade Lifeboat on this device; do not downgrade over live data.")
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        with database.transaction() as conn:
            fn(conn)
            conn.execute("INSERT INTO _migrations VALUES (?, ?)",
                         (name, datetime.now(UTC).isoformat()))
        applied.append(name)
    return applied


_APPEND_ONLY = """
CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t}
BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END;
CREATE TRIGGER {t}_no_delete BEFORE DELETE ON {t}
BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END;
"""


def run_script(conn: sqlcipher3.Connection, script: str) -> None:
    """Execute statements one by one: ``executescript`` would COMMIT the open transaction."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlcipher3.complete_statement(buffer):
            conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement: {buffer[:60]!r}")


@migration("0001_initial")
def _initial(conn: sqlcipher3.Connection) -> None:
    run_script(conn, """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE users (
        id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
        role TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT,
        disabled_at TEXT, disabled_by TEXT);
    CREATE TABLE patients (
        id TEXT PRIMARY KEY, nhs_number TEXT, family_name TEXT, given_name TEXT,
        date_of_birth TEXT, estimated_age INTEGER, sex TEXT, unknown INTEGER NOT NULL DEFAULT 0,
        linked_to TEXT, created_at TEXT NOT NULL, created_by TEXT, updated_at TEXT);
    CREATE INDEX patients_nhs ON patients(nhs_number);
    CREATE INDEX patients_family ON patients(family_name COLLATE NOCASE);
    CREATE INDEX patients_given ON patients(given_name COLLATE NOCASE);
    CREATE TABLE encounters (
        id TEXT PRIMARY KEY, patient_id TEXT REFERENCES patients(id), opened_at TEXT NOT NULL,
        opened_by TEXT, closed_at TEXT, status TEXT NOT NULL DEFAULT 'open', area TEXT,
        kind TEXT, presenting_complaint TEXT, incident_time TEXT, location TEXT,
        mechanism TEXT, call_category TEXT, arrival TEXT, priority INTEGER,
        priority_name TEXT, disposition TEXT, updated_at TEXT);
    CREATE INDEX encounters_open ON encounters(status, priority, opened_at);
    CREATE INDEX encounters_patient ON encounters(patient_id);
    CREATE TABLE observations (
        id TEXT PRIMARY KEY, encounter_id TEXT NOT NULL REFERENCES encounters(id),
        taken_at TEXT NOT NULL, respiratory_rate INTEGER, spo2 INTEGER, spo2_scale INTEGER,
        on_oxygen INTEGER, systolic_bp INTEGER, diastolic_bp INTEGER, pulse INTEGER,
        consciousness TEXT, temperature REAL, capillary_refill_s REAL, pain_score INTEGER,
        blood_glucose REAL, news2_total INTEGER, news2_complete INTEGER,
        recorded_by TEXT, recorded_at TEXT);
    CREATE INDEX observations_encounter ON observations(encounter_id, taken_at);
    CREATE TABLE assessments (
        id TEXT PRIMARY KEY, encounter_id TEXT NOT NULL REFERENCES encounters(id),
        assessed_at TEXT NOT NULL, priority INTEGER, disposition TEXT, result_json TEXT,
        rules_version TEXT, pack_version TEXT, model_hash TEXT, prompt_version TEXT,
        status TEXT NOT NULL DEFAULT 'proposed', final_priority INTEGER,
        final_disposition TEXT, override_reason TEXT, decided_by TEXT, decided_at TEXT,
        recorded_by TEXT);
    CREATE INDEX assessments_encounter ON assessments(encounter_id, assessed_at);
    CREATE TABLE interventions (
        id TEXT PRIMARY KEY, encounter_id TEXT NOT NULL REFERENCES encounters(id),
        given_at TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, dose TEXT,
        dose_unit TEXT, route TEXT, given_by TEXT, recorded_by TEXT);
    CREATE INDEX interventions_encounter ON interventions(encounter_id);
    CREATE TABLE notes (
        id TEXT PRIMARY KEY, encounter_id TEXT NOT NULL REFERENCES encounters(id),
        written_at TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'note', text TEXT NOT NULL,
        author TEXT, model_written INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX notes_encounter ON notes(encounter_id);
    CREATE TABLE amendments (
        id TEXT PRIMARY KEY, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
        field TEXT NOT NULL, old_value TEXT, new_value TEXT, reason TEXT NOT NULL,
        amended_by TEXT, amended_at TEXT NOT NULL);
    CREATE INDEX amendments_entity ON amendments(entity, entity_id);
    CREATE TABLE events (
        id TEXT PRIMARY KEY, device_id TEXT NOT NULL, user_id TEXT, recorded_at TEXT NOT NULL,
        type TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
        payload TEXT NOT NULL);
    CREATE INDEX events_entity ON events(entity, entity_id);
    CREATE TABLE outbox (
        event_id TEXT PRIMARY KEY REFERENCES events(id), queued_at TEXT NOT NULL,
        acked_at TEXT, receipt_id TEXT, quarantined_at TEXT, quarantine_reason TEXT);
    CREATE INDEX outbox_pending ON outbox(acked_at, event_id);
    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY, at TEXT NOT NULL, device_id TEXT NOT NULL, user_id TEXT,
        action TEXT NOT NULL, subject TEXT, detail TEXT, prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL);
    """)
    run_script(conn, _APPEND_ONLY.format(t="events"))
    run_script(conn, _APPEND_ONLY.format(t="audit_log"))


@migration("0002_patient_allergies_medications")
def _allergies_medications(conn: sqlcipher3.Connection) -> None:
    # Free text as the clinician records it ("penicillin - rash"): asked at every contact and
    # read back at handover, so kept with the patient rather than in a note.
    run_script(conn, """
    ALTER TABLE patients ADD COLUMN allergies TEXT;
    ALTER TABLE patients ADD COLUMN medications TEXT;
    """)
