"""The Lifeboat Textual app: sign-in, a home per role, status bar, idle lock."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from textual import events, on
from textual.app import SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import WorkerFailed

from appliance.device import Device
from appliance.records.clock import system_clock
from appliance.session import Session
from tui.app_services import BackgroundServices
from tui.failures import report_crash, report_worker_failure
from tui.heap import IdleCollector
from tui.messages import PinChanged, SignedIn
from tui.screens.home import HomeScreen
from tui.screens.lock import LockScreen
from tui.screens.login import LoginScreen
from tui.screens.record_spare import SPARE_CHECK_S, RecordSpare
from tui.theme import HIGH_CONTRAST
from tui.widgets.field_row import ORDERED_FOCUS_BINDINGS, KeyGate, KeysReleased

log = logging.getLogger("lifeboat.tui")
STATUS_REFRESH_S = 5.0
# What waits behind a save being read (KeyGate): keys, and mouse presses, which move focus.
HELD_EVENTS = (events.Key, events.MouseDown, events.MouseUp)
IDLE_CHECK_S = 5.0


LOCK_WAIT_S = 5.0  # a save running at lock time is waited for this long, then locked over
LOCK_POLL_S = 0.05

class Curtain(Screen[None]):
    """An empty, opaque screen kept under the lock screen while the device is locked."""

    DEFAULT_CSS = "Curtain { background: $background; }"


class LifeboatApp(BackgroundServices):
    TITLE = "Lifeboat"
    BINDINGS = [
        Binding("ctrl+q", "quit_app", "Quit", priority=True),
        Binding("ctrl+l", "lock", "Lock", show=False, priority=True),  # on dialogs too
        *ORDERED_FOCUS_BINDINGS,  # Tab moves focus in typing order on every screen
    ]

    def __init__(self, device: Device) -> None:
        super().__init__(device)
        self._locked = False
        self._lock_pending = False  # waiting for a save to end before locking
        # notifications raised while locked: (message, title, severity, timeout, markup)
        self._held_notes: list[tuple[str, str, SeverityLevel, float | None, bool]] = []
        self.animation_level = "none"  # two cores: spend them on work, not on sliding widgets
        self.heap = IdleCollector()  # full garbage collections between key presses
        self.key_gate = KeyGate(self)  # keys typed while a form is read wait behind it
        self.record_spare = RecordSpare(self)  # a record composed while idle: opens at once

    def _handle_exception(self, error: Exception) -> None:
        """A failed thread worker is reported on screen and the app stays up (tui.failures);
        any other unhandled error still ends the app, as Textual does."""
        if isinstance(error, WorkerFailed) and isinstance(error.error, Exception):
            report_worker_failure(self, error.error)
            return
        super()._handle_exception(error)

    # -- start-up ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        theme = self.device.config.ui.theme
        self.theme = theme if theme in self.available_themes else HIGH_CONTRAST.name
        self.push_screen(LoginScreen(self.device))
        self.set_interval(STATUS_REFRESH_S, self.refresh_status)
        self.set_interval(IDLE_CHECK_S, self._check_idle)
        self.set_interval(1.0, self.heap.tick)
        self.set_interval(SPARE_CHECK_S, self._prepare_spare)

    def on_unmount(self) -> None:
        self.heap.stop()

    def _prepare_spare(self) -> None:
        """Compose the next record once nobody has typed for a moment (tui.screens.record_spare)."""
        session = None if self._locked else self.session
        if session is not None and session.must_change_pin:
            session = None
        self.record_spare.prepare_if_idle(session, getattr(self, "clock", system_clock),
                                          self.heap.quiet_for())

    @on(SignedIn)
    def _signed_in(self, message: SignedIn) -> None:
        if self.session is not None and self.session is not message.session:
            self.session.close()
        self.record_spare.discard()
        self.session = message.session
        if message.session.must_change_pin:
            self._force_pin_change(message.session)
            self.key_gate.discard()  # keys typed during the check were meant for home
            if message.shown is not None:
                message.shown()  # lets go the login's hold on the keyboard
            return
        home = HomeScreen(message.session)
        self.switch_screen(home)
        if message.shown is not None:
            home.call_after_refresh(message.shown)
        self.refresh_status()
        self.start_background_services()
        self.call_after_refresh(self.heap.start)  # start-up's objects: collected once, frozen

    def _force_pin_change(self, session: Session) -> None:
        """An admin-set PIN: nothing else until the user has chosen their own (PinChanged)."""
        from tui.screens.change_pin import ChangePinScreen

        self.switch_screen(ChangePinScreen(session, forced=True))

    @on(PinChanged)
    def _pin_changed(self, message: PinChanged) -> None:
        self._signed_in(SignedIn(message.session))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Notify, and keep every error shown to a user in the log (ids and counts only reach
        error texts: they name fields, not patients)."""
        if severity == "error":
            log.error("shown on %s: %s%s", type(self.screen).__name__,
                      f"{title}: " if title else "", message)
        if self._locked:  # may name a patient: shown after the unlock, not on the lock screen
            self._held_notes.append((message, title, severity, timeout, markup))
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # -- idle lock and sign-out ---------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.heap.touched()
            if self.session is not None:
                self.session.touch()
        if isinstance(event, HELD_EVENTS) and not event.is_forwarded \
                and self.key_gate.holding():
            self.key_gate.held.append(event)  # routed once the save before it has decided
            return
        self.key_gate.routing(event)
        await super().on_event(event)

    @on(KeysReleased)
    async def _route_held_keys(self) -> None:
        while (key := self.key_gate.next_key()) is not None:
            self.key_gate.routing(key)
            await super().on_event(key)  # may hold again (another Enter): the rest wait

    def action_focus_next(self) -> None:
        """Tab: the next field, unless a pick has just moved there (``KeyGate.absorbs_tab``)."""
        if not self.key_gate.absorbs_tab():
            super().action_focus_next()

    def _check_idle(self) -> None:
        if self.session is not None and not self._locked and not self._lock_pending \
                and self.session.is_idle_expired():
            minutes = self.device.config.security.idle_lock_minutes
            self.lock(f"idle for {minutes:g} min")

    def action_lock(self) -> None:
        if self.session is not None and not self._locked and not self._lock_pending:
            self.lock("locked by user")

    def lock(self, reason: str, waited: float = 0.0) -> None:
        from tui.lock_park import busy_showing_patient_data, park, restore

        assert self.session is not None
        if waited < LOCK_WAIT_S and busy_showing_patient_data(self, keep=2):
            # a save still running needs its screen: lock the moment it ends, so that the
            # screen comes down with the rest instead of staying mounted behind the curtain
            self._lock_pending = True
            self.set_timer(LOCK_POLL_S, partial(self.lock, reason, waited + LOCK_POLL_S))
            return
        self._lock_pending = False
        self._locked = True
        self.clear_notifications()  # a toast naming a patient would stay up on the lock screen
        self.session.audit("lock", detail={"reason": reason})
        # Screens showing patient data come down (unmounted) while locked and are rebuilt,
        # with what was typed, after unlocking (tui.lock_park); the home screen stays.
        parked = park(self, keep=2)  # [Textual's default screen, our home screen]

        def done(unlocked: bool | None) -> None:
            self._locked = False
            if isinstance(self.screen, Curtain):
                self.pop_screen()
            held, self._held_notes = self._held_notes, []
            if unlocked:
                self.call_later(restore, self, parked)
                for message, title, severity, timeout, markup in held:
                    self.notify(message, title=title, severity=severity, timeout=timeout,
                                markup=markup)
            else:
                parked.clear()
                self.call_later(self.action_sign_out)  # not while the modal is dismissing

        # The curtain is an opaque, empty screen under the lock: whatever could not come down
        # (a save still running) is not drawn while locked either.
        self.push_screen(Curtain())
        self.push_screen(LockScreen(self.session, reason), done)

    def action_sign_out(self) -> None:
        self.stop_background_services()
        self.record_spare.discard()
        if self.session is not None:
            log.info("signed out: %s", self.session.user.username)
            self.session.audit("logout")
            self.session.close()
            self.session = None
        while len(self.screen_stack) > 2:  # [default screen, our base screen, ...]
            self.pop_screen()
        self.switch_screen(LoginScreen(self.device))

    # -- quitting -----------------------------------------------------------------------------

    def action_quit_app(self) -> None:
        leave_record = getattr(self.screen, "leave_record", None)
        if leave_record is not None:  # the record saves what is typed, as leaving it does
            leave_record(self._sign_out_and_exit, "Quit")
            return
        unsaved = getattr(self.screen, "has_unsaved_input", lambda: False)()
        if unsaved:
            from tui.screens.confirm import ConfirmScreen

            def answer(yes: bool | None) -> None:
                if yes:
                    self._sign_out_and_exit()

            self.push_screen(ConfirmScreen("You have unsaved input on this screen. Quit and "
                                           "lose it?"), answer)
            return
        self._sign_out_and_exit()

    def _sign_out_and_exit(self) -> None:
        self.stop_background_services()
        log.info("quit")
        if self.session is not None:
            self.session.audit("logout")
            self.session.close()
            self.session = None
        self.exit(0)

    def _open_destination(self, factory: str) -> None:
        import importlib

        module, _, fn = factory.partition(":")
        self.push_screen(getattr(importlib.import_module(module), fn)(self))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Lifeboat's own commands only: Textual's include Screenshot, which writes whatever is
        # on screen (a patient record) as an SVG outside the encrypted store.
        if self.session is None or isinstance(screen, LockScreen):
            return
        from functools import partial

        from tui.destinations import for_role

        if self.session.must_change_pin:  # the forced change screen: no way around it
            yield SystemCommand("Sign out", "Sign out so another user can sign in",
                                self.action_sign_out)
            return

        for d in for_role(self.session.user.role):
            yield SystemCommand(d.label, f"Open it (key {d.key} on the home screen)",
                                partial(self._open_destination, d.factory))
        yield SystemCommand("Lock screen", "Lock now (Ctrl+L)", self.action_lock)
        yield SystemCommand("Change my PIN", "Choose a new PIN (only your key slot changes)",
                            self.action_change_pin)
        yield SystemCommand("Sign out", "Sign out so another user can sign in",
                            self.action_sign_out)
        yield SystemCommand("Quit", "Sign out and close Lifeboat (Ctrl+Q)",
                            self.action_quit_app)

    def action_change_pin(self) -> None:
        from tui.screens.change_pin import ChangePinScreen

        if self.session is not None:
            self.push_screen(ChangePinScreen(self.session, forced=False))

    def _fatal_error(self) -> None:
        """An unexpected error: Textual would print a traceback with every local variable (a
        patient's name, a PIN being typed) to stderr, which the kiosk unit sends to the system
        journal. It is logged without values and said in one line instead (tui.failures)."""
        import sys

        self.bell()
        self._exit_renderables.append(report_crash(sys.exc_info()[1] or self._exception))
        self._close_messages_no_wait()

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.deliver_screenshot(filename, path)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """Refused: a screenshot is patient data in a plain file outside the data directory."""
        self.notify("Screenshots are switched off: they would copy patient data out of the "
                    "encrypted store.", severity="warning")
        return None
