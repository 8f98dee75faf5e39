"""Allergies and current medications: carried by sync, exported as AllergyIntolerance and
MedicationStatement."""

from __future__ import annotations

from typing import Any

import fhir.resources.R4B as R4  # a test dependency: missing, the suite fails

from sync.client import SyncClient
from sync.hub import fhir
from sync.hub.merge import validate_event
from sync.hub.service import Hub
from tests.sync.conftest import enrol_with, record_encounter


def test_allergies_and_medications_reach_the_hub_and_the_fhir_export(
        make_device: Any, hub: Hub, hub_http: Any) -> None:
    from appliance.records import patients

    session = make_device("a")
    enrol_with(hub, session, hub_http)
    enc = record_encounter(session, family="Jones", observations=1)
    pid = session.db.query("SELECT patient_id FROM encounters WHERE id = ?", (enc,))[0][
        "patient_id"]
    patients.update(session, pid, allergies="penicillin - rash", medications="ramipril 5mg od")
    assert SyncClient(session, http=hub_http).sync_now().verified_drained
    [bundle] = fhir.bundles(hub.store)
    resources = {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}
    for resource in resources.values():
        R4.get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    assert resources["AllergyIntolerance"]["code"] == {"text": "penicillin - rash"}
    assert resources["MedicationStatement"]["medicationCodeableConcept"] == {
        "text": "ramipril 5mg od"}
    patient_url = next(e["fullUrl"] for e in bundle["entry"]
                       if e["resource"]["resourceType"] == "Patient")
    assert resources["AllergyIntolerance"]["patient"] == {"reference": patient_url}


def test_no_known_allergies_is_coded_and_nothing_recorded_exports_nothing() -> None:
    none_known = fhir.history_resources({"id": "p1", "allergies": "NKDA"}, "urn:uuid:x")
    [allergy] = [e["resource"] for e in none_known]
    assert allergy["code"]["coding"][0]["code"] == fhir.NO_KNOWN_ALLERGY[0]
    assert fhir.history_resources({"id": "p2", "allergies": None, "medications": ""},
                                  "urn:uuid:y") == []


def test_the_hub_accepts_the_new_fields_and_still_refuses_unknown_ones() -> None:
    event = {"id": "01HZZZZZZZZZZZZZZZZZZZZZZZ", "device_id": "d", "user_id": None,
             "recorded_at": "2024-05-01T10:00:00+00:00", "type": "patient.updated",
             "entity": "patient", "entity_id": "01HZZZZZZZZZZZZZZZZZZZZZZY",
             "payload": {"allergies": "latex", "medications": "none"}}
    assert validate_event(event, "d") is None
    event["payload"] = {"allergy": "latex"}
    assert validate_event(event, "d") == "unknown field(s) ['allergy'] for patient"
