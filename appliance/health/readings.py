"""One sample of the machine's health, taken through psutil with every source injectable.

``read(data_dir)`` never fails because a sensor is missing: a desktop has no battery, a VM reports
no temperatures, a data directory may not exist yet (its nearest existing parent is measured).
Missing values are ``None`` (or an empty mapping), and the policy treats them as "no concern".
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SCHEMA = 1
"""Version of the JSON shape sent to the hub; bump when a field changes meaning."""


@dataclass(frozen=True)
class Readings:
    """What the machine reported at ``taken_at`` (Unix seconds). ``None`` means "not reported"."""

    data_dir: str
    disk_free_bytes: int
    disk_total_bytes: int
    cpu_count: int
    memory_available_bytes: int | None = None
    memory_total_bytes: int | None = None
    cpu_load_1m: float | None = None
    """1-minute load average (runnable processes), comparable with ``cpu_count``."""
    battery_percent: float | None = None
    plugged_in: bool | None = None
    battery_seconds_left: int | None = None
    """Estimated time left on battery; ``None`` when plugged in, unknown or no battery."""
    temperatures_c: Mapping[str, float] = field(default_factory=dict)
    """Hottest current reading per sensor chip (e.g. ``{"coretemp": 61.0}``)."""
    taken_at: float = 0.0

    @property
    def has_battery(self) -> bool:
        return self.battery_percent is not None

    @property
    def on_battery(self) -> bool:
        """A battery is present and the charger is not known to be plugged in."""
        return self.has_battery and self.plugged_in is not True

    @property
    def hottest_c(self) -> float | None:
        return max(self.temperatures_c.values()) if self.temperatures_c else None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (plain str/int/float/bool/None values) with a ``schema`` version."""
        out = asdict(self)
        out["temperatures_c"] = dict(self.temperatures_c)
        out["schema"] = SCHEMA
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Readings:
        """Rebuild readings sent by a device (the hub side); unknown keys are ignored."""
        known = {f for f in cls.__dataclass_fields__}
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["temperatures_c"] = dict(kwargs.get("temperatures_c") or {})
        return cls(**kwargs)


@dataclass(frozen=True)
class Sensors:
    """The psutil calls ``read`` makes; tests replace any of them with a fake."""

    battery: Callable[[], Any] = field(default=lambda: _psutil().sensors_battery())
    disk_usage: Callable[[str], Any] = field(default=lambda p: _psutil().disk_usage(p))
    virtual_memory: Callable[[], Any] = field(default=lambda: _psutil().virtual_memory())
    load_average: Callable[[], tuple[float, float, float]] = field(
        default=lambda: _psutil().getloadavg())
    temperatures: Callable[[], Mapping[str, list[Any]]] = field(
        default=lambda: _sensors_temperatures())
    cpu_count: Callable[[], int | None] = field(default=lambda: os.cpu_count())
    clock: Callable[[], float] = field(default=time.time)


def read(data_dir: Path, sensors: Sensors | None = None) -> Readings:
    """Sample the machine now; free disk is measured where ``data_dir`` (the records) lives."""
    s = sensors or Sensors()
    disk = s.disk_usage(str(existing_ancestor(data_dir)))
    available, total = _memory(s)
    percent, plugged, secs_left = _battery(s)
    return Readings(
        data_dir=str(data_dir),
        disk_free_bytes=int(disk.free),
        disk_total_bytes=int(disk.total),
        memory_available_bytes=available,
        memory_total_bytes=total,
        cpu_count=int(s.cpu_count() or 1),
        cpu_load_1m=_load(s),
        battery_percent=percent,
        plugged_in=plugged,
        battery_seconds_left=secs_left,
        temperatures_c=_temperatures(s),
        taken_at=float(s.clock()),
    )


def existing_ancestor(path: Path) -> Path:
    """``path`` or its nearest parent that exists (a new data directory lives on that disk)."""
    p = Path(path).absolute()
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def _battery(s: Sensors) -> tuple[float | None, bool | None, int | None]:
    try:
        batt = s.battery()
    except (OSError, RuntimeError, NotImplementedError, AttributeError):
        return None, None, None
    if batt is None:
        return None, None, None
    percent = round(float(batt.percent), 1)
    plugged = None if batt.power_plugged is None else bool(batt.power_plugged)
    secs = batt.secsleft
    # psutil uses negative sentinels for "unlimited" (charging) and "unknown".
    secs_left = int(secs) if isinstance(secs, int | float) and secs >= 0 and not plugged else None
    return percent, plugged, secs_left


def _memory(s: Sensors) -> tuple[int | None, int | None]:
    try:
        memory = s.virtual_memory()
    except (OSError, RuntimeError, NotImplementedError):  # e.g. no /proc in a chroot
        return None, None
    return int(memory.available), int(memory.total)


def _load(s: Sensors) -> float | None:
    try:
        return round(float(s.load_average()[0]), 2)
    except (OSError, AttributeError, NotImplementedError):
        return None


def _temperatures(s: Sensors) -> dict[str, float]:
    try:
        chips = s.temperatures() or {}
    except (OSError, AttributeError, NotImplementedError):
        return {}
    out: dict[str, float] = {}
    for chip, entries in chips.items():
        values = [float(e.current) for e in entries if e.current is not None and e.current > 0]
        if values:
            out[chip] = round(max(values), 1)
    return out


def _sensors_temperatures() -> Mapping[str, list[Any]]:
    fn = getattr(_psutil(), "sensors_temperatures", None)  # absent on some platforms
    return fn() if fn else {}


def _psutil() -> Any:
    import psutil  # imported on first reading, not at start-up

    return psutil
