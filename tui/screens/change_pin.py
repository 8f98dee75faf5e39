"""Choose your own PIN: forced straight after signing in with a PIN an IT admin set, and
offered to everyone from the command palette.

Only the signed-in user's key slot is re-sealed (:meth:`Session.change_pin`); a trivial PIN or
a wrong current PIN is refused here with nothing changed.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from appliance.errors import LifeboatError
from appliance.session import Session
from tui.messages import PinChanged


class ChangePinScreen(Screen[bool]):
    """Posts :class:`PinChanged` (forced) or is dismissed with True (chosen) once changed."""

    CSS_PATH = "change_pin.tcss"
    BINDINGS = [Binding("ctrl+o", "app.sign_out", "Sign out"),
                Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, session: Session, *, forced: bool) -> None:
        super().__init__()
        self.session = session
        self.forced = forced

    def compose(self) -> ComposeResult:
        name = self.session.user.display_name
        with Center(), Vertical(id="pin-box"):
            if self.forced:
                yield Static(f"{name}: choose your own PIN", id="pin-title")
                yield Static("IT set the PIN you signed in with, so they know it. Choose one "
                             "only you know before you start: records and the audit log are "
                             "kept in your name.", id="pin-why")
            else:
                yield Static(f"{name}: change your PIN", id="pin-title")
            yield Input(password=True, placeholder="current PIN", id="current")
            yield Input(password=True, placeholder="new PIN (6+ digits, no pattern)", id="new")
            yield Input(password=True, placeholder="the new PIN again", id="again")
            yield Static("", id="pin-message")
            yield Static("Ctrl+O signs out instead." if self.forced
                         else "Escape keeps the current PIN.", id="pin-help")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#current", Input).focus()

    @on(Input.Submitted, "#current")
    def _to_new(self) -> None:
        self.query_one("#new", Input).focus()

    @on(Input.Submitted, "#new")
    def _to_again(self) -> None:
        self.query_one("#again", Input).focus()

    @on(Input.Submitted, "#again")
    def _submit(self) -> None:
        current, new, again = (self.query_one(f"#{i}", Input) for i in ("current", "new",
                                                                          "again"))
        if new.value != again.value:
            new.value = again.value = ""
            new.focus()
            self._show("The two new PINs differ: type the new PIN again in both boxes.")
            return
        for box in (current, new, again):
            box.disabled = True
        self._show("Changing…", error=False)
        self._change(current.value, new.value)

    @work(thread=True, exclusive=True, group="change-pin")
    def _change(self, current: str, new: str) -> None:
        # Argon2id twice (check the current PIN, seal the new one): off the UI thread.
        try:
            self.session.change_pin(current, new)
        except LifeboatError as exc:
            text = exc.message + (f"  {exc.hint}" if exc.hint else "")
            self.app.call_from_thread(self._refused, text, exc.message.startswith("The current"))
            return
        self.app.call_from_thread(self._changed)

    def _refused(self, text: str, current_wrong: bool) -> None:
        boxes = [self.query_one(f"#{i}", Input) for i in ("current", "new", "again")]
        for box in boxes:
            box.disabled = False
        wrong = boxes[0] if current_wrong else boxes[1]
        for box in boxes[0 if current_wrong else 1:]:
            box.value = ""
        wrong.focus()
        self._show(text)

    def _changed(self) -> None:
        self.notify("Your PIN was changed. Use it from now on.")
        if self.forced:
            self.post_message(PinChanged(self.session))
        else:
            self.dismiss(True)

    def action_cancel(self) -> None:
        if not self.forced:
            self.dismiss(False)

    def _show(self, text: str, *, error: bool = True) -> None:
        message = self.query_one("#pin-message", Static)
        message.update(text)
        message.set_class(error, "error")
