"""A record screen composed ahead of time, so a patient's record opens at once.

The record is ~170 widgets: composing them on Enter is most of the time it takes to open a
record from the board, and showing one composed beforehand, then bound to the chosen encounter,
is many times faster (``python -m bench encounters``; figures in ``docs/performance.md``).
So while the user is idle (no key for a
moment, signed in, nothing locked) the app composes one empty record off screen, and the next
"open" or "new record" takes it; a record opened before the spare is ready is composed then.

A spare is used once and never reset for another patient: whatever was typed into a record
leaves with that screen when it is closed, and a spare holds no patient data until it is bound.
It belongs to one session and one clock; signing out or in discards it.

Textual has no public call to compose a screen without showing it. ``App._get_screen``
(registering a screen, which composes and mounts it, as ``push_screen`` does first) is used for
that; ``tests/tui/test_record_spare.py`` fails if it stops composing the screen.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from textual.app import App
from textual.widget import AwaitMount

from appliance.records.clock import Clock, system_clock
from appliance.session import Session
from tui import context

if TYPE_CHECKING:
    from tui.screens.encounter import EncounterScreen

# Composing holds the UI thread, and a key pressed meanwhile waits for it. So: once nobody has
# typed for a moment, checked four times a second.
IDLE_BEFORE_PREPARE_S = 0.3
SPARE_CHECK_S = 0.25


class RecordSpare:
    """Holds at most one composed, unbound record screen for the signed-in session."""

    def __init__(self, app: App[object]) -> None:
        self.app = app
        self._screen: EncounterScreen | None = None
        self.prepared = 0  # spares composed (reported by the benchmark)

    @property
    def ready(self) -> bool:
        """A spare is composed and waiting."""
        return self._screen is not None and self._screen.is_mounted

    def prepare_if_idle(self, session: Session | None, clock: Clock, quiet_s: float) -> bool:
        """Compose a spare when none is waiting and nobody has typed for ``quiet_s`` >=
        IDLE_BEFORE_PREPARE_S (True if it started one)."""
        if session is None or self.ready or quiet_s < IDLE_BEFORE_PREPARE_S:
            return False
        self.prepare(session, clock)
        return True

    def prepare(self, session: Session, clock: Clock = system_clock) -> Awaitable[None]:
        """Start composing a spare for ``session`` (nothing new when one fits); await the
        result to wait until it is mounted."""
        if self._screen is not None:
            if self._screen.ctx.session is session and self._screen.ctx.clock is clock:
                return AwaitMount(self._screen, [self._screen])
            self.discard()
        from tui.screens.encounter import EncounterScreen

        screen = EncounterScreen(session, clock=clock)
        self.app._load_screen_css(screen)
        _, mounted = self.app._get_screen(screen)  # registers: composes, mounts, shows nothing
        self._screen = screen
        self.prepared += 1
        return mounted

    def take(self, session: Session, clock: Clock = system_clock,
             encounter_id: str | None = None) -> EncounterScreen:
        """A record for ``encounter_id`` (None: a new one): the spare if it fits, else fresh."""
        from tui.screens.encounter import EncounterScreen

        screen, self._screen = self._screen, None
        if (screen is None or not screen.is_mounted or screen.ctx.session is not session
                or screen.ctx.clock is not clock or screen.ctx.encounter_id is not None):
            if screen is not None:
                self._remove(screen)
            return EncounterScreen(session, encounter_id, clock)
        screen.bind(encounter_id)
        return screen

    def discard(self) -> None:
        """Drop the spare (sign-out, another user)."""
        screen, self._screen = self._screen, None
        if screen is not None:
            self._remove(screen)

    def _remove(self, screen: EncounterScreen) -> None:
        # Removing a screen while it composes prunes widgets whose on_mount is still to run
        # (a crash): a half-composed spare is removed once it has finished mounting.
        async def when_mounted() -> None:
            await AwaitMount(screen, [screen])
            if screen.is_attached:
                await screen.remove()

        if screen.is_mounted:
            screen.remove()
        else:
            self.app.run_worker(when_mounted(), group="record-spare")


def open_record(app: App[object], session: Session, clock: Clock = system_clock,
                encounter_id: str | None = None) -> EncounterScreen:
    """The record screen to push: the app's spare when it has one, else a fresh screen."""
    spare = getattr(app, "record_spare", None)
    if isinstance(spare, RecordSpare):
        return spare.take(session, clock, encounter_id)
    from tui.screens.encounter import EncounterScreen

    return EncounterScreen(session, encounter_id, clock)


def new_record(app: App[object]) -> EncounterScreen:
    """Home-menu factory: a new, empty record (the encounter is created on its first save)."""
    return open_record(app, context.session(app), context.clock(app))
