"""FHIR export from the device: the Bundle of one record, written to a folder the crew chooses.

The same transaction Bundle the hub's ``export-fhir`` writes (``sync.hub.fhir``), built from the
record on this device, for an ED whose systems take FHIR from a USB stick while the network is
down. It is plain patient data outside the encrypted store, so it follows the handover export's
rules: never among the device's own files, owner-only, audited with the folder, and deleted
there once ``[security] export_retention_hours`` has passed (``appliance.exports``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from appliance.exports import check_export_folder
from appliance.fsutil import atomic_write_bytes
from appliance.security.roles import Permission
from sync.hub.fhir import encounter_bundle

if TYPE_CHECKING:
    from appliance.session import Session


def export_encounter(session: Session, encounter_id: str, folder: Path) -> Path:
    """Write the record's FHIR Bundle (``fhir-<id>-<time>.json``) into ``folder``."""
    from appliance.records import encounters

    session.require(Permission.EXPORT_HANDOVER)
    target_dir = check_export_folder(session.device.layout.root, folder)
    record = encounters.detail(session, encounter_id)
    patient = record["patient"]
    links = [patient["linked_to"]] if patient.get("linked_to") else []
    bundle = encounter_bundle(record["encounter"], patient, links, {
        "observation": record["observations"], "assessment": record["assessments"],
        "intervention": record["interventions"]})
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = target_dir / f"fhir-{encounter_id[-8:]}-{stamp}.json"
    atomic_write_bytes(target, json.dumps(bundle, indent=2, sort_keys=True).encode(),
                       mode=0o600)
    session.audit("fhir.exported", subject=f"encounter:{encounter_id}",
                  detail={"files": [target.name], "folder": str(target_dir)})
    return target
