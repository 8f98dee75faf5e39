"""Failed-login back-off, kept outside the database (it is needed before unlocking).

After ``failed_attempts_before_backoff`` wrong PINs, each further attempt must wait
``backoff_base_seconds * 2**(extra failures)`` (capped at 15 minutes). A correct PIN resets it.
The file holds usernames and counters only, never secrets.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from appliance.config import SecuritySettings
from appliance.errors import LockedOutError
from appliance.fsutil import atomic_write_json

MAX_WAIT_S = 900.0


class Lockout:
    def __init__(self, path: Path, settings: SecuritySettings) -> None:
        self.path = path
        self.settings = settings

    def _load(self) -> dict[str, dict[str, float]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (FileNotFoundError, ValueError):
            return {}

    def wait_seconds(self, username: str, now: float | None = None) -> float:
        now = time.time() if now is None else now
        state = self._load().get(username)
        if not state:
            return 0.0
        extra = int(state["failures"]) - self.settings.failed_attempts_before_backoff
        if extra < 0:
            return 0.0
        wait: float = min(MAX_WAIT_S, self.settings.backoff_base_seconds * (2 ** extra))
        return max(0.0, float(state["last"]) + wait - now)

    def check(self, username: str, now: float | None = None) -> None:
        wait = self.wait_seconds(username, now)
        if wait > 0:
            raise LockedOutError(
                f"Too many wrong PINs for {username}: try again in {int(wait) + 1} s.",
                retry_after_s=wait, hint="Another user can still sign in meanwhile.")

    def record_failure(self, username: str, now: float | None = None) -> None:
        data = self._load()
        state = data.get(username, {"failures": 0, "last": 0.0})
        data[username] = {"failures": state["failures"] + 1,
                          "last": time.time() if now is None else now}
        atomic_write_json(self.path, data)

    def reset(self, username: str) -> None:
        data = self._load()
        if username in data:
            del data[username]
            atomic_write_json(self.path, data)

    def failures(self, username: str) -> int:
        return int(self._load().get(username, {}).get("failures", 0))
