"""Home: what this role can do, one key each."""

from __future__ import annotations

import importlib

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from appliance.security.roles import ROLE_LABELS
from appliance.session import Session
from tui import context
from tui.destinations import DESTINATIONS, Destination, for_role
from tui.widgets.field_row import hold_keys
from tui.widgets.status_bar import StatusBar

SIGN_OUT = "sign-out"


class HomeScreen(Screen[None]):
    CSS_PATH = "home.tcss"
    # Priority: a screen opens as its key is dequeued, so the keys typed right after it ("n"
    # then the surname, in one burst) wait for it instead of reaching this menu (see open).
    # The menu shows each destination's key; the footer keeps room for Lock and Sign out,
    # which an 80-column footer would otherwise push off the edge.
    BINDINGS = [Binding(d.key, f"go('{d.key}')", d.label, priority=True, show=False)
                for d in DESTINATIONS] + [
        Binding("ctrl+l", "app.lock", "Lock"),
        Binding("ctrl+o", "app.sign_out", "Sign out"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.destinations = for_role(session.user.role)

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="home-box"):
            user = self.session.user
            yield Static(f"Signed in as {user.display_name} — {ROLE_LABELS[user.role]}",
                         id="who")
            yield OptionList(*[Option(f"[b]{d.key}[/b]  {d.label}", id=d.key)
                               for d in self.destinations],
                             Option("[b]^O[/b] Sign out", id=SIGN_OUT), id="menu")
            yield Static("Press a key, or ↑/↓ and Enter. Ctrl+L lock · Ctrl+O sign out · "
                         "Ctrl+P commands.", id="help")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#menu", OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go":
            return any(d.key == parameters[0] for d in self.destinations)
        return True

    @on(OptionList.OptionSelected, "#menu")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == SIGN_OUT:
            context.sign_out(self.app)
            return
        self.action_go(str(event.option.id))

    def action_go(self, key: str) -> None:
        for d in self.destinations:
            if d.key == key:
                self.open(d)
                return

    def open(self, destination: Destination) -> None:
        """Open a destination; keys typed meanwhile wait until it has drawn and set focus."""
        module, _, fn = destination.factory.partition(":")
        screen = getattr(importlib.import_module(module), fn)(self.app)
        release = hold_keys(self)
        self.app.push_screen(screen)
        screen.call_after_refresh(release)
