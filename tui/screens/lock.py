"""Locked: the signed-in user types their PIN to resume, or signs out for someone else."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from appliance.errors import LifeboatError
from appliance.security import keyslots
from appliance.session import Session


class LockScreen(ModalScreen[bool]):
    """Dismissed with True when unlocked, False when the user chose to sign out."""

    CSS_PATH = "lock.tcss"
    BINDINGS = [Binding("ctrl+o", "sign_out", "Sign out / switch user")]

    def __init__(self, session: Session, reason: str) -> None:
        super().__init__()
        self.session = session
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="lock-box"):
            yield Static(f"LOCKED — {self.reason}", id="lock-title")
            yield Static(f"{self.session.user.display_name}: type your PIN to continue. "
                         "Ctrl+O lets another user sign in (nothing unsynced is lost).")
            yield Input(password=True, placeholder="PIN", id="pin")
            yield Static("", id="lock-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def _submit(self, event: Input.Submitted) -> None:
        event.input.disabled = True
        self._check(event.value)

    @work(thread=True, exclusive=True)
    def _check(self, pin: str) -> None:
        device = self.session.device
        username = self.session.user.username
        try:
            device.lockout.check(username)
            slot = device.slots.load().get(username)
            if slot is None:
                raise LifeboatError("Your access was revoked while the screen was locked.")
            keyslots.unseal(slot, pin)
        except LifeboatError as exc:
            if exc.message == "Wrong PIN.":
                device.lockout.record_failure(username)
            self.app.call_from_thread(self._failed, str(exc))
            return
        device.lockout.reset(username)
        self.app.call_from_thread(self._unlocked)

    def _unlocked(self) -> None:
        self.session.audit("unlock", subject=self.session.user.username)
        self.session.touch()
        self.dismiss(True)

    def _failed(self, text: str) -> None:
        pin = self.query_one("#pin", Input)
        pin.disabled = False
        pin.value = ""
        pin.focus()
        self.query_one("#lock-message", Static).update(text)

    def action_sign_out(self) -> None:
        self.dismiss(False)
