"""Health checks contributed to ``lifeboat doctor`` (listed in ``appliance.doctor.CONTRIBUTED``).

Power-policy level maps to the doctor's status: ok -> ok, low -> warn, critical -> fail (a device
that may switch off within minutes is not ready for a shift).
"""

from __future__ import annotations

from appliance.checks import Check
from appliance.health.policy import CRITICAL_DISK_FRACTION, HOT_CELSIUS, MB, PowerState, evaluate
from appliance.health.readings import Readings, Sensors, read
from appliance.paths import Layout

_STATUS = {"ok": "ok", "low": "warn", "critical": "fail"}


def checks(lay: Layout, sensors: Sensors | None = None) -> list[Check]:
    """Power, disk, memory, CPU load and temperature, judged by the configured power policy."""
    from appliance.config import load
    from appliance.errors import ConfigError

    try:
        settings = load(lay.config).power
    except ConfigError:
        from appliance.config import PowerSettings

        settings = PowerSettings()  # the config check elsewhere reports the broken file
    readings = read(lay.root, sensors)
    state = evaluate(readings, settings)
    return [_power(readings, state), _disk(readings, state, settings.min_free_disk_mb),
            _memory(readings, state), _cpu(readings)]


def _power(r: Readings, state: PowerState) -> Check:
    msgs = [m for m in state.messages if m.startswith("Battery")]
    status = _STATUS[state.level] if msgs else "ok"
    return Check("power", status, state.battery_text, msgs[0] if msgs else "")


def _disk(r: Readings, state: PowerState, min_free_mb: float) -> Check:
    detail = f"{state.disk_text} on {r.data_dir} (keeps {min_free_mb:.0f} MB spare)"
    msgs = [m for m in state.messages if "data disk" in m]
    if not msgs:
        return Check("disk", "ok", detail)
    status = "fail" if r.disk_free_bytes < min_free_mb * MB * CRITICAL_DISK_FRACTION else "warn"
    return Check("disk", status, detail, msgs[0])


def _memory(r: Readings, state: PowerState) -> Check:
    if r.memory_available_bytes is None or r.memory_total_bytes is None:
        return Check("memory", "ok", "not reported by this system")
    detail = f"{r.memory_available_bytes / MB:,.0f} MB of {r.memory_total_bytes / MB:,.0f} MB free"
    msgs = [m for m in state.messages if "memory" in m]
    return Check("memory", "warn" if msgs else "ok", detail, msgs[0] if msgs else "")


def _cpu(r: Readings) -> Check:
    load = "load not reported" if r.cpu_load_1m is None else f"load {r.cpu_load_1m:.2f}"
    temp = "" if r.hottest_c is None else f", hottest sensor {r.hottest_c:.0f} °C"
    detail = f"{r.cpu_count} CPU(s), {load}{temp}"
    hot = r.hottest_c is not None and r.hottest_c >= HOT_CELSIUS
    return Check("cpu", "warn" if hot else "ok", detail,
                 "Keep the vents clear; stand the device on a hard surface." if hot else "")
