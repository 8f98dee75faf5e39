"""Readings come from psutil, tolerate missing sensors, and round-trip through JSON."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from appliance.config import PowerSettings
from appliance.health.policy import evaluate
from appliance.health.readings import Readings, Sensors, read

GB = 1024**3


def laptop(percent: float = 42.0, plugged: bool | None = False, secsleft: int = 3600,
           temps: dict | None = None) -> Sensors:
    return Sensors(
        battery=lambda: SimpleNamespace(percent=percent, power_plugged=plugged, secsleft=secsleft),
        disk_usage=lambda p: SimpleNamespace(free=7 * GB, total=64 * GB),
        virtual_memory=lambda: SimpleNamespace(available=2 * GB, total=8 * GB),
        load_average=lambda: (1.25, 1.0, 0.75),
        temperatures=lambda: temps if temps is not None else {
            "coretemp": [SimpleNamespace(current=55.0), SimpleNamespace(current=61.5)],
            "empty": [SimpleNamespace(current=None)]},
        cpu_count=lambda: 2, clock=lambda: 1_700_000_000.0)


def test_read_takes_every_value_from_the_sensors(tmp_path: Path) -> None:
    r = read(tmp_path, laptop())
    assert (r.battery_percent, r.plugged_in, r.battery_seconds_left) == (42.0, False, 3600)
    assert (r.disk_free_bytes, r.memory_available_bytes, r.cpu_load_1m) == (7 * GB, 2 * GB, 1.25)
    assert r.temperatures_c == {"coretemp": 61.5}
    assert r.on_battery and r.taken_at == 1_700_000_000.0


def test_time_left_is_dropped_when_plugged_in_or_unknown(tmp_path: Path) -> None:
    assert read(tmp_path, laptop(plugged=True, secsleft=-2)).battery_seconds_left is None
    assert read(tmp_path, laptop(secsleft=-1)).battery_seconds_left is None


def test_missing_battery_and_failing_sensors_read_as_not_reported(tmp_path: Path) -> None:
    def broken() -> None:
        raise OSError("no sysfs")

    sensors = Sensors(battery=lambda: None, temperatures=broken, load_average=broken,
                      disk_usage=laptop().disk_usage, virtual_memory=broken)
    r = read(tmp_path, sensors)
    assert (r.battery_percent, r.plugged_in, r.cpu_load_1m, dict(r.temperatures_c)) == (
        None, None, None, {})
    assert (r.memory_available_bytes, r.memory_total_bytes) == (None, None)
    assert evaluate(r, PowerSettings()).level == "ok"


def test_a_data_dir_that_does_not_exist_yet_is_measured_on_its_parent(tmp_path: Path) -> None:
    seen: list[str] = []
    sensors = Sensors(disk_usage=lambda p: seen.append(p) or SimpleNamespace(free=1, total=2))
    read(tmp_path / "a" / "b", sensors)
    assert seen == [str(tmp_path)]


def test_to_json_is_plain_json_and_round_trips(tmp_path: Path) -> None:
    r = read(tmp_path, laptop())
    doc = json.loads(json.dumps(r.to_json()))
    assert doc["schema"] == 1 and doc["battery_percent"] == 42.0
    assert Readings.from_json(doc) == r


def test_real_machine_psutil_gives_sane_readings(tmp_path: Path) -> None:
    r = read(tmp_path)
    assert 0 < r.disk_free_bytes <= r.disk_total_bytes
    assert r.memory_available_bytes is not None and r.memory_total_bytes is not None
    assert 0 < r.memory_available_bytes <= r.memory_total_bytes
    assert r.cpu_count >= 1
    assert r.battery_percent is None or 0 <= r.battery_percent <= 100
    state = evaluate(r, PowerSettings())
    assert state.status_line()
    json.dumps(r.to_json())
