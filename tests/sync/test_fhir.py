"""FHIR R4 export: valid resources, NHS number, LOINC vitals, no duplicates on re-export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import fhir.resources.R4B as R4  # a test dependency: missing, the suite fails
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from sync.client import SyncClient
from sync.hub import fhir
from sync.hub.service import Hub
from tests.sync.conftest import enrol_with, record_encounter


def fhir_test_server() -> tuple[Starlette, dict[str, list[dict[str, Any]]]]:
    """A tiny FHIR server that honours conditional updates (PUT Type?identifier=…) in
    transactions: create when no resource has the identifier, else replace it."""
    stored: dict[str, list[dict[str, Any]]] = {}

    async def transaction(request: Request) -> JSONResponse:
        bundle = await request.json()
        assert bundle["type"] == "transaction"
        responses = []
        for entry in bundle["entry"]:
            resource, req = entry["resource"], entry["request"]
            assert req["method"] == "PUT"
            kind, _, search = req["url"].partition("?identifier=")
            assert kind == resource["resourceType"]
            system, _, value = (unquote(part) for part in search.partition("|"))
            pool = stored.setdefault(kind, [])
            found = [i for i, r in enumerate(pool)
                     if {"system": system, "value": value} in r["identifier"]]
            if found:
                pool[found[0]] = resource
                responses.append({"response": {"status": "200 OK"}})
            else:
                pool.append(resource)
                responses.append({"response": {"status": "201 Created"}})
        return JSONResponse({"resourceType": "Bundle", "type": "transaction-response",
                             "entry": responses})

    return Starlette(routes=[Route("/fhir/", transaction, methods=["POST"])]), stored


@pytest.fixture
def synced_hub(make_device: Any, hub: Hub, hub_http: Any) -> Hub:
    session = make_device("a")
    enrol_with(hub, session, hub_http)
    record_encounter(session, family="Jones", nhs="943 476 5919")
    record_encounter(session, family="Khan", nhs=None, observations=1)
    enc = session.db.query("SELECT id FROM encounters ORDER BY id LIMIT 1")[0]["id"]
    session.write("intervention.added", None, {"encounter_id": enc, "kind": "drug",
                                               "name": "Aspirin", "dose": "300",
                                               "dose_unit": "mg", "route": "oral",
                                               "given_at": "2024-05-01T10:05:00+00:00"})
    session.write("intervention.added", None, {"encounter_id": enc, "kind": "procedure",
                                               "name": "12-lead ECG",
                                               "given_at": "2024-05-01T10:06:00+00:00"})
    session.write("assessment.recorded", None, {"encounter_id": enc, "priority": 2,
                                                "assessed_at": "2024-05-01T10:07:00+00:00",
                                                "status": "confirmed", "disposition": "ED"})
    SyncClient(session, http=hub_http).sync_now()
    return hub


def test_every_exported_resource_validates_as_fhir_r4(synced_hub: Hub) -> None:
    bundles = fhir.bundles(synced_hub.store)
    assert len(bundles) == 2
    kinds: set[str] = set()
    for bundle in bundles:
        R4.get_fhir_model_class("Bundle").model_validate(bundle)
        for entry in bundle["entry"]:
            resource = entry["resource"]
            R4.get_fhir_model_class(resource["resourceType"]).model_validate(resource)
            kinds.add(resource["resourceType"])
            assert entry["request"]["url"].startswith(resource["resourceType"] + "?identifier=")
    assert kinds == {"Patient", "Encounter", "Observation", "MedicationAdministration",
                     "Procedure"}


def test_patient_carries_the_nhs_number_and_vitals_are_loinc_coded(synced_hub: Hub) -> None:
    resources = [e["resource"] for b in fhir.bundles(synced_hub.store) for e in b["entry"]]
    nhs = [i for r in resources if r["resourceType"] == "Patient" for i in r["identifier"]
           if i["system"] == "https://fhir.nhs.uk/Id/nhs-number"]
    assert nhs == [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}]
    codes = {c["code"] for r in resources if r["resourceType"] == "Observation"
             for c in r["code"]["coding"]}
    assert {"9279-1", "59408-5", "8867-4", "8310-5", "85354-9", fhir.NEWS2[0]} <= codes
    assert "triage-priority" in codes


def test_re_export_to_a_directory_writes_identical_files(synced_hub: Hub, tmp_path: Path) -> None:
    assert fhir.export_to_directory(synced_hub.store, tmp_path / "a") == 2
    fhir.export_to_directory(synced_hub.store, tmp_path / "b")
    for f in (tmp_path / "a").iterdir():
        assert f.read_bytes() == (tmp_path / "b" / f.name).read_bytes()
        json.loads(f.read_text())


def test_re_export_to_a_fhir_endpoint_creates_no_duplicates(synced_hub: Hub) -> None:
    app, stored = fhir_test_server()
    with TestClient(app) as client:
        fhir.post_to_server(synced_hub.store, "http://testserver/fhir", client=client)
        first = {k: len(v) for k, v in stored.items()}
        fhir.post_to_server(synced_hub.store, "http://testserver/fhir", client=client)
    assert {k: len(v) for k, v in stored.items()} == first
    assert first["Patient"] == 2 and first["Encounter"] == 2


def test_corrections_at_the_hub_reach_the_fhir_server_on_re_export(
        make_device: Any, hub: Hub, hub_http: Any) -> None:
    """A corrected observation and a removed patient link replace what the server holds."""
    from appliance.records import amendments, encounters, matching, patients

    session = make_device("a")
    enrol_with(hub, session, hub_http)
    known = patients.register(session, family_name="Jones", nhs_number="9434765919")
    unknown = patients.register(session, sex="M", estimated_age=40)
    enc = encounters.open_encounter(session, patient_id=unknown, presenting_complaint="fall")
    obs, _ = encounters.record_observation(session, enc, {
        "respiratory_rate": 18, "spo2": 96, "on_oxygen": False, "systolic_bp": 120,
        "diastolic_bp": 80, "pulse": 80, "consciousness": "A", "temperature": 37.1})
    matching.link(session, unknown, known)
    client = SyncClient(session, http=hub_http)
    assert client.sync_now().verified_drained
    app, stored = fhir_test_server()

    def on_server(kind: str, record_id: str) -> list[dict[str, Any]]:
        ident = {"system": f"urn:lifeboat:{kind}", "value": record_id}
        return [r for pool in stored.values() for r in pool if ident in r["identifier"]]

    with TestClient(app) as http:
        fhir.post_to_server(hub.store, "http://testserver/fhir", client=http)
        first = {k: len(v) for k, v in stored.items()}
        assert [p.get("link") for p in on_server("patient", unknown)] == [
            [{"other": {"identifier": {"system": "urn:lifeboat:patient", "value": known}},
              "type": "seealso"}]]
        amendments.amend(session, "observation", obs, "respiratory_rate", 28,
                         "misread: 28, not 18")
        matching.remove_link(session, unknown, "family say it is not Mr Jones")
        assert client.sync_now().verified_drained
        fhir.post_to_server(hub.store, "http://testserver/fhir", client=http)
    assert {k: len(v) for k, v in stored.items()} == first  # replaced, not added
    assert [p.get("link") for p in on_server("patient", unknown)] == [None]
    rates = [o["valueQuantity"]["value"] for o in stored["Observation"]
             if o["code"]["coding"][0]["code"] == fhir.VITALS["respiratory_rate"][0]]
    assert rates == [28]
