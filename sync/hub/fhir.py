"""FHIR R4 export: one transaction Bundle per encounter.

Each Bundle holds the Patient (NHS number identifier, system https://fhir.nhs.uk/Id/nhs-number),
the Encounter, vital-sign Observations coded with LOINC, the NEWS2 total (SNOMED CT), the triage
assessment, Procedures and MedicationAdministrations, and the patient's recorded allergies and
current medications (AllergyIntolerance, MedicationStatement; free text as recorded). Every
entry is a conditional update (``PUT Type?identifier=<Lifeboat identifier>``): the server
creates the resource the first time
and replaces it afterwards, so posting the same records again creates nothing new, and what
changed at the hub since the last export reaches the server (a corrected observation, a patient
link changed or removed on a device). A conditional create (``ifNoneExist``) kept the first
version forever. Full URLs are derived from record ids, so a re-export to a directory writes
identical files.
Patients are matched on the Lifeboat identifier, never on the NHS number alone, so two records a
clinician has not linked are never merged by the receiving server.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from appliance.errors import SyncError
from appliance.fsutil import atomic_write_bytes
from sync.hub.storage import HubStore
from sync.protocol import is_ulid

NHS_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
ID_SYSTEM = "urn:lifeboat:{}"
_NS = uuid.UUID("6f1d1c8e-3a53-4c3e-9a4e-4c1f0b7a2d11")

# device field -> (LOINC code, display, UCUM unit)
VITALS = {
    "respiratory_rate": ("9279-1", "Respiratory rate", "/min"),
    "spo2": ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%"),
    "pulse": ("8867-4", "Heart rate", "/min"),
    "temperature": ("8310-5", "Body temperature", "Cel"),
    "blood_glucose": ("15074-8", "Glucose [Moles/volume] in Blood", "mmol/L"),
    "pain_score": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
                   "{score}"),
}
BP_PANEL = ("85354-9", "Blood pressure panel with all children optional")
NEWS2 = ("1104051000000101", "Royal College of Physicians National Early Warning Score 2 "
         "(NEWS2) total score")
PRIORITY_NAMES = {1: "P1 Immediate", 2: "P2 Urgent", 3: "P3 Delayed", 4: "P4 Standard",
                  5: "P5 Non-urgent"}


def full_url(kind: str, record_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NS, f'{kind}:{record_id}')}"


def _ident(kind: str, value: str) -> dict[str, str]:
    return {"system": ID_SYSTEM.format(kind), "value": value}


def _entry(resource: dict[str, Any], url: str, ident: dict[str, str]) -> dict[str, Any]:
    # Percent-encoded, so no identifier can add a parameter or path to the server's URL.
    search = f"{quote(ident['system'], safe=':')}|{quote(ident['value'], safe='')}"
    return {"fullUrl": url, "resource": resource,
            "request": {"method": "PUT", "url": f"{resource['resourceType']}?identifier="
                                               f"{search}"}}


def _gender(sex: Any) -> str:
    text = str(sex or "").strip().lower()
    return {"f": "female", "female": "female", "m": "male", "male": "male",
            "other": "other"}.get(text, "unknown")


def patient_resource(p: dict[str, Any], links: list[str]) -> dict[str, Any]:
    identifiers = [_ident("patient", p["id"])]
    if p.get("nhs_number"):
        identifiers.insert(0, {"system": NHS_SYSTEM,
                               "value": "".join(c for c in str(p["nhs_number"]) if c.isdigit())})
    res: dict[str, Any] = {"resourceType": "Patient", "identifier": identifiers,
                           "gender": _gender(p.get("sex"))}
    name = {k: v for k, v in (("family", p.get("family_name")),
                              ("given", [p["given_name"]] if p.get("given_name") else None)) if v}
    if name:
        res["name"] = [name]
    if p.get("date_of_birth"):
        res["birthDate"] = str(p["date_of_birth"])[:10]
    if links:
        res["link"] = [{"other": {"identifier": _ident("patient", other)}, "type": "seealso"}
                       for other in links]
    return res


NO_KNOWN_ALLERGY = ("716186003", "No known allergy")
_NONE_KNOWN = {"nka", "nkda", "none", "none known", "no known allergies", "no known allergy"}


def history_resources(p: dict[str, Any], pat: str) -> list[dict[str, Any]]:
    """The patient's allergies and current medications, one resource each, as recorded."""
    out = []
    allergies = str(p.get("allergies") or "").strip()
    if allergies:
        ident = _ident("allergies", p["id"])
        code: dict[str, Any] = {"text": allergies}
        if allergies.lower().rstrip(".") in _NONE_KNOWN:
            code["coding"] = [{"system": SNOMED, "code": NO_KNOWN_ALLERGY[0],
                               "display": NO_KNOWN_ALLERGY[1]}]
        out.append(_entry({
            "resourceType": "AllergyIntolerance", "identifier": [ident],
            "clinicalStatus": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                "code": "active"}]},
            "verificationStatus": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/"
                          "allergyintolerance-verification", "code": "unconfirmed"}]},
            "code": code, "patient": {"reference": pat}}, full_url("allergies", p["id"]), ident))
    medications = str(p.get("medications") or "").strip()
    if medications:
        ident = _ident("medications", p["id"])
        out.append(_entry({
            "resourceType": "MedicationStatement", "identifier": [ident], "status": "active",
            "medicationCodeableConcept": {"text": medications},
            "subject": {"reference": pat}}, full_url("medications", p["id"]), ident))
    return out


