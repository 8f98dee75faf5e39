"""The background sync agent as the TUI sees it: start it, and say its state in a few words.

The agent (``sync.client.SyncAgent``) runs on its own thread and calls back from there; the app
turns each state into ``app.hub_state`` (shown in the status bar) on the UI thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from appliance.session import Session

log = logging.getLogger("lifeboat.sync")


def hub_configured(session: Session) -> bool:
    """True when this device was enrolled with a hub (nothing else ever reaches the network)."""
    from sync.hublink import path_for

    return bool(path_for(session.device.layout).is_file())


def describe(state: Any, now: float | None = None) -> str:
    """A short status-bar phrase for an ``AgentState``."""
    now = now or time.time()
    if state.last_error and state.hub_reachable is False:
        return f"hub unreachable · retry in {_ago(state.next_attempt_in_s)}"
    if state.last_error:
        return "hub: sync failed · retrying"
    if state.last_success:
        report = state.last_report
        drained = " · drained" if report is not None and report.verified_drained else ""
        return f"hub synced {time.strftime('%H:%M', time.localtime(state.last_success))}{drained}"
    return "hub: connecting…"


def _ago(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def start_agent(session: Session, on_change: Callable[[Any], None],
                progress: Callable[[int, int], None] | None = None) -> Any:
    """Start the background agent for ``session``; None when no hub is configured."""
    if not hub_configured(session):
        return None
    from sync.client import SyncAgent

    last: dict[str, Any] = {"success": None, "error": None}

    def logged(state: Any) -> None:  # on the agent's thread: a sync or a failure, once each
        if state.last_success and state.last_success != last["success"]:
            report = state.last_report
            log.info("synced with the hub: %s acknowledged, %s quarantined%s",
                     getattr(report, "acked", "?"), getattr(report, "quarantined", "?"),
                     ", drained" if getattr(report, "verified_drained", False) else "")
        if state.last_error and state.last_error != last["error"]:
            log.warning("sync failed: %s", state.last_error)
        last.update(success=state.last_success, error=state.last_error)
        on_change(state)

    agent = SyncAgent(session, on_change=logged, progress=progress)
    agent.start()
    return agent
