"""The power and disk policy: pure function of ``Readings`` + ``PowerSettings`` -> ``PowerState``.

Rules (each tested at its edge):

* Battery, when not known to be on mains power: below ``low_battery_percent`` the assistant runs
  on half its threads; below ``critical_battery_percent`` the assistant pauses, Lifeboat flushes
  and the status bar goes red with advice. On mains power (or with no battery) the charge level
  does not matter. An unknown charger state counts as battery power: a false alarm costs less than
  a laptop dying mid-handover.
* Disk: below ``min_free_disk_mb`` free on the data disk, large operations (pack installs, model
  adds) are refused; below a tenth of it the level is critical because records may not save.
* Memory: below ``ASSISTANT_MIN_MEMORY_MB`` available, the assistant pauses (it would swap).
* Heat: at ``HOT_CELSIUS`` or above, the assistant runs on half its threads.

Nothing here touches the machine; ``require_free_disk`` is the one guard that reads the disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from appliance.config import PowerSettings
from appliance.errors import DiskFullError
from appliance.health.readings import Readings, existing_ancestor

Level = Literal["ok", "low", "critical"]

MB = 1024 * 1024
LOW_BATTERY_THREADS_FACTOR = 0.5
HOT_CELSIUS = 90.0
ASSISTANT_MIN_MEMORY_MB = 300
CRITICAL_DISK_FRACTION = 0.1
"""Share of ``min_free_disk_mb`` below which the disk level is critical."""

_RANK: dict[Level, int] = {"ok": 0, "low": 1, "critical": 2}


@dataclass(frozen=True)
class PowerState:
    """What the appliance should do now, and what to tell the user."""

    level: Level = "ok"
    assistant_threads_factor: float = 1.0
    """Multiply the configured inference threads by this (0.0 when paused); round up to >= 1."""
    assistant_paused: bool = False
    pause_reason: str = ""
    """Why the assistant is paused, for its status ("low battery", "too little free memory")."""
    flush_now: bool = False
    """Critical: write everything pending to disk now; the device may switch off."""
    large_operations_allowed: bool = True
    """False when pack installs and model adds must be refused (low disk)."""
    messages: tuple[str, ...] = ()
    """One sentence per concern, each saying what to do."""
    battery_text: str = "Mains power"
    disk_text: str = ""

    def threads(self, configured: int) -> int:
        """Inference threads to use given the configured count (0 when paused)."""
        if self.assistant_paused:
            return 0
        return max(1, int(configured * self.assistant_threads_factor + 0.5))

    def status_line(self) -> str:
        """One short line for the status bar, e.g. ``LOW · Battery 18% (42 min left) · ...``."""
        parts = [self.battery_text]
        if self.disk_text:
            parts.append(self.disk_text)
        if self.assistant_paused:
            parts.append("assistant paused")
        elif self.assistant_threads_factor < 1.0:
            parts.append("assistant slowed")
        prefix = {"ok": "", "low": "LOW · ", "critical": "CRITICAL · "}[self.level]
        return prefix + " · ".join(parts)


def evaluate(readings: Readings, settings: PowerSettings) -> PowerState:
    """Apply the policy to one sample. Pure: same inputs, same state."""
    level: Level = "ok"
    factor = 1.0
    paused = flush = False
    large_ok = True
    messages: list[str] = []
    reasons: list[str] = []

    def raise_to(new: Level) -> None:
        nonlocal level
        if _RANK[new] > _RANK[level]:
            level = new

    pct = readings.battery_percent
    on_battery = readings.on_battery
    left = _duration(readings.battery_seconds_left)
    if on_battery and pct is not None and pct < settings.critical_battery_percent:
        raise_to("critical")
        paused = flush = True
        reasons.append("low battery")
        messages.append(
            f"Battery at {pct:.0f}%{left and f' ({left} left)'}: everything is saved and the "
            "assistant is paused. Plug in the charger now; if you cannot, write the patient's "
            "details and NEWS2 on paper, as the device may switch off.")
    elif on_battery and pct is not None and pct < settings.low_battery_percent:
        raise_to("low")
        factor = min(factor, LOW_BATTERY_THREADS_FACTOR)
        messages.append(
            f"Battery at {pct:.0f}%{left and f' ({left} left)'}: the assistant runs slower to "
            "save power. Plug in the charger or swap to a charged device soon.")

    free_mb = readings.disk_free_bytes / MB
    if free_mb < settings.min_free_disk_mb:
        large_ok = False
        if free_mb < settings.min_free_disk_mb * CRITICAL_DISK_FRACTION:
            raise_to("critical")
            flush = True
            messages.append(
                f"Only {_size(readings.disk_free_bytes)} free on the data disk: new records may "
                "not save. Delete old exports and logs now, or move to another device.")
        else:
            raise_to("low")
            messages.append(
                f"Only {_size(readings.disk_free_bytes)} free on the data disk (Lifeboat keeps "
                f"{settings.min_free_disk_mb:.0f} MB spare): pack installs and model adds are "
                "refused. Delete old exports or unused models to free space.")

    available = readings.memory_available_bytes
    if available is not None and available < ASSISTANT_MIN_MEMORY_MB * MB:
        raise_to("low")
        paused = True
        reasons.append("too little free memory")
        messages.append(
            f"Only {_size(available)} of memory free: the assistant is "
            "paused. Close other programs; protocols and triage scoring still work.")

    hottest = readings.hottest_c
    if hottest is not None and hottest >= HOT_CELSIUS:
        raise_to("low")
        factor = min(factor, LOW_BATTERY_THREADS_FACTOR)
        messages.append(
            f"The machine is hot ({hottest:.0f} °C): the assistant runs slower. Keep the vents "
            "clear and stand the device on a hard surface.")

    if paused:
        factor = 0.0
    return PowerState(
        level=level, assistant_threads_factor=factor, assistant_paused=paused,
        pause_reason=" and ".join(reasons), flush_now=flush,
        large_operations_allowed=large_ok, messages=tuple(messages),
        battery_text=_battery_text(readings, on_battery, left),
        disk_text=f"Disk {_size(readings.disk_free_bytes)} free")


def require_free_disk(path: Path, needed_bytes: int, settings: PowerSettings, *,
                      disk_usage: Callable[[str], Any] | None = None) -> int:
    """Refuse a large operation that would leave less than ``min_free_disk_mb`` free.

    ``path`` is where the data will be written (it need not exist yet). Returns the free bytes
    measured. Raises ``DiskFullError`` before anything is written, so the store is never at risk.
    """
    if disk_usage is None:
        import psutil

        disk_usage = psutil.disk_usage
    where = existing_ancestor(path)
    free = int(disk_usage(str(where)).free)
    reserve = int(settings.min_free_disk_mb * MB)
    if free - max(0, needed_bytes) < reserve:
        raise DiskFullError(
            f"Not enough free disk: this needs {_size(needed_bytes)} and {where} has "
            f"{_size(free)} free, but Lifeboat keeps {settings.min_free_disk_mb:.0f} MB spare so "
            "patient records can always be saved.",
            hint="Delete old exports or unused models, or free space on the disk, then try again.")
    return free


def _battery_text(r: Readings, on_battery: bool, left: str) -> str:
    if r.battery_percent is None:
        return "Mains power"
    if not on_battery:
        return f"Battery {r.battery_percent:.0f}% (charging)"
    return f"Battery {r.battery_percent:.0f}%" + (f" ({left} left)" if left else " (on battery)")


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return ""
    minutes = seconds // 60
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def _size(n: float) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", MB)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{max(0, n) / 1024:.0f} KB"
