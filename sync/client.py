"""Device side of sync: batch pending events, sign, send, apply verified receipts.

``SyncClient.sync_now`` sends every pending event in id-ordered batches; after each verified
receipt the batch is marked acknowledged (or quarantined, with the hub's reason) in one
transaction. A run interrupted anywhere simply resumes: acknowledged events are never sent again
and the hub answers re-sent ones as duplicates. A final status-only request lets the hub compare
the device's event count and id digest with its own ("verified drained").

``SyncAgent`` is a background thread the TUI can start: it polls the hub's cheap health endpoint,
syncs when it is reachable and backs off exponentially while it is not. After a successful sync it
activates newer packs (and models) the hub offers, as ``[sync] auto_apply_*`` allow
(:mod:`sync.apply_updates`).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from appliance.errors import LifeboatError, SyncError
from appliance.health import readings
from sync import outbox
from sync import protocol as p
from sync.failover import HubConnection, Notice, signed_answer
from sync.hublink import HubLink, device_auth
from sync.hublink import load as load_link

if TYPE_CHECKING:
    import httpx

    from appliance.session import Session
    from sync.apply_updates import ApplyReport

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
SYNC_PATH = "/v1/sync"


@dataclass(frozen=True)
class Prepared:
    """A signed request ready to send."""

    events: list[dict[str, Any]]
    body: bytes
    headers: dict[str, str]


@dataclass
class SyncReport:
    sent: int = 0
    acked: int = 0
    quarantined: int = 0
    duplicates: int = 0
    receipts: int = 0
    pending_before: int = 0
    pending_after: int = 0
    device_total: int = 0
    hub_total: int | None = None
    verified_drained: bool = False
    connection_retries: int = 0
    quarantine_reasons: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def device_status(session: Session, stats: dict[str, Any], *, final: bool) -> dict[str, Any]:
    """What the hub's fleet view shows about this device (battery, versions, backlog)."""
    from appliance import __version__

    lay = session.device.layout
    status: dict[str, Any] = {
        "pending": stats["pending"], "oldest_pending": stats["oldest_pending"],
        "total": stats["total"], "digest": stats["digest"], "quarantined": stats["quarantined"],
        "label": session.device.info.label, "app_version": __version__, "final": final,
        "packs": _names(lay.packs), "models": _names(lay.models), "health": None,
        "audit_head": audit_head(session),
    }
    try:
        status["health"] = readings.read(lay.root).to_json()
    except Exception as exc:  # noqa: BLE001 - a broken sensor must never stop a sync
        status["health"] = {"error": str(exc)[:200]}
    return status


def audit_head(session: Session) -> dict[str, Any] | None:
    """The audit chain's last entry (seq, hash): the hub anchors it, so a log later rolled
    back or rewritten on the device shows up at the hub."""
    rows = session.db.query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    return {"seq": rows[0]["seq"], "hash": rows[0]["hash"]} if rows else None


def _names(folder: Any) -> list[str]:
    try:
        return sorted(x.name for x in folder.iterdir() if not x.name.startswith("."))
    except OSError:
        return []


