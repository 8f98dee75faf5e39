"""`lifeboat doctor` reports power, disk, memory and CPU from the health policy."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from appliance.doctor import run
from appliance.health.doctor import checks
from appliance.health.readings import Sensors
from appliance.paths import layout

MB = 1024 * 1024


def machine(percent: float | None, plugged: bool | None, free_mb: int) -> Sensors:
    battery = None if percent is None else SimpleNamespace(
        percent=percent, power_plugged=plugged, secsleft=600)
    return Sensors(battery=lambda: battery,
                   disk_usage=lambda p: SimpleNamespace(free=free_mb * MB, total=10**12),
                   virtual_memory=lambda: SimpleNamespace(available=4000 * MB, total=8000 * MB),
                   temperatures=lambda: {})


def by_name(lay_root: Path, sensors: Sensors) -> dict[str, tuple[str, str]]:
    return {c.name: (c.status, c.hint) for c in checks(layout(lay_root), sensors)}


def test_a_healthy_machine_passes_every_health_check(lifeboat_home: Path) -> None:
    result = by_name(lifeboat_home, machine(None, None, 20_000))
    assert {k: v[0] for k, v in result.items()} == {
        "power": "ok", "disk": "ok", "memory": "ok", "cpu": "ok"}


def test_critical_battery_fails_and_low_battery_warns(lifeboat_home: Path) -> None:
    assert by_name(lifeboat_home, machine(4.0, False, 20_000))["power"][0] == "fail"
    status, hint = by_name(lifeboat_home, machine(15.0, False, 20_000))["power"]
    assert status == "warn" and "charger" in hint
    assert by_name(lifeboat_home, machine(4.0, True, 20_000))["power"][0] == "ok"


def test_low_disk_warns_and_nearly_full_disk_fails(lifeboat_home: Path) -> None:
    status, hint = by_name(lifeboat_home, machine(None, None, 400))["disk"]
    assert status == "warn" and "refused" in hint
    assert by_name(lifeboat_home, machine(None, None, 10))["disk"][0] == "fail"


def test_doctor_includes_the_health_checks_on_the_real_machine() -> None:
    names = {c.name for c in run()}
    assert {"power", "disk", "memory", "cpu"} <= names
