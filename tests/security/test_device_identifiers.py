"""Identifiers a device chooses never become paths or URL syntax at the hub: ingest accepts
only Lifeboat ids (ULIDs), FHIR file names come from safe ids, and conditional-update URLs are
percent-encoded. Real device, real hub process on 127.0.0.1, the real ``hub export-fhir``."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from appliance.device import enrol_demo
from appliance.ids import new_id
from appliance.paths import Layout
from bench.processes import HubProcess
from sync import hublink
from sync import protocol as p
from sync.hub import fhir
from sync.hub.service import Hub
from tests.security.conftest import cli

EVIL = "../../../../PWNED"


def evil_events(device_id: str, patient_id: str) -> list[dict[str, object]]:
    base = {"device_id": device_id, "user_id": None, "recorded_at": "2024-05-01T10:00:00Z"}
    return [
        {**base, "id": new_id(), "type": "patient.registered", "entity": "patient",
         "entity_id": patient_id, "payload": {"family_name": "Smith"}},
        {**base, "id": new_id(), "type": "encounter.opened", "entity": "encounter",
         "entity_id": EVIL, "payload": {"patient_id": patient_id,
                                        "opened_at": "2024-05-01T10:00:00Z"}},
        {**base, "id": new_id(), "type": "patient.updated", "entity": "patient",
         "entity_id": "x?identifier=other&_format=json", "payload": {"sex": "male"}},
    ]


def pwned_files(root: Path) -> list[Path]:
    return [f for f in root.rglob("*") if "PWNED" in f.name]


def test_a_path_as_entity_id_is_quarantined_and_never_written(tmp_path: Path) -> None:
    hub = Hub.init(tmp_path / "work" / "hub")
    proc = HubProcess(hub.dir)
    proc.start()
    try:
        device = enrol_demo(Layout(tmp_path / "device"))
        code = hub.enrol_device(device.info.device_id, "RRV 1", device.info.public_key)
        hublink.enrol(device.layout, proc.url, code)
        session = device.login("paramedic", "111111")
        try:
            body = p.canonical({"v": 1, "device_id": session.device_id, "status": {},
                                "events": evil_events(session.device_id, new_id())})
            headers = p.sign_request(session.signing_key(), session.device_id, "POST",
                                     "/v1/sync", body)
        finally:
            session.close()
        response = httpx.post(proc.url + "/v1/sync", content=body, headers=headers)
    finally:
        proc.stop()
    assert response.status_code == 200, response.text
    receipt = response.json()["receipt"]
    assert len(receipt["acked"]) == 1
    assert {q["reason"] for q in receipt["quarantined"]} == {
        "malformed entity id (not a Lifeboat id)"}
    assert len(receipt["quarantined"]) == 2
    assert hub.store.entities("encounter") == []
    hub.close()

    out = tmp_path / "work" / "fhir-out"
    done = cli(tmp_path / "home", "hub", "export-fhir", "--dir", str(hub.dir), "--out",
               str(out))
    assert done.returncode == 0, done.stderr
    assert pwned_files(tmp_path) == []


def test_a_hub_database_from_before_the_check_still_exports_safely(tmp_path: Path) -> None:
    hub = Hub.init(tmp_path / "hub")
    pid = new_id()
    rows = [("patient", pid, {"family_name": "Smith"}),
            ("encounter", EVIL, {"patient_id": pid, "opened_at": "2024-05-01T10:00:00Z"})]
    with hub.store.transaction() as tx:
        for entity, eid, data in rows:
            tx.execute("INSERT INTO entities (key, entity, entity_id, device_id, data, meta, "
                       "updated_at) VALUES (?,?,?,?,?,?,?)",
                       (f"{entity}:{eid}", entity, eid, new_id(), json.dumps(data), "{}",
                        "2024-05-01T10:00:00Z"))
    (bundle,) = fhir.bundles(hub.store)
    urls = [e["request"]["url"] for e in bundle["entry"]]
    assert "Encounter?identifier=urn:lifeboat:encounter|..%2F..%2F..%2F..%2FPWNED" in urls
    assert all("/" not in u.partition("?")[2] for u in urls)
    hub.close()

    out = tmp_path / "fhir-out"
    done = cli(tmp_path / "home", "hub", "export-fhir", "--dir", str(hub.dir), "--out",
               str(out))
    assert done.returncode == 0, done.stderr
    assert pwned_files(tmp_path) == []
    (written,) = out.iterdir()
    assert written.name.startswith("encounter-unsafe-")
    assert json.loads(written.read_text())["identifier"]["value"] == EVIL
