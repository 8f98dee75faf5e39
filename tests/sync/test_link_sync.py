"""A link corrected on a device is corrected at the hub and in the FHIR export."""

from __future__ import annotations

import json
from typing import Any

from appliance.records import encounters, matching, patients
from sync.client import SyncClient
from sync.hub import fhir
from sync.hub.service import Hub
from tests.sync.conftest import enrol_with


def _fhir_links(hub: Hub, patient_id: str) -> list[str]:
    """The patients the exported Patient resource for ``patient_id`` links to."""
    ident = {"system": "urn:lifeboat:patient", "value": patient_id}
    found = [e["resource"] for b in fhir.bundles(hub.store) for e in b["entry"]
             if e["resource"]["resourceType"] == "Patient"
             and ident in e["resource"]["identifier"]]
    assert found, "the patient's encounter was exported"
    return sorted(link["other"]["identifier"]["value"]
                  for p in found for link in p.get("link", []))


def test_changing_then_removing_a_link_on_a_device_is_followed_by_the_hub(
        make_device: Any, hub: Hub, hub_http: Any) -> None:
    session = make_device("a")
    enrol_with(hub, session, hub_http)
    wrong = patients.register(session, family_name="Patel", nhs_number="9434765919")
    right = patients.register(session, family_name="Patil", given_name="Raj")
    unknown = patients.register(session, sex="M", estimated_age=40)
    encounters.open_encounter(session, patient_id=unknown, presenting_complaint="collapse")
    client = SyncClient(session, http=hub_http)

    def linked() -> list[set[str]]:
        return [{m["patient_a"], m["patient_b"]} for m in hub.store.matches("linked")]

    matching.link(session, unknown, wrong)
    client.sync_now()
    assert linked() == [{unknown, wrong}] and _fhir_links(hub, unknown) == [wrong]

    matching.change_link(session, unknown, right, "it is Raj Patil, not Mr Patel")
    assert client.sync_now().verified_drained
    assert linked() == [{unknown, right}] and _fhir_links(hub, unknown) == [right]
    assert [{m["patient_a"], m["patient_b"]} for m in hub.store.matches("unlinked")] == [
        {unknown, wrong}]

    matching.remove_link(session, unknown, "family say he is neither")
    assert client.sync_now().verified_drained
    assert linked() == [] and _fhir_links(hub, unknown) == []
    assert [(h["status"], h["reason"]) for h in hub.store.match_history()] == [
        ("linked", "linked on device"), ("unlinked", "it is Raj Patil, not Mr Patel"),
        ("linked", "it is Raj Patil, not Mr Patel"), ("unlinked", "family say he is neither")]
    assert len(hub.store.entities("patient")) == 3  # nothing merged or deleted
    _conflicts_command_shows_the_unlinked_pairs_and_history(hub, unknown, wrong, right)


def _conflicts_command_shows_the_unlinked_pairs_and_history(
        hub: Hub, unknown: str, wrong: str, right: str) -> None:
    """What IT sees with ``lifeboat hub conflicts``: both links taken back, and why, in order."""
    import contextlib
    import io

    from tui.cli import main

    def run(*args: str) -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["hub", "conflicts", "--dir", str(hub.dir), *args]) == 0
        return out.getvalue()

    data = json.loads(run("--history", "--json"))
    pairs = sorted(sorted((m["patient_a"], m["patient_b"])) for m in data["unlinked"])
    assert pairs == sorted([sorted((unknown, wrong)), sorted((unknown, right))])
    assert [h["status"] for h in data["match_history"]] == ["linked", "unlinked", "linked",
                                                            "unlinked"]
    text = run("--history")
    assert text.count("unlinked ") == 2 + 2  # two pairs, two history lines
    assert "family say he is neither" in text and "Link history (oldest first):" in text
    assert "Link history" not in run()  # only when asked
