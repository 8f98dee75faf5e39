"""Handover exports are patient data in plain files: they are deleted at the first sign-in
after ``[security] export_retention_hours``, and the deletion is audited. Real device, real
handover export, real files."""

from __future__ import annotations

import os
import time
from pathlib import Path

from appliance.device import Device
from appliance.records import encounters, handover, patients


def test_old_handover_files_are_deleted_at_sign_in(device: Device, tmp_path: Path) -> None:
    session = device.login("paramedic", "111111")
    pid = patients.register(session, family_name="Smith")
    eid = encounters.open_encounter(session, patient_id=pid, presenting_complaint="chest pain")
    old_txt, old_html = handover.export(session, handover.generate(
        encounters.detail(session, eid)))
    session.close()
    day_ago = time.time() - 24 * 3600
    for f in (old_txt, old_html):
        os.utime(f, (day_ago, day_ago))
    unrelated = device.layout.exports / "amb.lbundle"
    unrelated.write_bytes(b"encrypted bundle")
    os.utime(unrelated, (day_ago, day_ago))

    session = device.login("paramedic", "111111")
    other = encounters.open_encounter(session, patient_id=pid, presenting_complaint="fall")
    fresh_txt, fresh_html = handover.export(
        session, handover.generate(encounters.detail(session, other)))
    session.close()
    session = device.login("clinician", "222222")
    try:
        audited = [r["detail"] for r in session.db.query(
            "SELECT detail FROM audit_log WHERE action = 'exports.expired'")]
    finally:
        session.close()
    assert not old_txt.exists() and not old_html.exists()
    assert fresh_txt.exists() and fresh_html.exists() and unrelated.exists()
    assert len(audited) == 1 and old_txt.name in audited[0]
