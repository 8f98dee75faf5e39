"""Merge rules: union of events, last writer per device, conflicts across devices."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from appliance.ids import new_id
from sync.hub import merge

DEV_A, DEV_B = new_id(), new_id()


def ev(device: str, type_: str, entity_id: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"id": new_id(), "device_id": device, "user_id": None, "recorded_at": "t",
            "type": type_, "entity": payload["entity"] if type_ == "record.amended"
            else type_.split(".")[0], "entity_id": entity_id,
            "payload": payload}


def project(events: list[dict[str, Any]]) -> tuple[dict[str, Any], list[merge.Conflict]]:
    docs: dict[str, merge.Doc] = {}
    conflicts: list[merge.Conflict] = []
    for e in events:  # one at a time, in the order given: arrival order at the hub
        merge.apply_events(docs, [e], conflicts)
    return {k: d.data for k, d in docs.items()}, conflicts


PID = new_id()
ONE_DEVICE = [ev(DEV_A, "patient.registered", PID, {"family_name": "Smith", "sex": "female"}),
              ev(DEV_A, "patient.updated", PID, {"given_name": "Jo"}),
              ev(DEV_A, "patient.updated", PID, {"given_name": "Joanne", "sex": "F"}),
              ev(DEV_A, "record.amended", PID, {"entity": "patient", "field": "family_name",
                                                "new": "Smithe", "reason": "typo"}),
              ev(DEV_A, "observation.recorded", new_id(), {"encounter_id": "E", "pulse": 80}),
              ev(DEV_A, "note.added", new_id(), {"encounter_id": "E", "text": "hello"})]


@settings(max_examples=60, deadline=None)
@given(st.permutations(ONE_DEVICE))
def test_one_devices_events_converge_whatever_order_they_arrive_in(order: list[Any]) -> None:
    state, conflicts = project(order)
    assert state == project(ONE_DEVICE)[0] and conflicts == []
    assert state[f"patient:{PID}"] == {"family_name": "Smithe", "given_name": "Joanne",
                                       "sex": "F"}


def test_observations_and_notes_from_several_devices_simply_union() -> None:
    events = [ev(d, "observation.recorded", new_id(), {"encounter_id": "E", "pulse": p})
              for d, p in ((DEV_A, 80), (DEV_B, 90), (DEV_A, 85))]
    state, conflicts = project(events)
    assert len(state) == 3 and conflicts == []


def test_two_devices_disagreeing_on_a_field_keep_both_values_in_the_queue() -> None:
    pid = new_id()
    state, conflicts = project([
        ev(DEV_A, "patient.registered", pid, {"family_name": "Smith", "given_name": "Jo"}),
        ev(DEV_B, "patient.updated", pid, {"family_name": "Smyth", "given_name": "Jo"})])
    (c,) = conflicts
    assert (c.field, c.value_a, c.device_a, c.value_b, c.device_b) == (
        "family_name", "Smith", DEV_A, "Smyth", DEV_B)
    assert state[f"patient:{pid}"]["family_name"] == "Smith"  # unchanged until decided


def test_events_with_unknown_fields_or_types_are_refused_with_a_reason() -> None:
    pid = new_id()
    assert merge.validate_event(ev(DEV_A, "patient.registered", pid, {"x": 1}), DEV_A) \
        == "unknown field(s) ['x'] for patient"
    assert "unknown event type" in str(merge.validate_event(
        ev(DEV_A, "patient.exploded", pid, {}), DEV_A))
    assert merge.validate_event(ev(DEV_A, "patient.registered", pid, {"family_name": ["a"]}),
                                DEV_A) == "payload must be an object of plain values"
    assert merge.validate_event(ev(DEV_A, "record.amended", pid, {
        "entity": "patient", "field": "family_name", "new": "x"}), DEV_A) \
        == "amendment without a reason"


def test_link_changes_are_reported_in_order_and_an_older_link_never_wins() -> None:
    pid, x, y = new_id(), new_id(), new_id()
    link = ev(DEV_A, "patient.linked", pid, {"linked_to": x})
    change = ev(DEV_A, "record.amended", pid, {"entity": "patient", "field": "linked_to",
                                              "new": y, "reason": "wrong person"})
    removal = ev(DEV_A, "record.amended", pid, {"entity": "patient", "field": "linked_to",
                                               "new": None, "reason": "nobody"})
    docs: dict[str, merge.Doc] = {}
    changes = merge.apply_events(docs, [removal, link, change], [])  # sorted by event id
    assert [(c.old, c.new, c.reason, c.source) for c in changes] == [
        (None, x, None, link["id"]), (x, y, "wrong person", change["id"]),
        (y, None, "nobody", removal["id"])]
    assert {c.decided_by for c in changes} == {f"device:{DEV_A}"}
    docs = {}
    merge.apply_events(docs, [change], [])
    assert merge.apply_events(docs, [link], []) == []  # arrived late: the correction stands
    assert docs[f"patient:{pid}"].data["linked_to"] == y
    unrelated = ev(DEV_A, "patient.updated", pid, {"sex": "M"})
    assert merge.apply_events(docs, [unrelated], []) == []