def _obs(obs: dict[str, Any], code: dict[str, Any], suffix: str, pat: str, enc: str,
         category: str = "vital-signs") -> tuple[dict[str, Any], str, dict[str, str]]:
    ident = _ident("observation", f"{obs['id']}/{suffix}")
    res = {"resourceType": "Observation", "identifier": [ident], "status": "final",
           "category": [{"coding": [{
               "system": "http://terminology.hl7.org/CodeSystem/observation-category",
               "code": category}]}],
           "code": code, "subject": {"reference": pat}, "encounter": {"reference": enc},
           "effectiveDateTime": obs["taken_at"]}
    return res, full_url("observation", ident["value"]), ident


def _qty(value: Any, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def observation_resources(obs: dict[str, Any], pat: str, enc: str) -> list[dict[str, Any]]:
    out = []
    for field, (code, display, unit) in VITALS.items():
        if obs.get(field) is not None:
            res, url, ident = _obs(obs, {"coding": [{"system": LOINC, "code": code,
                                                      "display": display}]}, field, pat, enc)
            res["valueQuantity"] = _qty(obs[field], unit)
            out.append(_entry(res, url, ident))
    if obs.get("systolic_bp") is not None or obs.get("diastolic_bp") is not None:
        res, url, ident = _obs(obs, {"coding": [{"system": LOINC, "code": BP_PANEL[0],
                                                  "display": BP_PANEL[1]}]}, "bp", pat, enc)
        res["component"] = [
            {"code": {"coding": [{"system": LOINC, "code": c, "display": d}]},
             "valueQuantity": _qty(obs[f], "mm[Hg]")}
            for f, c, d in (("systolic_bp", "8480-6", "Systolic blood pressure"),
                            ("diastolic_bp", "8462-4", "Diastolic blood pressure"))
            if obs.get(f) is not None]
        out.append(_entry(res, url, ident))
    if obs.get("consciousness"):
        res, url, ident = _obs(obs, {"coding": [{"system": LOINC, "code": "67775-7",
                                                  "display": "Level of responsiveness"}]},
                               "acvpu", pat, enc)
        res["valueCodeableConcept"] = {"text": str(obs["consciousness"])}
        out.append(_entry(res, url, ident))
    if obs.get("news2_total") is not None:
        res, url, ident = _obs(obs, {"coding": [{"system": SNOMED, "code": NEWS2[0],
                                                  "display": NEWS2[1]}]}, "news2", pat, enc,
                               category="survey")
        res["valueInteger"] = int(obs["news2_total"])
        if not obs.get("news2_complete"):
            res["status"] = "preliminary"  # a score from incomplete observations
        out.append(_entry(res, url, ident))
    return out


def assessment_resource(a: dict[str, Any], pat: str, enc: str) -> dict[str, Any]:
    priority = a.get("final_priority") or a.get("priority")
    ident = _ident("assessment", a["id"])
    res: dict[str, Any] = {
        "resourceType": "Observation", "identifier": [ident],
        "status": "final" if a.get("status") in ("confirmed", "overridden") else "preliminary",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey"}]}],
        "code": {"coding": [{"system": ID_SYSTEM.format("code"), "code": "triage-priority",
                             "display": "Lifeboat triage priority"}], "text": "Triage priority"},
        "subject": {"reference": pat}, "encounter": {"reference": enc},
        "effectiveDateTime": a["assessed_at"],
        "valueCodeableConcept": {"text": PRIORITY_NAMES.get(priority, f"P{priority}")
                                 if priority else "Not triaged"}}
    notes = [f"{k.replace('_', ' ')}: {a[k]}" for k in
             ("final_disposition", "disposition", "override_reason", "rules_version")
             if a.get(k)]
    if notes:
        res["note"] = [{"text": n} for n in notes]
    return _entry(res, full_url("assessment", a["id"]), ident)


def intervention_resource(i: dict[str, Any], pat: str, enc: str) -> dict[str, Any]:
    ident = _ident("intervention", i["id"])
    if i.get("kind") == "drug":
        dosage: dict[str, Any] = {}
        try:
            dosage["dose"] = {"value": float(str(i.get("dose"))), "unit": i.get("dose_unit") or ""}
        except ValueError:
            if i.get("dose"):
                dosage["text"] = f"{i['dose']} {i.get('dose_unit') or ''}".strip()
        if i.get("route"):
            dosage["route"] = {"text": str(i["route"])}
        res: dict[str, Any] = {
            "resourceType": "MedicationAdministration", "identifier": [ident],
            "status": "completed", "medicationCodeableConcept": {"text": i["name"]},
            "subject": {"reference": pat}, "context": {"reference": enc},
            "effectiveDateTime": i["given_at"]}
        if dosage:
            res["dosage"] = dosage
    else:
        res = {"resourceType": "Procedure", "identifier": [ident], "status": "completed",
               "code": {"text": i["name"]}, "subject": {"reference": pat},
               "encounter": {"reference": enc}, "performedDateTime": i["given_at"]}
    return _entry(res, full_url("intervention", i["id"]), ident)


def bundles(store: HubStore) -> list[dict[str, Any]]:
    """One transaction Bundle per encounter at the hub, in a stable order."""
    patients = {p["id"]: p for p in store.entities("patient")}
    links: dict[str, list[str]] = {}
    for m in store.matches("linked"):
        links.setdefault(m["patient_a"], []).append(m["patient_b"])
        links.setdefault(m["patient_b"], []).append(m["patient_a"])
    by_encounter: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for kind in ("observation", "assessment", "intervention"):
        for row in store.entities(kind):
            by_encounter.setdefault(row.get("encounter_id") or "", {}).setdefault(
                kind, []).append(row)
    out = []
    for enc in store.entities("encounter"):
        patient = patients.get(enc.get("patient_id") or "")
        if patient is None or not enc.get("opened_at"):
            continue  # the patient's events have not reached the hub yet
        out.append(encounter_bundle(enc, patient, sorted(links.get(patient["id"], [])),
                                    by_encounter.get(enc["id"], {})))
    return out


def encounter_bundle(enc: dict[str, Any], patient: dict[str, Any], links: list[str],
                     related: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The transaction Bundle of one encounter: its patient (linked to ``links``), and the
    ``related`` observations, assessments and interventions (rows as the record holds them)."""
    pat_url, enc_url = full_url("patient", patient["id"]), full_url("encounter", enc["id"])
    entries = [_entry(patient_resource(patient, links), pat_url,
                      _ident("patient", patient["id"])),
               *history_resources(patient, pat_url)]
    enc_ident = _ident("encounter", enc["id"])
    encounter: dict[str, Any] = {
        "resourceType": "Encounter", "identifier": [enc_ident],
        "status": "finished" if enc.get("closed_at") or enc.get("status") == "closed"
        else "in-progress",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                  "code": "EMER", "display": "emergency"},
        "subject": {"reference": pat_url},
        "period": {k: v for k, v in (("start", enc.get("opened_at")),
                                     ("end", enc.get("closed_at"))) if v}}
    if enc.get("presenting_complaint"):
        encounter["reasonCode"] = [{"text": enc["presenting_complaint"]}]
    entries.append(_entry(encounter, enc_url, enc_ident))
    for obs in related.get("observation", []):
        entries += observation_resources(obs, pat_url, enc_url)
    entries += [assessment_resource(a, pat_url, enc_url)
                for a in related.get("assessment", []) if a.get("assessed_at")]
    entries += [intervention_resource(i, pat_url, enc_url)
                for i in related.get("intervention", []) if i.get("given_at")]
    return {"resourceType": "Bundle", "type": "transaction",
            "identifier": _ident("bundle", enc["id"]), "entry": entries}


def export_to_directory(store: HubStore, directory: Path) -> int:
    """Write one JSON file per encounter; returns the number of Bundles."""
    items = bundles(store)
    for b in items:
        target = directory / f"encounter-{safe_file_id(b['identifier']['value'])}.json"
        if target.parent != directory:
            raise SyncError(f"Refusing to write {target} outside {directory}.")
        atomic_write_bytes(target, json.dumps(b, indent=2, sort_keys=True).encode(), mode=0o600)
    return len(items)


def safe_file_id(record_id: str) -> str:
    """``record_id`` when it is a well-formed id, else a hash of it: file names never carry
    what a device chose (the hub accepts only ULIDs, but a database may predate that check)."""
    if is_ulid(record_id):
        return record_id
    return "unsafe-" + hashlib.sha256(record_id.encode("utf-8")).hexdigest()[:32]


def post_to_server(store: HubStore, base_url: str, *, client: Any | None = None) -> int:
    """POST every Bundle to a FHIR server's base URL; returns the number sent."""
    import httpx

    http = client or httpx.Client(timeout=60.0)
    try:
        sent = 0
        for b in bundles(store):
            try:
                r = http.post(base_url.rstrip("/") + "/", json=b,
                              headers={"content-type": "application/fhir+json"})
            except httpx.HTTPError as exc:
                raise SyncError(f"Cannot reach the FHIR server at {base_url}: {exc}.",
                                hint=f"{sent} Bundle(s) were sent; re-running is safe.") from exc
            if r.status_code >= 300:
                raise SyncError(f"The FHIR server refused a Bundle (HTTP {r.status_code}).",
                                hint=f"{sent} Bundle(s) were sent; re-running is safe.")
            sent += 1
        return sent
    finally:
        if client is None:
            http.close()
