"""Sign in: pick a user, type the PIN. A DEMO device shows its demo PINs."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList, Static

from appliance.device import DEMO_USERS, Device
from appliance.errors import LifeboatError
from tui.messages import SignedIn, SignInFailed


class LoginScreen(Screen[None]):
    CSS_PATH = "login.tcss"
    BINDINGS = [("escape", "focus_users", "Choose user")]

    def __init__(self, device: Device) -> None:
        super().__init__()
        self.device = device

    def compose(self) -> ComposeResult:
        info = self.device.info
        with Center(), Vertical(id="login-box"):
            yield Static("LIFEBOAT", id="title")
            yield Static(f"Offline clinical backup · {info.label or info.device_id[-6:]}",
                         id="subtitle")
            if info.demo:
                pins = "  ".join(f"{u} {pin}" for u, _, _, pin in DEMO_USERS)
                yield Static(f"DEMO DEVICE — not for patient data.  PINs: {pins}", id="demo")
            yield Label("User")
            users = self.device.usernames()
            yield OptionList(*users, id="users")
            yield Label("PIN")
            yield Input(password=True, placeholder="PIN, then Enter", id="pin")
            yield Static("", id="message")
        yield Footer()

    def on_mount(self) -> None:
        users = self.query_one("#users", OptionList)
        if users.option_count:
            users.highlighted = 0
        users.focus()

    def action_focus_users(self) -> None:
        self.query_one("#users", OptionList).focus()

    @on(OptionList.OptionSelected, "#users")
    def _user_chosen(self) -> None:
        self.query_one("#pin", Input).focus()

    @property
    def chosen_user(self) -> str | None:
        users = self.query_one("#users", OptionList)
        if users.highlighted is None:
            return None
        return str(users.get_option_at_index(users.highlighted).prompt)

    @on(Input.Submitted, "#pin")
    def _submit(self, event: Input.Submitted) -> None:
        username = self.chosen_user
        if not username:
            self._show("Choose a user first.", error=True)
            return
        if not event.value:
            self._show("Type your PIN.", error=True)
            return
        self._show("Signing in…")
        event.input.disabled = True
        self._sign_in(username, event.value)

    @work(thread=True, exclusive=True, group="login")
    def _sign_in(self, username: str, pin: str) -> None:
        # Argon2id and opening the database take a noticeable moment: keep it off the UI thread.
        try:
            session = self.device.login(username, pin)
        except LifeboatError as exc:
            self.post_message(SignInFailed(exc.message, exc.hint))
            return
        self.post_message(SignedIn(session))

    @on(SignInFailed)
    def _failed(self, message: SignInFailed) -> None:
        pin = self.query_one("#pin", Input)
        pin.disabled = False
        pin.value = ""
        pin.focus()
        self._show(message.text + (f"  {message.hint}" if message.hint else ""), error=True)

    def _show(self, text: str, error: bool = False) -> None:
        msg = self.query_one("#message", Static)
        msg.update(text)
        msg.set_class(error, "error")
