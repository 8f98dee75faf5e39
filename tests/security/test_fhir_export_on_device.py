"""The device exports a record as a FHIR Bundle (the hub's Bundle, built from the record here)
under the handover export's rules: the prompt refuses the device's own files and a stick that
is not plugged in, the file is owner-only and audited with its folder, and the next sign-in
after ``export_retention_hours`` deletes it on the stick, touching nothing else there. Real app
screen with Pilot, real SQLCipher record, real files."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

from appliance.device import Device
from bench.seed import seed_encounter
from tests.security.test_export_destinations import Harness, answer, digests
from tests.tui.conftest import settle
from tui.screens.handover import HandoverScreen
from tui.screens.path_prompt import PathPrompt


async def test_fhir_goes_to_the_chosen_stick_never_the_data_dir_and_expires(
        device: Device, tmp_path: Path) -> None:
    from appliance.records import encounters

    root = device.layout.root
    stick = tmp_path / "media" / "STICK"
    stick.mkdir(parents=True)
    session = device.login("paramedic", "111111")
    eid = seed_encounter(session, opened_min_ago=5, family="Zebedee", complaint="chest pain")
    encounters.record_observation(session, eid, {"respiratory_rate": 22, "pulse": 104})
    before = digests(root)
    app = Harness(session, lambda a: HandoverScreen(session, eid, a.clock))
    async with app.run_test(size=(110, 32)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(app.screen, PathPrompt)
        for inside, says in ((root / "keys", "key slots"),
                             (root / "keys" / "keyslots.json", "key slots"),
                             (root / "records.db", "encrypted records"),
                             (root, "data directory")):
            text = await answer(pilot, inside)
            assert says in text and "Nothing was written" in text, (inside, text)
        missing = tmp_path / "media" / "UNPLUGGED"
        assert "plugged in" in await answer(pilot, missing)
        assert not missing.exists()
        assert await answer(pilot, stick) == ""
        await settle(pilot)
    session.close()
    assert digests(root) == before  # nothing among the device's own files
    written = sorted(stick.iterdir())
    assert len(written) == 1 and written[0].name.startswith("fhir-")
    assert stat.S_IMODE(written[0].stat().st_mode) == 0o600
    bundle = json.loads(written[0].read_text())
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert bundle["resourceType"] == "Bundle" and kinds[:2] == ["Patient", "Encounter"]
    assert "Observation" in kinds
    assert bundle["entry"][0]["resource"]["name"][0]["family"].upper() == "ZEBEDEE"

    # A day later, with the stick plugged in again, the next sign-in deletes it (only it).
    day_ago = time.time() - 24 * 3600
    os.utime(written[0], (day_ago, day_ago))
    unrelated = [stick / "fhir-notes.txt", stick / "patients.json"]
    for other in unrelated:
        other.write_text("not ours")
        os.utime(other, (day_ago, day_ago))
    session = device.login("clinician", "222222")
    try:
        audited = [json.loads(r["detail"]) for r in session.db.query(
            "SELECT detail FROM audit_log WHERE action = 'fhir.exported'")]
        expired = [json.loads(r["detail"]) for r in session.db.query(
            "SELECT detail FROM audit_log WHERE action = 'exports.expired'")]
    finally:
        session.close()
    assert audited == [{"files": [written[0].name], "folder": str(stick)}]
    assert sorted(stick.iterdir()) == sorted(unrelated)
    assert expired == [{"files": [str(written[0])]}]