class SyncClient:
    """Sync one signed-in session's device with its enrolled hub over HTTP."""

    def __init__(self, session: Session, *, link: HubLink | None = None,
                 http: httpx.Client | None = None, batch_size: int | None = None,
                 retry_for_s: float = 60.0, notice: Notice | None = None) -> None:
        import httpx

        self.session = session
        self.link = link or load_link(session.device.layout)
        self.key = session.signing_key()
        self.batch_size = batch_size or session.device.config.sync.batch_size
        self.conn = HubConnection(self.link, http=http, timeout=httpx.Timeout(30.0, connect=5.0),
                                  retry_for_s=retry_for_s, notice=notice,
                                  auth=device_auth(session))

    @property
    def http(self) -> httpx.Client:
        """The HTTP client for the hub address in use now."""
        return self.conn.client

    def close(self) -> None:
        self.conn.close()

    def health(self) -> bool:
        """True when one of the hub's addresses is ready (cheap; no auth); later requests go
        to that address."""
        return self.conn.first_healthy()

    def prepare(self, events: list[dict[str, Any]], status: dict[str, Any]) -> Prepared:
        """Encode and sign one request body."""
        device_id = self.session.device_id
        body = p.canonical({"v": p.VERSION, "device_id": device_id, "events": events,
                            "status": status})
        headers = p.sign_request(self.key, device_id, "POST", SYNC_PATH, body)
        headers["content-type"] = "application/json"
        return Prepared(events, body, headers)

    def post(self, events: list[dict[str, Any]], status: dict[str, Any]) -> dict[str, Any]:
        """Send one signed batch; returns the verified receipt."""
        return self.send(self.prepare(events, status))

    def send(self, prepared: Prepared) -> dict[str, Any]:
        """Send one request; a connection problem is retried (re-signed with a fresh nonce, as
        the hub may have stored the lost attempt) and the receipt verified."""
        device_id = self.session.device_id
        headers = dict(prepared.headers)
        tries = 0

        def attempt(http: httpx.Client) -> httpx.Response:
            nonlocal tries
            if tries:
                headers.update(p.sign_request(self.key, device_id, "POST", SYNC_PATH,
                                              prepared.body))
            tries += 1
            return http.post(SYNC_PATH, content=prepared.body, headers=headers)

        response = self.conn.request(attempt)
        signed = signed_answer(response, "The hub refused the sync request",
                               "Nothing was marked as synced.",
                               "The hub's answer was cut off; nothing was marked.")
        receipt = p.verify_receipt(self.link.verify_key(), signed, device_id)
        if receipt.get("request_nonce") != headers[p.H_NONCE]:
            raise SyncError("The hub's receipt answers a different request; nothing was marked.")
        return receipt

    def sync_now(self, progress: Progress | None = None) -> SyncReport:
        """Send everything pending, then report status; safe to interrupt at any point."""
        db, device_id = self.session.db, self.session.device_id
        stats = outbox.stats(db, device_id, digest=False)
        report = SyncReport(pending_before=stats["pending"], device_total=stats["total"])
        status = device_status(self.session, stats, final=False)
        done = 0
        if progress:
            progress(0, stats["pending"])
        batches = outbox.pending_batches(db, self.batch_size)

        def next_request() -> Prepared | None:
            batch = next(batches, None)
            if batch is None:
                return None
            return self.prepare(batch, dict(status, pending=stats["pending"] - done))

        def apply(prepared: Prepared, receipt: dict[str, Any]) -> None:
            nonlocal done
            acked, quarantined = outbox.apply_receipt(
                db, receipt, sent={e["id"] for e in prepared.events},
                user_id=self.session.user.id, via="http")
            report.sent += len(prepared.events)
            report.acked += acked
            report.quarantined += quarantined
            report.duplicates += int(receipt.get("duplicates") or 0)
            report.receipts += 1
            report.quarantine_reasons += [{"id": q["id"], "reason": q.get("reason", "")}
                                          for q in receipt["quarantined"]]
            done += len(prepared.events)
            if progress:
                progress(done, stats["pending"])

        # Three jobs overlap: encoding the next batch, the hub storing this one, and marking the
        # previous receipt. Marking stays sequential and only ever follows a verified receipt.
        with ThreadPoolExecutor(1, thread_name_prefix="lifeboat-sync-prep") as prep, \
                ThreadPoolExecutor(1, thread_name_prefix="lifeboat-sync-mark") as mark:
            upcoming = prep.submit(next_request)
            marking: Future[None] | None = None
            while (prepared := upcoming.result()) is not None:
                upcoming = prep.submit(next_request)
                receipt = self.send(prepared)
                if marking is not None:
                    marking.result()
                marking = mark.submit(apply, prepared, receipt)
            if marking is not None:
                marking.result()
        final_stats = outbox.stats(db, device_id)
        receipt = self.post([], device_status(self.session, final_stats, final=True))
        report.pending_after = final_stats["pending"]
        report.device_total = final_stats["total"]
        report.hub_total = receipt.get("hub_event_count")
        report.connection_retries = self.conn.retries
        report.verified_drained = (final_stats["pending"] == 0
                                   and final_stats["quarantined"] == 0
                                   and receipt.get("hub_event_count") == final_stats["total"]
                                   and receipt.get("hub_event_digest") == final_stats["digest"])
        self.session.audit("sync.completed", subject=f"hub:{self.link.hub_id}",
                           detail={k: v for k, v in report.to_json().items()
                                   if k != "quarantine_reasons"})
        return report


