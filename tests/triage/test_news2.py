"""NEWS2 band edges, incompleteness, scale 2, temperature rounding and who it is not for."""

from __future__ import annotations

import pytest

from appliance.triage import news2

NORMAL = {"respiratory_rate": 16, "spo2": 98, "spo2_scale": 1, "on_oxygen": False,
          "systolic_bp": 120, "pulse": 70, "consciousness": "A", "temperature": 36.8}


def with_(**kw: object) -> dict[str, object]:
    return {**NORMAL, **kw}


@pytest.mark.parametrize(("rr", "points"), [(0, 3), (8, 3), (9, 1), (11, 1), (12, 0), (20, 0),
                                             (21, 2), (24, 2), (25, 3), (60, 3)])
def test_respiratory_rate_edges(rr: int, points: int) -> None:
    assert news2.score(with_(respiratory_rate=rr)).parameters["respiratory_rate"].score == points


@pytest.mark.parametrize(("spo2", "points"), [(91, 3), (92, 2), (93, 2), (94, 1), (95, 1),
                                               (96, 0), (100, 0)])
def test_spo2_scale1_edges(spo2: int, points: int) -> None:
    assert news2.score(with_(spo2=spo2)).parameters["spo2"].score == points


@pytest.mark.parametrize(("spo2", "on_o2", "points"), [
    (83, False, 3), (84, False, 2), (85, True, 2), (86, False, 1), (87, True, 1), (88, False, 0),
    (92, True, 0), (93, False, 0), (99, False, 0), (93, True, 1), (94, True, 1), (95, True, 2),
    (96, True, 2), (97, True, 3), (100, True, 3)])
def test_spo2_scale2_edges(spo2: int, on_o2: bool, points: int) -> None:
    result = news2.score(with_(spo2=spo2, spo2_scale=2, on_oxygen=on_o2))
    assert result.parameters["spo2"].score == points
    assert result.scale == 2


def test_scale_2_is_used_only_when_the_input_says_so() -> None:
    case = {k: v for k, v in with_(spo2=90).items() if k != "spo2_scale"}
    assert news2.score(case).parameters["spo2"].score == 3
    assert news2.score({**case, "spo2_scale": 2}).parameters["spo2"].score == 0


@pytest.mark.parametrize(("sbp", "points"), [(90, 3), (91, 2), (100, 2), (101, 1), (110, 1),
                                              (111, 0), (219, 0), (220, 3)])
def test_systolic_edges(sbp: int, points: int) -> None:
    assert news2.score(with_(systolic_bp=sbp)).parameters["systolic_bp"].score == points


@pytest.mark.parametrize(("pulse", "points"), [(40, 3), (41, 1), (50, 1), (51, 0), (90, 0),
                                                (91, 1), (110, 1), (111, 2), (130, 2), (131, 3)])
def test_pulse_edges(pulse: int, points: int) -> None:
    assert news2.score(with_(pulse=pulse)).parameters["pulse"].score == points


@pytest.mark.parametrize(("temp", "points"), [(35.0, 3), (35.1, 1), (36.0, 1), (36.1, 0),
                                               (38.0, 0), (38.1, 1), (39.0, 1), (39.1, 2)])
def test_temperature_edges(temp: float, points: int) -> None:
    assert news2.score(with_(temperature=temp)).parameters["temperature"].score == points


@pytest.mark.parametrize(("raw", "rounded", "points"), [(36.04, 36.0, 1), (36.05, 36.1, 0),
                                                         (35.04, 35.0, 3), (38.06, 38.1, 1)])
def test_temperature_is_rounded_to_one_decimal_before_scoring(raw: float, rounded: float,
                                                              points: int) -> None:
    p = news2.score(with_(temperature=raw)).parameters["temperature"]
    assert (p.value, p.score) == (rounded, points)


@pytest.mark.parametrize("level", ["C", "V", "P", "U"])
def test_any_consciousness_below_alert_is_a_red_score(level: str) -> None:
    result = news2.score(with_(consciousness=level))
    assert result.red_score and result.red_parameters == ("consciousness",)


@pytest.mark.parametrize(("kw", "band", "monitoring_word"), [
    ({}, "routine", "12-hourly"),
    ({"pulse": 95}, "low", "4–6-hourly"),
    ({"respiratory_rate": 25}, "low-medium", "hourly"),
    ({"respiratory_rate": 21, "systolic_bp": 95, "pulse": 95}, "medium", "urgent clinical"),
    ({"respiratory_rate": 21, "systolic_bp": 95, "pulse": 115, "temperature": 35.5}, "high",
     "continuous"),
])
def test_bands_and_monitoring(kw: dict[str, object], band: str, monitoring_word: str) -> None:
    result = news2.score(with_(**kw))
    assert result.band == band
    assert result.monitoring is not None and monitoring_word in result.monitoring


def test_missing_parameter_is_incomplete_and_never_imputed() -> None:
    case = {k: v for k, v in with_(respiratory_rate=25).items() if k != "pulse"}
    result = news2.score(case)
    assert not result.complete and result.missing == ("pulse",)
    assert "pulse" not in result.parameters
    assert result.total == 3 and result.band == "low-medium"  # a lower bound, still escalates


def test_incomplete_low_score_has_no_reassuring_band() -> None:
    result = news2.score({"pulse": 70})
    assert result.total == 0 and not result.complete and result.band is None


@pytest.mark.parametrize(("age", "pregnant", "word"), [(15.9, None, "under-16s"),
                                                        (30, True, "pregnancy")])
def test_not_validated_for_children_or_pregnancy(age: float, pregnant: bool | None,
                                                 word: str) -> None:
    result = news2.score(NORMAL, age=age, pregnant=pregnant)
    assert not result.applicable and result.total is None
    assert result.note is not None and word in result.note


def test_sixteen_year_olds_are_scored() -> None:
    assert news2.score(NORMAL, age=16).applicable
