"""NEWS2 against the 207 peer reference vectors in tests/data (every field, invalid cases too)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from appliance.errors import ValidationError
from appliance.triage import news2
from tests.conftest import DATA

VECTORS_FILE = DATA / "news2_vectors.jsonl"


def _load() -> list[dict[str, Any]]:
    with VECTORS_FILE.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


VECTORS = _load()
PARAM_NAME = {"spo2_scale1": "spo2", "spo2_scale2": "spo2"}


def test_the_reference_file_holds_all_207_cases() -> None:
    assert len(VECTORS) == 207


@pytest.mark.parametrize("case", VECTORS, ids=[c["id"] for c in VECTORS])
def test_vector(case: dict[str, Any]) -> None:
    if case.get("expected_error"):
        with pytest.raises(ValidationError) as info:
            news2.score(case["input"])
        assert info.value.field and info.value.field.startswith("vitals.")
        return
    result = news2.score(case["input"])
    assert result.complete and result.applicable
    assert result.total == case["expected_total"]
    if "expected_red_score" in case:
        assert result.red_score is case["expected_red_score"]
    if "expected_band_rcp" in case:
        assert result.band == case["expected_band_rcp"]
    if case["level"] == "parameter":
        name = PARAM_NAME.get(case["parameter"], case["parameter"])
        assert result.parameters[name].score == case["expected_parameter_score"]
        assert result.parameters[name].value == case["input"][name]
    if result.red_score:
        assert all(result.parameters[p].score == 3 for p in result.red_parameters)
