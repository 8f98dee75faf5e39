"""Time-ordered unique identifiers (ULID layout: 48-bit milliseconds + 80 random bits).

Sorting ids sorts by creation time, which keeps event logs and sync high-water marks simple.
Within one process ids are strictly increasing even when the clock stalls or steps back.
"""

from __future__ import annotations

import os
import threading
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
_lock = threading.Lock()
_last = 0


def new_id() -> str:
    global _last
    with _lock:
        ms = int(time.time() * 1000)
        value = (ms << 80) | int.from_bytes(os.urandom(10), "big")
        if value <= _last:
            value = _last + 1
        _last = value
    return _encode(value)


def _encode(value: int) -> str:
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def timestamp_ms(ulid: str) -> int:
    value = 0
    for ch in ulid:
        value = value * 32 + _ALPHABET.index(ch)
    return value >> 80
