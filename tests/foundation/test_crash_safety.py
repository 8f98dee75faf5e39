"""Kill -9 in the middle of a burst of writes: no acknowledged write is lost."""

import os
import random
import signal
import subprocess
import sys
import textwrap

import pytest

from appliance.device import Device

WRITER = textwrap.dedent("""
    import sys
    from appliance.device import Device
    from appliance.records import encounters, patients
    session = Device().login("paramedic", "111111")
    pid = patients.register(session, family_name="Burst")
    eid = encounters.open_encounter(session, patient_id=pid, kind="medical")
    print("ready", flush=True)
    i = 0
    while True:
        nid = encounters.add_note(session, eid, f"note {i}")
        print(nid, flush=True)  # printed only after the commit returned: acknowledged
        i += 1
""")


@pytest.mark.parametrize("round_", range(3))
def test_sigkill_during_writes_loses_no_acknowledged_write(device: Device, round_: int) -> None:
    rng = random.Random(round_)
    kill_after = rng.randint(20, 120)
    proc = subprocess.Popen([sys.executable, "-c", WRITER], stdout=subprocess.PIPE, text=True,
                            env=os.environ.copy())
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    acked = [proc.stdout.readline().strip() for _ in range(kill_after)]
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    # anything it printed before dying was acknowledged too
    acked += [line.strip() for line in proc.stdout.read().splitlines() if line.strip()]

    session = device.login("clinician", "222222")
    try:
        assert session.db.integrity_check() == "ok"
        stored = {r["id"] for r in session.db.query("SELECT id FROM notes")}
        missing = [a for a in acked if a not in stored]
        assert not missing, f"{len(missing)} acknowledged writes lost"
        # every note has its event, outbox row and audit entry
        assert session.db.scalar(
            "SELECT count(*) FROM notes n LEFT JOIN events e ON e.entity_id = n.id "
            "LEFT JOIN outbox o ON o.event_id = e.id WHERE o.event_id IS NULL") == 0
        assert session.verify_audit().ok
    finally:
        session.close()
