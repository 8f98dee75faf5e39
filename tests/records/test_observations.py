"""An observation set is stored with its NEWS2; the pain score travels with the set."""

from __future__ import annotations

import pytest

from appliance.errors import ValidationError
from appliance.records import encounters
from appliance.session import Session

SET = {"respiratory_rate": 24, "spo2": 93, "on_oxygen": False, "systolic_bp": 120,
       "diastolic_bp": 80, "pulse": 100, "consciousness": "A", "temperature": 37.2}


def test_a_set_with_a_pain_score_is_saved_and_scored_without_it(paramedic: Session) -> None:
    eid = encounters.open_encounter(paramedic)
    oid, _ = encounters.record_observation(paramedic, eid, {**SET, "pain_score": 3,
                                                            "blood_glucose": 5.5})
    row = paramedic.db.query("SELECT * FROM observations WHERE id = ?", (oid,))[0]
    assert (row["pain_score"], row["blood_glucose"]) == (3, 5.5)
    alone, _ = encounters.record_observation(paramedic, eid, SET)
    same = paramedic.db.query("SELECT news2_total FROM observations WHERE id = ?", (alone,))
    assert row["news2_total"] == same[0]["news2_total"]


@pytest.mark.parametrize("pain", [-1, 11, 2.5, "3", True])
def test_a_pain_score_outside_0_to_10_is_refused_and_nothing_saved(
        paramedic: Session, pain: object) -> None:
    eid = encounters.open_encounter(paramedic)
    with pytest.raises(ValidationError) as err:
        encounters.record_observation(paramedic, eid, {**SET, "pain_score": pain})
    assert err.value.field == "pain_score"
    assert paramedic.db.query("SELECT COUNT(*) AS n FROM observations")[0]["n"] == 0
