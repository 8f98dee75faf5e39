"""The best verified model that fits this machine's free RAM and CPU is chosen."""

from __future__ import annotations

from pathlib import Path

from models.registry import InstalledModel
from models.selection import Machine, choose, cpu_flags, threads_for


def model(name: str, ram_mb: int, rank: int, cpu: tuple[str, ...] = ()) -> InstalledModel:
    return InstalledModel(name=name, role="generator", path=f"/m/{name}", sha256="0" * 64,
                          size_bytes=1, bundled=False, architecture="llama",
                          context_length=2048, chat_format="chatml", ram_mb=ram_mb, rank=rank,
                          cpu=cpu)


SMALL = model("small", 300, 10)
MID = model("mid", 1400, 40, ("avx2",))
BIG = model("big", 3800, 80, ("avx2",))


def test_the_best_ranked_model_that_fits_is_chosen() -> None:
    m = Machine(available_mb=3000, physical_cores=2, cpu_flags=frozenset({"avx2"}))
    choice = choose([SMALL, MID, BIG], m)
    assert choice.model == MID
    assert any("big: needs 3800 MB" in s for s in choice.skipped)


def test_a_cpu_without_avx2_falls_back_to_the_bundled_class() -> None:
    m = Machine(available_mb=16000, physical_cores=4, cpu_flags=frozenset({"sse4_2"}))
    choice = choose([SMALL, MID, BIG], m)
    assert choice.model == SMALL
    assert "mid: CPU lacks avx2" in choice.skipped


def test_too_little_ram_means_no_model_and_a_reason() -> None:
    choice = choose([SMALL], Machine(available_mb=500, physical_cores=2))
    assert choice.model is None and "no verified model fits" in choice.reason


def test_a_preferred_model_wins_only_if_it_fits() -> None:
    m = Machine(available_mb=16000, physical_cores=2, cpu_flags=frozenset({"avx2"}))
    assert choose([SMALL, MID, BIG], m, preferred="small").model == SMALL
    choice = choose([SMALL], m, preferred="big")
    assert choice.model == SMALL and any("big" in s for s in choice.skipped)


def test_threads_come_from_physical_cores_unless_the_power_policy_says_otherwise() -> None:
    m = Machine(available_mb=1, physical_cores=2)
    assert threads_for(m) == 2
    assert threads_for(m, 1) == 1


def test_cpu_flags_are_read_from_cpuinfo(tmp_path: Path) -> None:
    info = tmp_path / "cpuinfo"
    info.write_text("processor : 0\nflags : fpu sse avx2 fma\n")
    assert {"avx2", "fma"} <= cpu_flags(info)
    assert cpu_flags(tmp_path / "missing") == frozenset()
