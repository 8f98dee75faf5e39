"""Garbage collection for a long-running app on a 2-core laptop: full collections when idle.

CPython's full (generation 2) collections walk every object still alive: widgets, styles,
cached strips, rows. Landing inside key presses, they made the slow tail of record tab switches
and saves (``python -m bench encounters``; figures in ``docs/performance.md``). Freezing the
start-up heap is not enough: a working session's heap keeps growing.

So the collector keeps its young generations (cheap, a few ms) and full collections move to
moments when nobody is typing: :class:`IdleCollector` runs one after ``quiet_s`` without a key
or click, and at the latest every ``max_gap_s`` (memory stays bounded during a long burst of
typing). What is alive once start-up is done is frozen, so full collections skip it.
"""

from __future__ import annotations

import gc
import time

# Generation-2 threshold high enough that CPython never starts a full collection by itself.
NO_AUTOMATIC_FULL = 1_000_000


class IdleCollector:
    """Full garbage collections between key presses instead of during them."""

    def __init__(self, quiet_s: float = 1.5, max_gap_s: float = 60.0) -> None:
        self.quiet_s = quiet_s
        self.max_gap_s = max_gap_s
        self.last_input = time.monotonic()
        self.last_full = time.monotonic()
        self.collections = 0

    def start(self) -> None:
        """Collect and freeze what start-up left alive; stop automatic full collections."""
        gc.collect()
        gc.freeze()
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, NO_AUTOMATIC_FULL)
        self.last_full = time.monotonic()

    def touched(self) -> None:
        """A key or click arrived."""
        self.last_input = time.monotonic()

    def quiet_for(self) -> float:
        """Seconds since the last key or click."""
        return time.monotonic() - self.last_input

    def tick(self) -> bool:
        """Call every second or so; runs a full collection when it is due (True if it ran)."""
        now = time.monotonic()
        quiet = now - self.last_input >= self.quiet_s
        overdue = now - self.last_full >= self.max_gap_s
        if not (overdue or (quiet and self.last_input > self.last_full)):
            return False
        gc.collect()
        self.last_full = time.monotonic()
        self.collections += 1
        return True

    @staticmethod
    def stop() -> None:
        """Back to CPython's own schedule (tests, and when the app exits)."""
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, 10)
        gc.unfreeze()
