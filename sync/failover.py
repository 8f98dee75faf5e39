"""The device's connections to its hub's addresses: retry with back-off, then the next address.

A hub may run as several processes (behind a load balancer, or at several addresses IT set with
``lifeboat sync hub-urls``). A dropped connection, a timeout, or a 502/503/504 from a balancer or
a busy hub is retried a few times on the same address with jittered back-off, then the next
address is tried, round and round, until ``retry_for_s`` has passed. Only then does the caller
see an error. Other answers (a refusal, a bad signature) are returned at once: repeating those
cannot help.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from appliance.errors import SyncError
from sync.retry import Backoff

if TYPE_CHECKING:
    import httpx

    from sync.hublink import HubLink

RETRY_STATUSES = frozenset({502, 503, 504})
Notice = Callable[[str], None]


class HubConnection:
    """HTTP clients for each of the hub's addresses, used one at a time."""

    def __init__(self, link: HubLink, *, http: httpx.Client | None = None,
                 timeout: Any = 30.0, retry_for_s: float = 60.0,
                 backoff: Backoff = Backoff(attempts=3, base_s=0.5, cap_s=4.0),
                 notice: Notice | None = None,
                 sleep: Callable[[float], None] = time.sleep, auth: Any = None) -> None:
        self.link, self.timeout, self.auth = link, timeout, auth
        self.retry_for_s, self.backoff, self.notice, self.sleep = \
            retry_for_s, backoff, notice, sleep
        self._given = http is not None
        self.urls = [str(http.base_url).rstrip("/")] if http is not None else link.all_urls()
        self._clients: dict[str, httpx.Client] = {self.urls[0]: http} if http is not None \
            else {}
        self.index = 0
        self.retries = 0
        """Attempts repeated after a connection problem (for reports and tests)."""

    @property
    def url(self) -> str:
        return self.urls[self.index]

    @property
    def client(self) -> httpx.Client:
        """The client for the address in use now."""
        url = self.url
        if url not in self._clients:
            self._clients[url] = self.link.http_client(self.timeout, url=url, auth=self.auth)
        return self._clients[url]

    def close(self) -> None:
        if not self._given:
            for client in self._clients.values():
                client.close()
        self._clients.clear()

    def first_healthy(self, path: str = "/v1/ready", timeout: float = 3.0) -> bool:
        """Point at the first address whose ``path`` answers 200 (cheap; no retries)."""
        import httpx

        start = self.index
        for step in range(len(self.urls)):
            self.index = (start + step) % len(self.urls)
            try:
                status = self.client.get(path, timeout=timeout).status_code
                if status == 404:  # a hub older than the ready endpoint: its health will do
                    status = self.client.get("/v1/health", timeout=timeout).status_code
            except httpx.HTTPError:
                continue
            if status == 200:
                return True
        self.index = start
        return False

    def request(self, send: Callable[[httpx.Client], httpx.Response]) -> httpx.Response:
        """``send(client)`` until an answer that is not a connection problem, or time is up."""
        import httpx

        deadline = time.monotonic() + self.retry_for_s
        last = "no attempt"
        while True:
            for wait in [*self.backoff.delays(), None]:
                try:
                    response = send(self.client)
                except httpx.TransportError as exc:
                    last = f"{type(exc).__name__} from {self.url}"
                else:
                    if response.status_code not in RETRY_STATUSES:
                        return response
                    last = f"HTTP {response.status_code} from {self.url}"
                if time.monotonic() >= deadline:
                    raise SyncError(f"Lost contact with the hub ({last}).",
                                    hint="Nothing is lost: sync resumes when the hub is "
                                         "reachable.")
                self.retries += 1
                if wait is None:
                    break
                self._say(f"{last}; retrying in {wait:.1f} s")
                self._pause(wait, deadline)
            if len(self.urls) > 1:
                self.index = (self.index + 1) % len(self.urls)
                self._say(f"{last}; trying {self.url}")
            else:
                wait = self.backoff.cap_s * random.uniform(0.5, 1.0)
                self._say(f"{last}; retrying in {wait:.1f} s")
                self._pause(wait, deadline)

    def _pause(self, wait: float, deadline: float) -> None:
        self.sleep(min(wait, max(0.0, deadline - time.monotonic())))

    def _say(self, text: str) -> None:
        if self.notice is not None:
            self.notice(text)


def signed_answer(response: httpx.Response, refused: str, refused_hint: str,
                  cut_off: str, cut_off_hint: str | None = None) -> Any:
    """The hub's JSON answer, or SyncError: ``refused`` (with the hub's own error) when the
    status is not 200, ``cut_off`` when the body is not JSON."""
    if response.status_code != 200:
        try:
            message = str(response.json().get("error"))
        except ValueError:
            message = f"HTTP {response.status_code}"
        raise SyncError(f"{refused}: {message}", hint=refused_hint)
    try:
        return response.json()
    except ValueError as exc:
        raise SyncError(cut_off, hint=cut_off_hint) from exc
