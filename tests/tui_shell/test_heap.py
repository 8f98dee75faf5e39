"""The app's garbage-collection schedule: full collections wait for a pause in typing."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator

import pytest

from tui.heap import NO_AUTOMATIC_FULL, IdleCollector


@pytest.fixture
def collector() -> Iterator[IdleCollector]:
    heap = IdleCollector(quiet_s=0.05, max_gap_s=0.5)
    heap.start()
    yield heap
    heap.stop()


def test_start_freezes_what_is_alive_and_stops_automatic_full_collections(
        collector: IdleCollector) -> None:
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[2] == NO_AUTOMATIC_FULL


def test_a_full_collection_runs_only_once_typing_has_paused(collector: IdleCollector) -> None:
    collector.touched()
    assert not collector.tick()  # still typing
    time.sleep(0.06)
    assert collector.tick()  # quiet: collect once
    assert not collector.tick()  # nothing typed since: nothing to do
    assert collector.collections == 1


def test_a_long_burst_of_typing_still_gets_a_collection(collector: IdleCollector) -> None:
    deadline = time.monotonic() + 0.6
    ran = False
    while time.monotonic() < deadline:
        collector.touched()
        ran = collector.tick() or ran
        time.sleep(0.01)
    assert ran  # overdue after max_gap_s, typing or not


def test_stop_gives_the_schedule_back() -> None:
    heap = IdleCollector()
    heap.start()
    heap.stop()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold()[2] == 10
