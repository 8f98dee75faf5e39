"""Progress of long commands (build, install, index-vectors) on stderr: count, rate, time left.

Imported inside the handlers that need it, so ``lifeboat --help`` does not load rich.

On a terminal it is a live bar drawn by rich. Otherwise (a log file, a CI job, a pipe) it prints
a plain line when a stage starts, at every ``STEP_PERCENT`` and when it ends, so a 20-minute
build writes a few dozen lines, not hundreds.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as Bar
from rich.text import Text

STEP_PERCENT = 5


def duration(seconds: float) -> str:
    """'45 s', '12 min', '1 h 05 min': how long, in words a person reads at a glance."""
    seconds = max(0.0, seconds)
    if seconds < 90:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


class Progress:
    """A ``(stage, done, total)`` callback for the domain's long operations."""

    def __init__(self, stream: TextIO | None = None, *, live: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}
        self._stage = ""
        self._start = (0.0, 0)  # (time, done) when the current stage was first seen
        self._step = -1

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.live:
            self._draw(stage, done, total)
        else:
            self._print(stage, done, total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _draw(self, stage: str, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = Bar(TextColumn("{task.description:<14}"), BarColumn(),
                            MofNCompleteColumn(), _Rate(), TimeElapsedColumn(),
                            TextColumn("left"), TimeRemainingColumn(),
                            console=Console(file=self.stream), transient=False)
            self._bar.start()
        task = self._tasks.get(stage)
        if task is None:
            self._tasks[stage] = self._bar.add_task(stage, total=total, completed=done)
        else:
            self._bar.update(task, total=total, completed=done)

    def _print(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage != self._stage:
            self._stage, self._start, self._step = stage, (now, done), -1
        step = 100 // STEP_PERCENT if total <= 0 or done >= total else \
            int(100 * done / total) // STEP_PERCENT
        if step == self._step:
            return
        self._step = step
        line = f"{stage}: {done:,}/{total:,}"
        if total > 1:
            line += f" ({100 * done / total:.0f}%)"
        started, first = self._start
        elapsed = now - started
        if done > first and elapsed > 0.5:
            rate = (done - first) / elapsed
            line += f", {rate:,.1f}/s"
            if done < total:
                line += f", about {duration((total - done) / rate)} left"
        elif done >= total and elapsed > 0.5:
            line += f", {duration(elapsed)}"
        self.stream.write(line + "\n")
        self.stream.flush()


class _Rate(ProgressColumn):
    """Items per second over rich's recent window (blank until it has two samples)."""

    def render(self, task: Any) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "", style="progress.data.speed")
