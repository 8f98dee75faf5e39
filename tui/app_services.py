"""What runs behind the screens once someone has signed in: the protocol pack check, the
assistant's model, the sync agent, and the status bar they report to.

``LifeboatApp`` (tui/app.py) starts these after sign-in and stops them at sign-out; every one
runs in a thread worker and posts back to the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App

from appliance.device import Device
from appliance.errors import LifeboatError
from appliance.session import Session
from tui.widgets.encounter_context import Saved
from tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from appliance.status import StatusSnapshot
    from sync.client import SyncAgent


class BackgroundServices(App[int]):
    """The app's background work and the state it shows in every screen's status bar."""

    def __init__(self, device: Device) -> None:
        super().__init__()
        self.device = device
        self.session: Session | None = None
        self.model_state = "assistant: off"
        self.hub_state: str | None = None
        self.sync_agent: SyncAgent | None = None  # once signed in with a hub
        # shown at once by each new screen's status bar
        self.last_status: StatusSnapshot | None = None

    # -- after sign-in: the model and the sync agent, never at start-up -----------------------

    def start_background_services(self) -> None:
        """Load the assistant's model in a worker; start the sync agent when a hub is set."""
        self.prepare_protocols()
        self.load_assistant()
        self.start_sync_agent()

    def start_sync_agent(self) -> None:
        """Start the background sync agent if a hub is enrolled and it is not running."""
        if self.sync_agent is None and self.session is not None:
            from tui.widgets.sync_state import describe, start_agent

            def changed(state: object) -> None:  # called on the agent's thread
                if not self.is_running:
                    return  # the app is closing: its event loop takes no more calls
                try:
                    self.call_from_thread(self._set_hub_state, describe(state))
                except RuntimeError:
                    pass  # it closed between the check and the call

            self.sync_agent = start_agent(self.session, changed)

    @work(thread=True, exclusive=True, group="protocols")
    def prepare_protocols(self) -> None:
        """Check the active pack (a tampered pack is refused, loudly), load its triage rules
        and finish its semantic index if the first run deferred it; lexical search works
        meanwhile."""
        from appliance.protocols.active_rules import active_ruleset
        from appliance.protocols.installed import verify_active_quick
        from appliance.protocols.lifecycle import build_vectors

        lay = self.device.layout
        try:
            pack = verify_active_quick(lay)
            active_ruleset(lay)  # parsed once here, not in the first record opened
            if pack is not None and pack.vectors != "ready":
                build_vectors(lay)
        except LifeboatError as exc:
            self.call_from_thread(self.notify, str(exc), title="Protocol pack",
                                  severity="error", timeout=30)

    @work(thread=True, exclusive=True, group="model-load")
    def load_assistant(self) -> None:
        from tui.widgets.assistant_state import load_model

        state = load_model(self.device,
                           lambda s: self.call_from_thread(self._set_model_state, s.text))
        self.call_from_thread(self._set_model_state, state.text)

    @property
    def handover_smoother(self) -> object | None:
        """Model wording for the handover screen, only while the assistant is ready."""
        from tui.widgets.assistant_state import handover_smoother

        return handover_smoother(self.model_state)

    def _set_model_state(self, text: str) -> None:
        self.model_state = text
        for bar in self.screen.query(StatusBar):
            bar.model_state = text

    def _set_hub_state(self, text: str) -> None:
        self.hub_state = text
        self.refresh_status()

    def stop_background_services(self) -> None:
        agent, self.sync_agent = self.sync_agent, None
        if agent is not None:
            agent.stop(timeout=0.5)
            self.hub_state = None

    # -- status -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="status")
    def refresh_status(self) -> None:
        session = self.session
        if session is None:
            return
        from appliance.status import snapshot

        try:
            snap = snapshot(session, self.hub_state)
        except LifeboatError:
            return
        self.call_from_thread(self._show_status, snap)

    def _show_status(self, snap: StatusSnapshot) -> None:
        self.last_status = snap
        for bar in self.screen.query(StatusBar):
            bar.snapshot = snap
            bar.model_state = self.model_state

    def on_screen_resume(self) -> None:
        # A screen shown again (home after the board) shows the latest status at once, not
        # what it had when it was covered (e.g. "0 unsynced" after records were saved).
        for bar in self.screen.query(StatusBar):
            bar.catch_up()
        self.refresh_status()

    @on(Saved)
    def _record_saved(self) -> None:
        # The unsynced count moves with every save: show it now, not at the next 5 s tick
        # (after the frame that shows the save, which stays first).
        self.call_after_refresh(self.refresh_status)
