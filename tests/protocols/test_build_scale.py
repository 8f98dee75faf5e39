"""Building and installing large packs: resumable embedding, both cores, staging inside the work
folders, handed-out files readable, installs that say how long on-device embedding takes, and a
disk-space check that covers what an install writes. Real model, real processes, small packs."""

from __future__ import annotations

import json
import os
import stat
import tarfile
from pathlib import Path

import numpy as np
import pytest

from appliance.errors import DiskFullError
from appliance.paths import Layout
from appliance.protocols import batch_embedding, index, lifecycle
from appliance.protocols.batch_embedding import BatchCache, embed_texts
from appliance.protocols.build import build_pack, work_dir
from appliance.protocols.lifecycle import (
    build_vectors,
    install,
    install_bytes,
    pending_estimate,
)
from appliance.protocols.search import Searcher
from appliance.protocols.source import list_files
from tests.protocols.conftest import write_source

TEXTS = [f"Section {n}: {topic}" for n, topic in enumerate(
    ["asthma and wheeze", "chest pain", "burns", "low blood sugar", "stroke signs", "sepsis",
     "fractured hip", "anaphylaxis", "croup in a child", "heat stroke"])]


class Stop(Exception):
    """Stands in for Ctrl-C, raised from inside the build's progress callback."""


def _recorder() -> tuple[list[tuple[str, int, int]], object]:
    calls: list[tuple[str, int, int]] = []
    return calls, lambda stage, done, total: calls.append((stage, done, total))


def test_a_rerun_embeds_only_what_the_cache_lacks(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_embedding, "BATCH", 3)
    cache = BatchCache(tmp_path / "cache")
    first = embed_texts(TEXTS, cache=cache, workers=1)
    changed = [*TEXTS[:-1], "Section 9: something else entirely"]
    calls, progress = _recorder()
    again = embed_texts(changed, cache=cache, progress=progress, workers=1)
    assert calls[0] == ("embedding", len(TEXTS) - 1, len(TEXTS))
    assert np.allclose(again[:-1], first[:-1], atol=1e-6)
    assert not np.allclose(again[-1], first[-1], atol=1e-3)


