"""Bounded retries with jittered exponential back-off, for the hub store and the device client.

Jitter matters on both sides: after a deadlock the two losers must not retry in lock-step, and
after a hub restart a whole fleet must not reconnect in the same second.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Backoff:
    """``attempts`` tries in all; waits double from ``base_s`` up to ``cap_s``, each jittered
    down by up to half so concurrent retriers spread out."""

    attempts: int = 5
    base_s: float = 0.05
    cap_s: float = 2.0

    def delays(self, rng: random.Random | None = None) -> Iterator[float]:
        """The waits between attempts (``attempts - 1`` of them)."""
        pick = rng or random
        for n in range(max(0, self.attempts - 1)):
            step = min(self.cap_s, self.base_s * 2 ** n)
            yield step * pick.uniform(0.5, 1.0)


def call_with_retry(fn: Callable[[], T], *, retry_on: tuple[type[BaseException], ...],
                    backoff: Backoff = Backoff(),
                    on_retry: Callable[[int, float, BaseException], None] | None = None,
                    sleep: Callable[[float], None] = time.sleep) -> T:
    """``fn()``, called again after each exception in ``retry_on`` until ``backoff`` runs out;
    the last exception is re-raised. ``on_retry(attempt, wait_s, exc)`` runs before each wait."""
    delays = backoff.delays()
    attempt = 1
    while True:
        try:
            return fn()
        except retry_on as exc:
            wait = next(delays, None)
            if wait is None:
                raise
            if on_retry is not None:
                on_retry(attempt, wait, exc)
            sleep(wait)
            attempt += 1
