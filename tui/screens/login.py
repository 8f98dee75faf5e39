"""Sign in: pick a user, type the PIN. A DEMO device shows its demo PINs.

Users are listed oldest first, so adding one never moves the others. The chosen user is drawn
solid and named again by the PIN box. While a user's failed-PIN back-off runs the countdown
ticks each second; a PIN typed and entered meanwhile is kept and tried when the wait ends.

While the PIN is checked (Argon2id: up to seconds on a busy device) keys typed wait, and the
screen says so: once signed in they reach the home screen in the order typed ("111111 Enter b"
opens the board), a repeated Enter excepted; after a refusal they are dropped, and the
message says how many, so nothing typed is lost unseen or lands in the PIN box.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, OptionList, Static

from appliance.device import DEMO_USERS, Device
from appliance.errors import LifeboatError, LockedOutError
from tui.messages import SignedIn, SignInFailed
from tui.widgets.field_row import (
    ORDERED_FIELD_BINDINGS,
    KeyGate,
    after_queued_keys,
    hold_keys,
    queue_field_key,
)

CHECK_LIMIT_S = 60.0  # keys are let go even if the check never answers


class LoginScreen(Screen[None]):
    CSS_PATH = "login.tcss"
    # Enter acts as it is dequeued (a priority binding), before the keys typed after it are
    # routed: "zara Enter PIN Enter b" lands each key where it was meant (see field_row).
    # So are the list's arrows and the PIN box's own editing keys (Backspace…): "↓ ↓ Enter"
    # picks the third user however fast it is typed.
    BINDINGS = [("escape", "focus_users", "Choose user"),
                Binding("enter", "enter", "Sign in", show=False, priority=True),
                Binding("up", "move(-1)", show=False, priority=True),
                Binding("down", "move(1)", show=False, priority=True),
                *ORDERED_FIELD_BINDINGS]

    def __init__(self, device: Device) -> None:
        super().__init__()
        self.device = device
        self.wait_until: float | None = None  # monotonic end of the chosen user's back-off
        self.pending_pin: str | None = None  # entered during the back-off: tried at its end
        self._ticker: Timer | None = None
        self._kept_text = ""  # the failure shown before the countdown (e.g. "Wrong PIN for …")
        self._release: Callable[[], None] | None = None  # lets go keys held during a check

    def compose(self) -> ComposeResult:
        info = self.device.info
        with Center(), Vertical(id="login-box"):
            yield Static(f"LIFEBOAT · offline clinical backup · "
                         f"{info.label or info.device_id[-6:]}", id="title")
            if info.demo:
                pins = "  ".join(f"{u} {pin}" for u, _, _, pin in DEMO_USERS)
                yield Static(f"DEMO DEVICE — not for patient data.  PINs: {pins}", id="demo")
            yield Label("User (↑/↓, Enter)")
            yield OptionList(*self.device.usernames(), id="users")
            yield Label("PIN", id="pin-label")
            yield Input(password=True, placeholder="PIN, then Enter", id="pin", compact=True)
            yield Static("", id="message")
        yield Footer()

    def on_mount(self) -> None:
        users = self.query_one("#users", OptionList)
        if users.option_count:
            users.highlighted = 0
        users.focus()
        self._ticker = self.set_interval(1.0, self._tick, pause=True)

    def action_focus_users(self) -> None:
        self.query_one("#users", OptionList).focus()

    @on(OptionList.OptionSelected, "#users")
    def _user_chosen(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(OptionList.OptionHighlighted, "#users")
    def _user_highlighted(self) -> None:
        user = self.chosen_user
        self.query_one("#pin-label", Label).update(f"PIN for {user}" if user else "PIN")
        self.pending_pin = None
        self._show("")
        if user:
            self._start_wait(self.device.lockout.wait_seconds(user))

    @property
    def chosen_user(self) -> str | None:
        users = self.query_one("#users", OptionList)
        if users.highlighted is None:
            return None
        return str(users.get_option_at_index(users.highlighted).prompt)

    def action_move(self, step: int) -> None:
        """↑/↓ on the user list, as the key is dequeued (before the Enter typed after it)."""
        users = self.query_one("#users", OptionList)
        if self.focused is not users:
            raise SkipAction
        if users.option_count:
            current = users.highlighted if users.highlighted is not None else -step
            users.highlighted = max(0, min(users.option_count - 1, current + step))

    def action_field_key(self, key: str) -> None:
        """Backspace, arrows… in the PIN box act there, behind the digits typed before."""
        queue_field_key(self.focused, key)

    def action_enter(self) -> None:
        """Enter on the user list moves to the PIN; in the PIN it signs in with the PIN as
        typed up to the Enter (read behind the keys queued for the box)."""
        users, pin = self.query_one("#users", OptionList), self.query_one("#pin", Input)
        if self.focused is users:
            self.set_focus(pin)  # now: focus() would wait until after the keys queued behind
        elif self.focused is pin:
            after_queued_keys([pin], lambda typed: self._submit(typed["pin"]))
        else:
            raise SkipAction

    def _submit(self, value: str) -> None:
        username = self.chosen_user
        if not username:
            self._show("Choose a user first.", error=True)
            return
        if not value:
            self._show("Type your PIN.", error=True)
            return
        if self.remaining_s() > 0:
            self.pending_pin = value
            self._tick()
            return
        self._check(username, value)

    def _check(self, username: str, pin: str) -> None:
        """Check the PIN in a worker; keys typed meanwhile wait (see the module's docstring)."""
        self._release = hold_keys(self, CHECK_LIMIT_S)
        self._show(f"Signing in as {username}… keys you type now wait for the next screen.")
        self.query_one("#pin", Input).disabled = True  # drawn greyed: the box takes nothing now
        self._sign_in(username, pin)

    def _keys_for_home(self) -> None:
        """Signed in: the held keys go to the home screen, bar a repeated Enter."""
        gate, release = getattr(self.app, "key_gate", None), self._release
        self._release = None
        if isinstance(gate, KeyGate):
            gate.discard(lambda e: isinstance(e, events.Key) and e.key == "enter")
        if release is not None:
            release()

    def _drop_held_keys(self) -> str:
        """Refused: the keys typed during the check are dropped; the returned text says so."""
        gate, release = getattr(self.app, "key_gate", None), self._release
        self._release = None
        dropped = gate.discard() if isinstance(gate, KeyGate) else 0
        if release is not None:
            release()
        return (f"  ({dropped} key{'s' if dropped != 1 else ''} typed while the PIN was "
                "checked not used.)") if dropped else ""

    @work(thread=True, exclusive=True, group="login")
    def _sign_in(self, username: str, pin: str) -> None:
        # Argon2id and opening the database take a noticeable moment: keep it off the UI thread.
        try:
            session = self.device.login(username, pin)
        except LockedOutError as exc:
            self.post_message(SignInFailed(exc.message, exc.hint, exc.retry_after_s))
            return
        except LifeboatError as exc:
            self.post_message(SignInFailed(exc.message, exc.hint))
            return
        self.post_message(SignedIn(session, self._keys_for_home))

    @on(SignInFailed)
    def _failed(self, message: SignInFailed) -> None:
        dropped = self._drop_held_keys()
        pin = self.query_one("#pin", Input)
        pin.disabled = False
        pin.focus()
        if message.retry_after_s:
            # Refused only for the wait (another window's wrong PINs): keep it for then.
            self.pending_pin = pin.value or None
            pin.value = ""
            self._start_wait(message.retry_after_s)
            return
        # A wrong PIN may have started the back-off: show its countdown from now on.
        pin.value = ""
        self._show(message.text + (f"  {message.hint}" if message.hint else "") + dropped,
                   error=True)
        user = self.chosen_user
        wait = self.device.lockout.wait_seconds(user) if user else 0.0
        if wait > 0:
            self._start_wait(wait, keep=message.text + dropped)

    # -- the back-off countdown ----------------------------------------------------------------

    def remaining_s(self) -> int:
        if self.wait_until is None:
            return 0
        return max(0, math.ceil(self.wait_until - time.monotonic()))

    def _start_wait(self, seconds: float, *, keep: str = "") -> None:
        self._kept_text = keep
        if seconds <= 0:
            self.wait_until = None
            if self._ticker is not None:
                self._ticker.pause()
            return
        self.wait_until = time.monotonic() + seconds
        if self._ticker is not None:
            self._ticker.resume()
        self._tick()

    def _tick(self) -> None:
        left = self.remaining_s()
        user = self.chosen_user or "this user"
        if left <= 0:
            self.wait_until = None
            if self._ticker is not None:
                self._ticker.pause()
            pin = self.pending_pin
            self.pending_pin = None
            if pin and self.chosen_user:
                self._check(self.chosen_user, pin)
            else:
                self._show(f"You can try the PIN for {user} again now.")
            return
        prefix = f"{self._kept_text}  " if self._kept_text else ""
        if self.pending_pin:
            text = (f"Too many wrong PINs for {user}: wait {left} s. Your PIN is kept and "
                    "will be tried then.")
        else:
            text = (f"{prefix}Too many wrong PINs for {user}: try again in {left} s. "
                    "Another user can sign in meanwhile.")
        self._show(text, error=True)

    def _show(self, text: str, error: bool = False) -> None:
        msg = self.query_one("#message", Static)
        msg.update(text)
        msg.set_class(error, "error")
