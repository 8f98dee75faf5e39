"""Interventions and drugs: a dose always has a unit, routes are picked, times are real."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from appliance.errors import ValidationError
from appliance.records import encounters, interventions
from appliance.session import Session


def test_a_drug_is_saved_with_dose_unit_route_time_and_who(paramedic: Session) -> None:
    enc = encounters.open_encounter(paramedic, presenting_complaint="chest pain")
    iid = interventions.record(paramedic, enc, "drug", "Aspirin", dose="300", dose_unit="mg",
                               route="po")
    row = paramedic.db.query("SELECT * FROM interventions WHERE id = ?", (iid,))[0]
    assert (row["name"], row["dose"], row["dose_unit"], row["route"]) == ("Aspirin", "300",
                                                                          "mg", "PO")
    assert row["given_by"] == "Demo Paramedic"
    assert "Aspirin 300 mg PO" in interventions.describe(row)


@pytest.mark.parametrize(("dose", "unit", "field"), [
    ("300", None, "dose_unit"), ("300", "", "dose_unit"), ("", "mg", "dose"),
    ("300mg", "mg", "dose"), ("-1", "mg", "dose"), ("0", "mg", "dose"),
    ("5", "spoonfuls", "dose_unit"),
])
def test_a_dose_without_a_unit_or_a_number_is_refused_at_the_field(
        paramedic: Session, dose: str, unit: str | None, field: str) -> None:
    enc = encounters.open_encounter(paramedic)
    with pytest.raises(ValidationError) as err:
        interventions.record(paramedic, enc, "drug", "Morphine sulfate", dose=dose,
                             dose_unit=unit, route="IV")
    assert err.value.field == field
    assert paramedic.db.query("SELECT COUNT(*) AS n FROM interventions")[0]["n"] == 0


def test_a_drug_needs_a_known_route_and_a_time_not_in_the_future() -> None:
    with pytest.raises(ValidationError) as err:
        interventions.clean_intervention("drug", "Aspirin", "300", "mg", "ear")
    assert err.value.field == "route"
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    with pytest.raises(ValidationError) as err:
        interventions.clean_intervention("drug", "Aspirin", "300", "mg", "PO", given_at=later)
    assert err.value.field == "given_at"


def test_a_procedure_needs_no_dose() -> None:
    out = interventions.clean_intervention("procedure", "Tourniquet")
    assert out["kind"] == "procedure" and "dose" not in out


def test_every_common_drug_has_a_known_unit_and_route() -> None:
    for drug in interventions.COMMON_DRUGS:
        assert drug.unit in interventions.DOSE_UNITS and drug.route in interventions.ROUTES
    assert interventions.find_drug("aspirin") is not None
