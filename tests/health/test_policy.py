"""The power/disk policy, driven by injected readings at every threshold edge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appliance.config import PowerSettings
from appliance.errors import DiskFullError
from appliance.health.policy import MB, PowerState, evaluate, require_free_disk
from appliance.health.readings import Readings

SETTINGS = PowerSettings()  # low 20 %, critical 5 %, 500 MB spare


def sample(**overrides: object) -> Readings:
    """A healthy machine on mains power unless the test says otherwise."""
    base = Readings(data_dir="/data", disk_free_bytes=50_000 * MB, disk_total_bytes=100_000 * MB,
                    memory_available_bytes=4_000 * MB, memory_total_bytes=8_000 * MB,
                    cpu_count=2, cpu_load_1m=0.5, battery_percent=None, plugged_in=None)
    return replace(base, **overrides)  # type: ignore[arg-type]


def on_battery(percent: float, **kw: object) -> Readings:
    return sample(battery_percent=percent, plugged_in=False, **kw)


def test_healthy_machine_on_mains_is_ok_with_full_assistant() -> None:
    state = evaluate(sample(), SETTINGS)
    assert state == replace(state, level="ok", assistant_threads_factor=1.0,
                            assistant_paused=False, flush_now=False,
                            large_operations_allowed=True, messages=())
    assert state.status_line() == "Mains power · Disk 48.8 GB free"


@pytest.mark.parametrize("percent", [20.0, 20.1, 100.0])
def test_battery_at_or_above_20_percent_is_ok(percent: float) -> None:
    state = evaluate(on_battery(percent), SETTINGS)
    assert (state.level, state.assistant_threads_factor) == ("ok", 1.0)


@pytest.mark.parametrize("percent", [19.9, 10.0, 5.0])
def test_battery_below_20_percent_on_battery_slows_the_assistant(percent: float) -> None:
    state = evaluate(on_battery(percent), SETTINGS)
    assert state.level == "low"
    assert state.assistant_threads_factor == 0.5
    assert not state.assistant_paused and not state.flush_now
    assert "charger" in state.messages[0]
    assert state.status_line().startswith("LOW · Battery")
    assert "assistant slowed" in state.status_line()


@pytest.mark.parametrize("percent", [4.9, 1.0, 0.0])
def test_battery_below_5_percent_on_battery_pauses_flushes_and_advises(percent: float) -> None:
    state = evaluate(on_battery(percent, battery_seconds_left=240), SETTINGS)
    assert state.level == "critical"
    assert state.assistant_paused and state.flush_now
    assert state.pause_reason == "low battery"
    assert state.threads(4) == 0
    assert "4 min left" in state.messages[0]
    assert "paper" in state.messages[0]
    assert state.status_line().startswith("CRITICAL · Battery")


@pytest.mark.parametrize("percent", [19.9, 4.9, 0.0])
def test_low_charge_while_plugged_in_is_not_a_concern(percent: float) -> None:
    state = evaluate(sample(battery_percent=percent, plugged_in=True), SETTINGS)
    assert (state.level, state.assistant_threads_factor, state.messages) == ("ok", 1.0, ())
    assert "(charging)" in state.status_line()


def test_unknown_charger_state_counts_as_battery_power() -> None:
    assert evaluate(sample(battery_percent=3.0, plugged_in=None), SETTINGS).level == "critical"


def test_thresholds_come_from_settings() -> None:
    strict = PowerSettings(low_battery_percent=50.0, critical_battery_percent=30.0)
    assert evaluate(on_battery(49.0), strict).level == "low"
    assert evaluate(on_battery(29.0), strict).level == "critical"
    assert evaluate(on_battery(50.0), strict).level == "ok"


def test_disk_at_threshold_is_ok_and_just_below_refuses_large_operations() -> None:
    at = evaluate(sample(disk_free_bytes=500 * MB), SETTINGS)
    assert at.large_operations_allowed and at.level == "ok"
    below = evaluate(sample(disk_free_bytes=500 * MB - 1), SETTINGS)
    assert not below.large_operations_allowed
    assert below.level == "low"
    assert "refused" in below.messages[0]
    assert not below.assistant_paused  # low disk does not stop triage support


def test_nearly_full_disk_is_critical_and_flushes() -> None:
    state = evaluate(sample(disk_free_bytes=49 * MB), SETTINGS)
    assert state.level == "critical" and state.flush_now
    assert "may not save" in state.messages[0]
    assert evaluate(sample(disk_free_bytes=50 * MB), SETTINGS).level == "low"


def test_little_memory_pauses_the_assistant() -> None:
    state = evaluate(sample(memory_available_bytes=299 * MB), SETTINGS)
    assert state.assistant_paused and state.level == "low"
    assert state.pause_reason == "too little free memory"
    assert "assistant paused" in state.status_line()
    assert not evaluate(sample(memory_available_bytes=300 * MB), SETTINGS).assistant_paused


def test_heat_slows_the_assistant_only_at_90_celsius() -> None:
    assert evaluate(sample(temperatures_c={"coretemp": 89.9}), SETTINGS).level == "ok"
    hot = evaluate(sample(temperatures_c={"coretemp": 90.0, "acpitz": 40.0}), SETTINGS)
    assert hot.assistant_threads_factor == 0.5 and "vents" in hot.messages[0]


def test_concerns_combine_to_the_worst_level_with_one_message_each() -> None:
    state = evaluate(on_battery(12.0, disk_free_bytes=10 * MB), SETTINGS)
    assert state.level == "critical"
    assert len(state.messages) == 2
    assert not state.large_operations_allowed


readings_strategy = st.builds(
    Readings, data_dir=st.just("/d"),
    disk_free_bytes=st.integers(0, 10**12), disk_total_bytes=st.just(10**12),
    memory_available_bytes=st.none() | st.integers(0, 10**10), memory_total_bytes=st.just(10**10),
    cpu_count=st.integers(1, 8),
    battery_percent=st.none() | st.floats(0, 100), plugged_in=st.none() | st.booleans(),
    temperatures_c=st.dictionaries(st.sampled_from(["a", "b"]), st.floats(0, 120)))


@given(readings_strategy)
def test_every_non_ok_state_says_what_to_do_and_paused_means_zero_threads(r: Readings) -> None:
    state: PowerState = evaluate(r, SETTINGS)
    assert (state.level == "ok") == (state.messages == ())
    assert state.assistant_paused == (state.threads(4) == 0) == bool(state.pause_reason)
    assert 0.0 <= state.assistant_threads_factor <= 1.0
    if r.battery_percent is not None and r.plugged_in is True:
        assert "Battery" not in " ".join(state.messages)


def fake_disk(free: int) -> Callable[[str], SimpleNamespace]:
    """A psutil.disk_usage stand-in."""
    return lambda _path: SimpleNamespace(free=free, total=10 * free + 1)


def test_require_free_disk_allows_an_operation_that_leaves_the_reserve(tmp_path: Path) -> None:
    free = require_free_disk(tmp_path / "packs" / "new", 100 * MB, SETTINGS,
                             disk_usage=fake_disk(600 * MB))
    assert free == 600 * MB


def test_require_free_disk_refuses_an_operation_that_would_eat_the_reserve(
        tmp_path: Path) -> None:
    with pytest.raises(DiskFullError) as err:
        require_free_disk(tmp_path, 100 * MB + 1, SETTINGS, disk_usage=fake_disk(600 * MB))
    assert "500 MB spare" in str(err.value)
    assert err.value.hint and "Delete" in err.value.hint
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_require_free_disk_measures_the_real_disk(tmp_path: Path) -> None:
    assert require_free_disk(tmp_path / "not-yet", 0, PowerSettings(min_free_disk_mb=0)) > 0
    with pytest.raises(DiskFullError):
        require_free_disk(tmp_path, 10**18, SETTINGS)
