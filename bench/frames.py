"""Key press to the first frame that shows its effect, in a headless Textual app.

Timing around ``Pilot.press``/``Pilot.pause`` measures the test harness, not the app: both wait
for the process to look idle in 20 ms sleeps (``textual._wait.wait_for_idle``), so a key bound to
nothing measured 110 ms. Here the key goes straight into the app's queue and the clock stops at
the first frame the app renders once the expected state holds. Headless apps skip turning a
frame into terminal output, so the probe does that too, to count its cost.

Beside each wall time the probe keeps the UI thread's CPU time over the same span
(``last_cpu_s``): on a shared, loaded machine the wall time is mostly waiting for a core, while
the CPU time is the work the app itself did, which is what a change can cut.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

POLL_S = 0.0005


class FrameProbe:
    """Wraps ``app._display`` (where every screen update is drawn) to timestamp frames."""

    def __init__(self, app: Any) -> None:
        from textual._compositor import CompositorUpdate

        self.app = app
        self.frames = 0
        self.last_cpu_s = 0.0  # UI-thread CPU time of the last until()
        self._condition: Callable[[], bool] | None = None
        self._hit: float | None = None
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None:
                return
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)
            self.frames += 1
            if self._condition is not None and self._hit is None and self._condition():
                self._hit = time.perf_counter()

        app._display = display

    async def until(self, start: Callable[[], object], condition: Callable[[], bool],
                    timeout_s: float = 10.0) -> float:
        """Seconds from calling ``start`` to the first frame drawn with ``condition`` true."""
        self._condition, self._hit = condition, None
        t0, cpu0 = time.perf_counter(), time.thread_time()
        start()
        while self._hit is None:
            if time.perf_counter() - t0 > timeout_s:
                self._condition = None
                raise TimeoutError("the expected screen never appeared")
            await asyncio.sleep(POLL_S)
        self.last_cpu_s = time.thread_time() - cpu0
        self._condition = None
        return self._hit - t0

    async def key(self, key: str, condition: Callable[[], bool]) -> float:
        """Seconds from pressing ``key`` to the first frame showing ``condition``."""
        from textual import events

        char = key if len(key) == 1 else None
        return await self.until(lambda: self.app._driver.send_message(events.Key(key, char)),
                                condition)

    async def settle(self, quiet_s: float = 0.05) -> None:
        """Wait until no frame has been drawn for ``quiet_s`` (between samples)."""
        while True:
            before = self.frames
            await asyncio.sleep(quiet_s)
            if self.frames == before:
                return
