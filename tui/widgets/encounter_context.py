"""What the panels of one encounter share: the session, the ids, and a way to save off-thread.

The encounter is created on the first save (so opening the form and backing out leaves nothing
behind); every completed entry is then saved at once, so a crash loses at most the field being
typed. Saves run in a thread worker and report back on the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Protocol

from textual.message import Message

from appliance.errors import LifeboatError
from appliance.records import encounters
from appliance.records.clock import Clock, system_clock
from appliance.session import Session

Failed = Callable[[LifeboatError], None]


class Submit(Protocol):
    """Run ``job(encounter_id)`` off the UI thread, then ``done(result)`` on it; on a
    LifeboatError, ``failed(exc)`` when given (the error is shown either way)."""

    def __call__(self, job: Callable[[str], Any], done: Callable[[Any], None],
                 failed: Failed | None = None) -> None: ...


class EncounterContext:
    """Shared state of one open encounter form."""

    def __init__(self, session: Session, encounter_id: str | None = None,
                 clock: Clock = system_clock) -> None:
        self.session = session
        self.encounter_id = encounter_id
        self.patient_id: str | None = None
        self.date_of_birth: date | None = None
        self.incident_time: datetime | None = None
        self.age: float | None = None
        self.sex: str | None = None
        self.kind: str | None = None
        self.complaint: str = ""
        self.mechanism: str = ""
        self.medications: str = ""  # the patient's, for the triage engine's context
        self.clock = clock
        self.submit: Submit = self._inline
        self._lock = threading.Lock()

    def _inline(self, job: Callable[[str], Any], done: Callable[[Any], None],
                failed: Failed | None = None) -> None:
        """Run a save on the calling thread (until a screen installs its worker)."""
        try:
            result = job(self.ensure_encounter())
        except LifeboatError as exc:
            if failed is None:
                raise
            failed(exc)
            return
        done(result)

    def ensure_encounter(self) -> str:
        """The encounter's id, opening the encounter on first use (thread-safe)."""
        with self._lock:
            if self.encounter_id is None:
                self.encounter_id = encounters.open_encounter(self.session)
            return self.encounter_id

    def load(self) -> dict[str, Any] | None:
        """The full record (audited read), or None for a new, unsaved encounter."""
        if self.encounter_id is None:
            return None
        return encounters.detail(self.session, self.encounter_id)


class InTurn:
    """Runs save jobs one at a time, in the order they were submitted.

    Each save runs in its own thread worker; two saves in quick succession (Enter twice, or
    Ctrl+S then Enter) would otherwise race: both register the patient (``patient_id`` is set
    by the first save's ``done``), and the older save's ``done`` can land last. A worker waits
    for its ticket; the next ticket is served once this one's ``done`` has run.
    """

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._issued = 0
        self._serving = 0

    def ticket(self) -> int:
        """Take the next place in the queue (on the UI thread, as the save is submitted)."""
        with self._turn:
            self._issued += 1
            return self._issued - 1

    def idle(self) -> bool:
        """True when every save submitted has finished."""
        with self._turn:
            return self._serving == self._issued

    @contextmanager
    def turn(self, ticket: int) -> Iterator[None]:
        """Wait until ``ticket`` is served; the next one is served when this block ends."""
        with self._turn:
            self._turn.wait_for(lambda: self._serving == ticket)
        try:
            yield
        finally:
            with self._turn:
                self._serving += 1
                self._turn.notify_all()


class Saved(Message):
    """A panel saved something; ``section`` names it (patient, incident, observation…)."""

    def __init__(self, section: str, detail: object = None) -> None:
        super().__init__()
        self.section = section
        self.detail = detail
