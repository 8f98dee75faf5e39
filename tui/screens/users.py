"""Users (IT admins): list, add with a PIN typed twice, disable (and rotate the data key)."""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Select, Static

from appliance.errors import LifeboatError
from appliance.security.roles import ROLE_LABELS, Role
from tui import context
from tui.widgets.status_bar import StatusBar


def make(app: App[object]) -> Screen[None]:
    return UsersScreen()


class UsersScreen(Screen[None]):
    DEFAULT_CSS = "#users-table { height: 1fr; } .screen-title { text-style: bold; padding: 0 1; }"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("a", "add", "Add user"),
                Binding("d", "disable", "Disable user"),
                Binding("k", "rotate", "Rotate data key")]

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("Users on this device", classes="screen-title")
        table: DataTable[str] = DataTable(id="users-table", cursor_type="row")
        table.add_columns("Username", "Name", "Role", "Status")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        table = self.query_one("#users-table", DataTable)
        table.clear()
        for u in context.session(self.app).list_users():
            table.add_row(u["username"], u["display_name"], ROLE_LABELS[Role(u["role"])],
                          "active" if u["can_sign_in"] else "disabled", key=u["username"])
        table.focus()

    def action_add(self) -> None:
        self.app.push_screen(AddUserScreen(), lambda _: self.reload())

    def action_disable(self) -> None:
        table = self.query_one("#users-table", DataTable)
        if table.row_count == 0:
            return
        username = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

        def chosen(rotate: bool | None) -> None:
            if rotate:
                self._with_one_time_pins(lambda pins: self._disable(username, True, pins),
                                         leaving=username)
            elif rotate is not None:
                self._disable(username, False, None)

        self.app.push_screen(DisableUserScreen(username), chosen)

    def action_rotate(self) -> None:
        """k: a new data key now (e.g. after a user was disabled without it), once the admin
        says yes: it re-encrypts the whole record database."""
        from tui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self._with_one_time_pins(self._rotate)

        self.app.push_screen(ConfirmScreen(
            "Rotate the data key now? Every user's key slot is re-sealed and the record "
            "database re-encrypted (other Lifeboat windows must be closed); older copies of "
            "the key slots then open nothing."), answer)

    def _with_one_time_pins(self, then: Callable[[dict[str, str] | None], None],
                            leaving: str = "") -> None:
        """Ask for a one-time PIN for each user a rotation would have to re-issue, then
        ``then(pins)``; nothing happens when the admin cancels."""
        older = [u for u in context.session(self.app).older_slots() if u != leaving]
        if not older:
            then(None)
            return
        from tui.screens.reissue import ReissueScreen

        def typed(pins: dict[str, str] | None) -> None:
            if pins is None:
                self.notify("Nothing was rotated.")
            else:
                then(pins)

        self.app.push_screen(ReissueScreen(older), typed)

    @work(thread=True, exclusive=True, group="users")
    def _rotate(self, pins: dict[str, str] | None) -> None:
        from sync.identity_rollover import after_rotation

        session = context.session(self.app)
        try:
            session.rotate_data_key("asked by an IT admin", pins)
        except LifeboatError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=15)
            return
        identity = after_rotation(session, "data key rotated")
        self.app.call_from_thread(self.notify, "The data key was rotated: older copies of the "
                                  "key slots open nothing." + _reissued(pins) + " " + identity,
                                  timeout=10)
        self.app.call_from_thread(self.reload)

    @work(thread=True, exclusive=True, group="users")
    def _disable(self, username: str, rotate: bool, pins: dict[str, str] | None) -> None:
        # Rotation re-encrypts the whole record database: off the UI thread.
        from sync.identity_rollover import after_rotation

        session = context.session(self.app)
        try:
            session.disable_user(username, rotate=rotate, reissue=pins)
        except LifeboatError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=15)
            self.app.call_from_thread(self.reload)
            return
        done = (" The data key was rotated: older copies of the key slots open nothing."
                + _reissued(pins) + " " + after_rotation(session, f"{username} disabled")
                if rotate else "")
        self.app.call_from_thread(
            self.notify, f"{username} disabled: their PIN no longer unlocks this device.{done}",
            timeout=10)
        self.app.call_from_thread(self.reload)


def _reissued(pins: dict[str, str] | None) -> str:
    if not pins:
        return ""
    return (f" Re-issued with your one-time PIN: {', '.join(sorted(pins))} (they choose "
            "their own at their next sign-in).")


class DisableUserScreen(ModalScreen[bool | None]):
    """Disable a user: r also rotates the data key (recommended), d disables only."""

    DEFAULT_CSS = """
    DisableUserScreen { align: center middle; }
    DisableUserScreen > Vertical { width: 72; max-width: 100%; height: auto; padding: 1 2;
                                   border: heavy $warning; background: $surface; }
    """
    BINDINGS = [Binding("r", "answer(True)", "Disable and rotate"),
                Binding("d", "answer(False)", "Disable only"),
                Binding("escape", "cancel", "Cancel")]

    def __init__(self, username: str) -> None:
        super().__init__()
        self.username = username

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Disable {self.username}? Their records stay, in their name.")
            yield Static("[b]r[/b]  disable and rotate the data key (recommended): a copy of "
                         f"the key slots taken before, with {self.username}'s PIN, then "
                         "opens nothing. Takes a moment; others stay signed-in-able.")
            yield Static("[b]d[/b]  disable only      [b]Esc[/b]  cancel")
        yield Footer()

    def action_answer(self, rotate: bool) -> None:
        self.dismiss(rotate)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AddUserScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    AddUserScreen { align: center middle; }
    AddUserScreen > Vertical { width: 64; height: auto; border: heavy $primary; padding: 1 2;
                               background: $surface; }
    #add-error { color: $error; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Add a user")
            yield Input(placeholder="username", id="username")
            yield Input(placeholder="display name", id="name")
            yield Select([(ROLE_LABELS[r], r.value) for r in Role], prompt="role", id="role")
            yield Input(placeholder="PIN (6+ characters)", password=True, id="pin")
            yield Input(placeholder="the same PIN again", password=True, id="pin2")
            yield Static("", id="add-error")
            with Horizontal():
                yield Button("Add", variant="primary", id="add")

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Input.Submitted, "#pin")
    def _pin_typed(self) -> None:
        self.query_one("#pin2", Input).focus()

    @on(Button.Pressed, "#add")
    @on(Input.Submitted, "#pin2")
    def _add(self) -> None:
        role = self.query_one("#role", Select).value
        if role is Select.BLANK:
            self.query_one("#add-error", Static).update("Choose a role.")
            return
        pin, again = self.query_one("#pin", Input), self.query_one("#pin2", Input)
        if pin.value != again.value:
            # A mistyped PIN would lock the new user out of a device holding their records.
            pin.value = again.value = ""
            pin.focus()
            self.query_one("#add-error", Static).update(
                "The two PINs differ: type the PIN again in both boxes.")
            return
        self._create(self.query_one("#username", Input).value.strip(),
                     self.query_one("#name", Input).value.strip(), str(role),
                     self.query_one("#pin", Input).value)

    @work(thread=True, exclusive=True)
    def _create(self, username: str, name: str, role: str, pin: str) -> None:
        try:
            context.session(self.app).add_user(username, name, role, pin)
        except LifeboatError as exc:
            self.app.call_from_thread(self.query_one("#add-error", Static).update, str(exc))
            return
        self.app.call_from_thread(self.dismiss, True)
