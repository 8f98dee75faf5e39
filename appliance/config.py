"""Typed settings with documented defaults, read from ``config.toml`` in the data directory.

Every setting has a default that works out of the box; the file only needs what a Trust changes.
``DEFAULT_CONFIG_TOML`` is written on ``lifeboat init`` so admins see every option documented.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from appliance.errors import ConfigError


@dataclass(frozen=True)
class SecuritySettings:
    idle_lock_minutes: float = 5.0
    """Lock the screen after this long without a key press."""
    failed_attempts_before_backoff: int = 3
    """Wrong PINs allowed before each further attempt must wait."""
    backoff_base_seconds: float = 5.0
    """First wait after too many wrong PINs; doubles with each further failure (max 15 min)."""
    min_pin_length: int = 6
    """Shortest PIN or passphrase accepted for a new user."""
    export_retention_hours: float = 12.0
    """Hours before exported handover files (plain patient data) are deleted at sign-in."""


@dataclass(frozen=True)
class SyncSettings:
    hub_url: str = ""
    """The hub this device was enrolled with ("" = none; nothing reaches the network)."""
    hub_public_key: str = ""
    """The hub's Ed25519 public key (PEM), pinned at enrolment."""
    interval_seconds: float = 60.0
    """How often to look for the hub when it is unreachable (with back-off)."""
    batch_size: int = 500
    """Events per sync request."""
    auto_apply_packs: bool = True
    """After each background sync, install newer packs the hub offers (trusted publishers only)."""
    auto_apply_models: bool = False
    """After each background sync, also fetch, add and select newer models (large downloads)."""


@dataclass(frozen=True)
class AssistantSettings:
    enabled: bool = True
    """Load a local model after login. With false, everything works without one."""
    model: str = ""
    """Catalog name of the model to use ("" = best verified model that fits this machine)."""
    threads: int = 0
    """Inference threads (0 = number of physical cores)."""
    handover_wording: bool = False
    """Offer m (assistant rewording) on the handover screen; off: too slow on 2 cores."""


@dataclass(frozen=True)
class PowerSettings:
    low_battery_percent: float = 20.0
    """Below this on battery power, the assistant slows down or pauses."""
    critical_battery_percent: float = 5.0
    """Below this Lifeboat flushes, warns in red and says what to do."""
    min_free_disk_mb: float = 500.0
    """Below this free space, large operations (pack installs, model adds) are refused."""


@dataclass(frozen=True)
class UISettings:
    theme: str = "lifeboat-high-contrast"
    """Colour theme: lifeboat-high-contrast (default) or any Textual theme name."""
    area: str = ""
    """Default area filter for the patient board ("" = all areas)."""


@dataclass(frozen=True)
class Config:
    device_label: str = ""
    """Human name for this device, shown in the status bar and on the hub."""
    security: SecuritySettings = field(default_factory=SecuritySettings)
    sync: SyncSettings = field(default_factory=SyncSettings)
    assistant: AssistantSettings = field(default_factory=AssistantSettings)
    power: PowerSettings = field(default_factory=PowerSettings)
    ui: UISettings = field(default_factory=UISettings)


_SECTIONS = {
    "security": SecuritySettings,
    "sync": SyncSettings,
    "assistant": AssistantSettings,
    "power": PowerSettings,
    "ui": UISettings,
}


def load(path: Path) -> Config:
    """Read ``path``; a missing file means all defaults. Unknown keys are errors (typos matter)."""
    if not path.exists():
        return Config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}",
                          hint="Fix the file or delete it to use the defaults.") from exc
    return from_dict(raw, source=str(path))


def from_dict(raw: dict[str, Any], source: str = "config") -> Config:
    top: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: [{key}] must be a table.")
            top[key] = _build(_SECTIONS[key], value, f"{source} [{key}]")
        elif key == "device_label":
            top[key] = _check_type("device_label", value, str, source)
        else:
            raise ConfigError(f"{source}: unknown setting '{key}'.",
                              hint="See the documented defaults in the README.")
    return Config(**top)


# Settings that guard patient data: a value outside these bounds would switch a protection off
# (a 1-digit PIN, no back-off, an idle lock that never comes), so it is refused, not clamped.
SAFE_RANGES: dict[tuple[type, str], tuple[float, float]] = {
    (SecuritySettings, "idle_lock_minutes"): (0.5, 30),
    (SecuritySettings, "failed_attempts_before_backoff"): (1, 10),
    (SecuritySettings, "backoff_base_seconds"): (1, 300),
    (SecuritySettings, "min_pin_length"): (6, 64),
    (SecuritySettings, "export_retention_hours"): (0.25, 168),
    (SyncSettings, "batch_size"): (1, 2000),
    (SyncSettings, "interval_seconds"): (5, 86400),
}


def _build(cls: type, values: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    kwargs = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{where}: unknown setting '{key}'.")
        default = known[key].default
        kwargs[key] = _check_type(key, value, type(default), where)
        bounds = SAFE_RANGES.get((cls, key))
        if bounds and not bounds[0] <= kwargs[key] <= bounds[1]:
            raise ConfigError(f"{where}: {key} = {value} is outside the safe range "
                              f"{bounds[0]:g} to {bounds[1]:g}.",
                              hint="Set it within the range, or remove it for the default.")
    return cls(**kwargs)


def _check_type(key: str, value: Any, expected: type, where: str) -> Any:
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
        raise ConfigError(f"{where}: '{key}' must be {expected.__name__}, got {value!r}.")
    return value


def default_toml() -> str:
    """The documented defaults, as written to a new data directory."""
    docs = _field_docs()
    lines = ["# Lifeboat configuration. Every setting is shown with its default.", ""]
    lines += ['# Human name for this device, shown in the status bar and on the hub.',
              'device_label = ""', ""]
    for name, cls in _SECTIONS.items():
        lines.append(f"[{name}]")
        instance = cls()
        for f in fields(cls):
            doc = docs.get((cls.__name__, f.name), "")
            if doc:
                lines.append(f"# {doc}")
            lines.append(f"{f.name} = {_toml_value(getattr(instance, f.name))}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


@functools.cache
def _field_docs() -> dict[tuple[str, str], str]:
    """Attribute docstrings, read from this module's source so docs live next to fields (once a
    process: parsing the source again on every enrolment was repeated work, and CPython 3.11's
    parser can fail spuriously when another thread recurses at the same moment)."""
    import ast
    import inspect
    import sys

    docs: dict[tuple[str, str], str] = {}
    tree = ast.parse(inspect.getsource(sys.modules[__name__]))
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            body = node.body
            for i, stmt in enumerate(body[:-1]):
                nxt = body[i + 1]
                if (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                        and isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant)):
                    docs[(node.name, stmt.target.id)] = str(nxt.value.value)
    return docs

