"""Choose which model to load on this machine, and with how many threads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from models.registry import InstalledModel

# Leave room for the app, the record store and the embedder beside the model.
HEADROOM_MB = 400


@dataclass(frozen=True)
class Machine:
    """What the choice depends on; built from the live system by :func:`this_machine`."""

    available_mb: int
    physical_cores: int
    cpu_flags: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Choice:
    """The model picked (or None) and why, for the status bar and ``lifeboat models list``."""

    model: InstalledModel | None
    threads: int
    reason: str
    skipped: tuple[str, ...] = ()


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str]:
    try:
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(("flags", "Features")):
                return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def this_machine() -> Machine:
    import psutil

    cores = psutil.cpu_count(logical=False) or psutil.cpu_count() or 1
    return Machine(available_mb=int(psutil.virtual_memory().available / 2**20),
                   physical_cores=int(cores), cpu_flags=cpu_flags())


def threads_for(machine: Machine, requested: int = 0) -> int:
    """``requested`` when positive (config or power policy), else one per physical core."""
    if requested > 0:
        return requested
    return max(1, machine.physical_cores)


def choose(models: list[InstalledModel], machine: Machine, preferred: str = "",
           threads: int = 0) -> Choice:
    """Best-ranked generator that fits free RAM and this CPU; ``preferred`` wins if it fits."""
    skipped: list[str] = []
    fitting: list[InstalledModel] = []
    for m in models:
        if m.role != "generator":
            continue
        missing = [f for f in m.cpu if f not in machine.cpu_flags]
        if missing:
            skipped.append(f"{m.name}: CPU lacks {', '.join(missing)}")
        elif m.ram_mb + HEADROOM_MB > machine.available_mb:
            skipped.append(f"{m.name}: needs {m.ram_mb} MB (+{HEADROOM_MB} headroom), "
                           f"{machine.available_mb} MB free")
        else:
            fitting.append(m)
    n_threads = threads_for(machine, threads)
    if not fitting:
        return Choice(None, n_threads, "no verified model fits this machine", tuple(skipped))
    by_name = {m.name: m for m in fitting}
    if preferred and preferred in by_name:
        return Choice(by_name[preferred], n_threads, f"{preferred} chosen in settings",
                      tuple(skipped))
    if preferred:
        skipped.append(f"{preferred}: chosen in settings but not installed or does not fit")
    best = max(fitting, key=lambda m: (m.rank, -m.ram_mb))
    return Choice(best, n_threads, f"{best.name}: best verified model that fits",
                  tuple(skipped))


def automatic_choice() -> str:
    """The model the automatic choice loads on this machine now ("" when none fits)."""
    from models.registry import installed

    picked = choose(installed(), this_machine()).model
    return picked.name if picked else ""