@dataclass
class AgentState:
    running: bool = False
    hub_reachable: bool | None = None
    last_attempt: float | None = None
    last_success: float | None = None
    last_error: str | None = None
    failures: int = 0
    next_attempt_in_s: float = 0.0
    last_report: SyncReport | None = None
    last_updates: ApplyReport | None = None
    """Packs (and models) the agent activated, or found refused, after its last sync."""
    last_update_error: str | None = None


class SyncAgent:
    """Background sync: health-check the hub, sync when reachable, back off when not."""

    def __init__(self, session: Session, *, interval_s: float | None = None,
                 max_backoff_s: float = 900.0,
                 on_change: Callable[[AgentState], None] | None = None,
                 progress: Progress | None = None) -> None:
        self.session = session
        self.interval_s = interval_s or session.device.config.sync.interval_seconds
        self.max_backoff_s = max_backoff_s
        self.on_change, self.progress = on_change, progress
        self.state = AgentState()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="lifeboat-sync", daemon=True)
            self.state.running = True
            self._thread.start()

    def trigger(self) -> None:
        """Try now (e.g. the user pressed "Sync now" or a network came up)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.state.running = False

    def backoff(self) -> float:
        """Seconds to wait after ``failures`` consecutive failures (doubling, jittered, capped)."""
        if self.state.failures == 0:
            return self.interval_s
        base = min(self.max_backoff_s, self.interval_s * 2 ** (self.state.failures - 1))
        return float(base * random.uniform(0.8, 1.0))

    def attempt(self) -> None:
        """One health check and, when the hub answers, one full sync."""
        self.state.last_attempt = time.time()
        try:
            client = SyncClient(self.session)
        except LifeboatError as exc:  # not enrolled: nothing to do until IT enrols us
            self.state.last_error, self.state.hub_reachable = str(exc), None
            self.state.failures += 1
            return
        try:
            self.state.hub_reachable = client.health()
            if not self.state.hub_reachable:
                self.state.failures += 1
                self.state.last_error = "hub unreachable"
                return
            self.state.last_report = client.sync_now(self.progress)
            self.state.failures, self.state.last_error = 0, None
            self.state.last_success = time.time()
            self.apply_updates(client)
        except LifeboatError as exc:
            self.state.failures += 1
            self.state.last_error = str(exc)
        finally:
            client.close()

    def apply_updates(self, client: SyncClient) -> None:
        """After a good sync, activate what the hub offers that ``[sync] auto_apply_packs`` /
        ``auto_apply_models`` allow; a problem here is reported but never fails the sync."""
        from sync import apply_updates

        settings = self.session.device.config.sync
        kinds = [k for k, on in (("pack", settings.auto_apply_packs),
                                 ("model", settings.auto_apply_models)) if on]
        if not kinds:
            return
        try:
            self.state.last_updates = apply_updates.apply(
                client.http, client.link, self.session.device.layout, kinds=kinds,
                audit=apply_updates.session_audit(self.session, via="sync-agent"),
                retry_refused=False)
            problems = self.state.last_updates.problems
            self.state.last_update_error = problems[0].message if problems else None
        except LifeboatError as exc:
            self.state.last_update_error = str(exc)
        except Exception as exc:  # noqa: BLE001 - an update problem must never stop syncing
            log.exception("applying updates failed")
            self.state.last_update_error = f"{type(exc).__name__}: {exc}"

    def _run(self) -> None:
        while not self._stop.is_set():
            self.attempt()
            self.state.next_attempt_in_s = self.backoff()
            if self.on_change:
                self.on_change(self.state)
            self._wake.wait(self.state.next_attempt_in_s)
            self._wake.clear()