def test_a_different_model_misses_the_cache(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import models.embedder

    cache = BatchCache(tmp_path / "cache")
    embed_texts(TEXTS, cache=cache, workers=1)
    monkeypatch.setattr(models.embedder, "MODEL_SHA256", "0" * 64)
    calls, progress = _recorder()
    embed_texts(TEXTS, cache=cache, progress=progress, workers=1)
    assert calls[0] == ("embedding", 0, len(TEXTS))


def test_a_damaged_batch_file_is_embedded_again(tmp_path: Path) -> None:
    cache = BatchCache(tmp_path / "cache")
    embed_texts(TEXTS, cache=cache, workers=1)
    for path in (tmp_path / "cache").glob("batch-*.npz"):
        path.write_bytes(path.read_bytes()[:100])
    calls, progress = _recorder()
    embed_texts(TEXTS, cache=cache, progress=progress, workers=1)
    assert calls[0] == ("embedding", 0, len(TEXTS))


def test_worker_processes_give_the_vectors_one_process_gives(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_embedding, "BATCH", 2)  # five batches: enough for the pool
    alone = embed_texts(TEXTS, workers=1)
    pooled = embed_texts(TEXTS, workers=2)
    assert np.allclose(alone, pooled, atol=1e-5)


def test_an_interrupted_build_resumes_from_its_finished_batches(
        tmp_path: Path, publisher_key: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_embedding, "BATCH", 2)
    src = write_source(tmp_path / "src")
    out = tmp_path / "dist" / "pack.tar.gz"

    def stop_after_two_batches(stage: str, done: int, total: int) -> None:
        if stage == "embedding" and done >= 4:
            raise Stop

    with pytest.raises(Stop):
        build_pack(src, publisher_key, out, progress=stop_after_two_batches, workers=1)
    kept = list((work_dir(src, out) / "embeddings").glob("batch-*.npz"))
    assert len(kept) == 2 and not out.exists()
    calls, progress = _recorder()
    build_pack(src, publisher_key, out, progress=progress, workers=1)
    embedding = [c for c in calls if c[0] == "embedding"]
    assert embedding[0][1] == 4 and embedding[-1][1] == embedding[-1][2]
    assert not work_dir(src, out).exists()  # a finished build leaves no work folder

    clean = build_pack(write_source(tmp_path / "again"), publisher_key, workers=1)
    with tarfile.open(out) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    resumed = np.load(tmp_path / "unpacked" / "test-pack" / index.EMBEDDINGS)
    assert np.allclose(resumed, np.load(clean / index.EMBEDDINGS), atol=2e-3)


def test_build_stages_beside_its_output_never_in_the_system_temp_folder(
        tmp_path: Path, publisher_key: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    src = write_source(tmp_path / "src")
    out = tmp_path / "dist" / "pack.zip"
    seen: list[bool] = []

    def check(stage: str, done: int, total: int) -> None:
        seen.append((work_dir(src, out) / "staging" / "test-pack" / "docs").is_dir())

    build_pack(src, publisher_key, out, progress=check, workers=1)
    assert seen and all(seen)
    assert work_dir(src, out).parent == out.parent
    assert list(system_tmp.iterdir()) == []


def test_handed_out_files_are_world_readable_and_the_private_key_is_not(
        tmp_path: Path) -> None:
    from appliance.protocols.trust import generate_keypair

    old = os.umask(0o077)  # the CLI's umask
    try:
        key = tmp_path / "publisher.pem"
        pub = generate_keypair(key)
        out = build_pack(write_source(tmp_path / "src"), key, tmp_path / "pack.tar.gz",
                         embed=False)
        folder = build_pack(write_source(tmp_path / "src2"), key, tmp_path / "pack-folder",
                            embed=False)
    finally:
        os.umask(old)
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(key) == 0o600
    assert mode(pub) == 0o644 and mode(out) == 0o644
    assert {mode(folder / rel) for rel in list_files(folder)} == {0o644}
    with tarfile.open(out) as tar:
        assert {m.mode for m in tar.getmembers()} == {0o644}


def test_install_without_usable_vectors_estimates_and_leaves_search_lexical(
        device: Layout, tmp_path: Path, publisher_key: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    built = build_pack(write_source(tmp_path / "src"), publisher_key, embed=False)
    monkeypatch.setattr(lifecycle, "EMBED_AT_INSTALL_S", 0.0)  # every pack counts as large
    pack = install(device, built)
    assert pack.vectors == "pending"
    sections, seconds = pending_estimate(pack) or (0, 0.0)
    assert sections == pack.record["sections"] and seconds >= 0
    searcher = Searcher.for_active(device)
    assert not searcher.semantic_available
    assert searcher.search("wheeze", k=1, mode="hybrid")[0].doc_id == "asthma-adult"
    assert build_vectors(device) == "ready"
    assert Searcher.for_active(device).semantic_available


def test_device_embedding_resumes_after_an_interruption(
        device: Layout, tmp_path: Path, publisher_key: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    built = build_pack(write_source(tmp_path / "src"), publisher_key, embed=False)
    install(device, built, defer_vectors=True)
    real = index.embed_vectors
    monkeypatch.setattr(index, "embed_vectors",
                        lambda d, chunks, progress=None: real(d, chunks, progress, step=3))

    def stop(stage: str, done: int, total: int) -> None:
        if stage == "embedding" and done >= 3:
            raise Stop

    with pytest.raises(Stop):
        build_vectors(device, progress=stop)
    calls, progress = _recorder()
    assert build_vectors(device, progress=progress) == "ready"
    assert [c for c in calls if c[0] == "embedding"][0][1] == 3


def test_small_packs_without_vectors_are_still_embedded_at_install(
        device: Layout, tmp_path: Path, publisher_key: Path) -> None:
    built = build_pack(write_source(tmp_path / "src"), publisher_key, embed=False)
    assert install(device, built).vectors == "ready"


def test_shipped_vectors_beyond_the_install_budget_are_indexed_after_activation(
        device: Layout, built_pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large pack is active with lexical search before its own vectors are indexed."""
    monkeypatch.setattr(lifecycle, "INDEX_AT_INSTALL_S", 0.0)
    pack = install(device, built_pack)
    assert pack.vectors == "pending"
    assert lifecycle.pending_is_shipped(pack)
    sections, seconds = pending_estimate(pack) or (0, 0.0)
    assert sections == pack.record["sections"] and seconds >= 0
    searcher = Searcher.for_active(device)
    try:
        assert not searcher.semantic_available
        assert searcher.search("chest pain", mode="hybrid")
    finally:
        searcher.close()
    assert build_vectors(device) == "ready"
    searcher = Searcher.for_active(device)
    try:
        assert searcher.semantic_available
        assert searcher.search("chest pain", mode="vector")
    finally:
        searcher.close()


def _du(path: Path) -> int:
    return sum(p.lstat().st_blocks * 512 for p in path.rglob("*") if not p.is_symlink())


@pytest.mark.parametrize("archive", [False, True])
def test_the_space_check_covers_what_an_install_writes(device: Layout, tmp_path: Path,
                                                       built_pack: Path, archive: bool) -> None:
    source = built_pack
    if archive:
        source = tmp_path / "pack.tar.gz"
        with tarfile.open(source, "w:gz") as tar:
            tar.add(built_pack, "test-pack")
    needed = install_bytes(built_pack, copy=not archive)
    pack = install(device, source)
    written = _du(pack.directory) - (_du(pack.directory / "content") if archive else 0)
    assert written <= needed
    assert list(device.tmp.iterdir()) == []  # the unpacked archive was moved, not copied


def test_an_install_short_of_disk_is_refused_before_anything_changes(
        device: Layout, built_pack: Path) -> None:
    import psutil

    free_mb = psutil.disk_usage(str(device.root)).free // 2**20
    device.config.write_text(f"[power]\nmin_free_disk_mb = {free_mb - 1}\n")
    with pytest.raises(DiskFullError, match="Not enough free disk"):
        install(device, built_pack)
    assert [p.name for p in device.packs.iterdir()] == []


def test_cli_install_says_how_long_embedding_will_take(lifeboat_home: Path, tmp_path: Path,
                                                       publisher_key: Path) -> None:
    from appliance.device import enrol_demo
    from tests.protocols.test_cli_and_imports import lifeboat

    built = build_pack(write_source(tmp_path / "src"), publisher_key, embed=False)
    enrol_demo()
    admin = ("--as", "admin")
    assert lifeboat("trust", "add", str(publisher_key.with_suffix(".pub")), *admin,
                    home=lifeboat_home, stdin="999999\n").returncode == 0
    run = lifeboat("install", str(built), "--defer-vectors", "--json", *admin,
                   home=lifeboat_home, stdin="999999\n")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["embedding_estimate_s"] > 0
    assert "sections embedded here, about" in run.stderr
    assert "lifeboat protocols index-vectors" in run.stderr
    finish = lifeboat("index-vectors", home=lifeboat_home)
    assert finish.returncode == 0 and "Vector index: ready" in finish.stdout
    assert "embedding: " in finish.stderr and "100%" in finish.stderr  # off a terminal


def test_cli_progress_off_a_terminal_prints_a_line_per_few_percent() -> None:
    import io

    from tui.cli._progress import Progress

    out = io.StringIO()
    bar = Progress(out, live=False)
    for done in range(0, 17_909):
        bar("embedding", done, 17_908)
    bar.close()
    lines = out.getvalue().splitlines()
    assert 15 <= len(lines) <= 25, lines
    assert lines[0].startswith("embedding: 0/17,908") and "100%" in lines[-1]


def test_cli_build_and_install_use_a_live_bar_with_rate_and_time_left() -> None:
    import io

    from tui.cli._progress import Progress

    out = io.StringIO()
    with Progress(out, live=True) as bar:
        for done in range(0, 101, 10):
            bar("embedding", done, 100)
    text = out.getvalue()
    assert "embedding" in text and "100/100" in text and "left" in text
