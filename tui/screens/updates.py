"""Updates (IT admins): what the hub offers, what this device has active, fetch (download and
verify, nothing changed), activate and roll back, with progress.

f fetches the highlighted item; Enter activates a fetched one, or fetches and activates in one
step; a does that for every newer item; b rolls the pack back. The domain calls are those of
``lifeboat sync updates`` and ``lifeboat protocols rollback`` (:mod:`sync.fetch_updates`,
:mod:`sync.apply_updates`, :func:`appliance.protocols.installed.rollback`), each in a thread
worker that reports back with messages; progress messages replace each other in the queue, so a
fast download never floods the screen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, ProgressBar, Static

from appliance.errors import LifeboatError
from tui import context
from tui.widgets.status_bar import StatusBar

log = logging.getLogger("lifeboat.updates")
# An offer's state (sync.fetch_updates.offer_state) as the table shows it, and its style.
STATES = {"newer": ("NEWER", "bold #FFA500"), "fetched": ("fetched, not active", "bold"),
          "active": ("active", ""), "older": ("older", "dim")}


def make(app: App[object]) -> Screen[None]:
    return UpdatesScreen()


@dataclass
class Offers:
    """What the worker read: this device's pack and model, and the hub's offers."""

    active_pack: str = "none"
    previous_pack: str | None = None
    active_model: str = "none"
    offers: list[dict[str, Any]] = field(default_factory=list)
    problem: str = ""


class OffersRead(Message):
    def __init__(self, offers: Offers) -> None:
        super().__init__()
        self.offers = offers


class Progress(Message):
    """A step of a long transfer or install; a newer one replaces one not yet shown."""

    def __init__(self, label: str, done: int, total: int) -> None:
        super().__init__()
        self.label, self.done, self.total = label, done, total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Progress)


class Finished(Message):
    def __init__(self, text: str, error: bool = False) -> None:
        super().__init__()
        self.text, self.error = text, error


def read_offers(session: Any) -> Offers:
    """This device's active pack and model, and every item the hub offers with its state
    (the hub answers signed, enrolled devices only, so it takes the signed-in session)."""
    from appliance.protocols.installed import list_installed, read_state
    from models import registry
    from sync import hublink, updates
    from sync.fetch_updates import offer_state

    lay = session.device.layout
    out = Offers()
    state = read_state(lay)
    packs = {p.install_id: p for p in list_installed(lay)}
    if state["active"] in packs:
        p = packs[state["active"]]
        out.active_pack = f"{p.pack_id} {p.version}"
    if state["previous"] in packs:
        p = packs[state["previous"]]
        out.previous_pack = f"{p.pack_id} {p.version}"
    out.active_model = registry.active_name() or "chosen automatically"
    try:
        link = hublink.load(lay)
    except LifeboatError as exc:
        out.problem = (f"{exc.message} Enrol from the Sync screen (Home, s, then h for enrol) "
                       "to see the hub's offers.")
        return out
    try:
        with link.http_client(15.0, auth=hublink.device_auth(session)) as http:
            items = updates.catalog(http, link)
    except LifeboatError as exc:
        out.problem = f"The hub did not answer: {exc.message}"
        return out
    for m in items:
        try:
            state = offer_state(lay, m)
        except LifeboatError as exc:
            state = f"? {exc.message}"
        out.offers.append({**m, "state": state})
    return out


class UpdatesScreen(Screen[None]):
    DEFAULT_CSS = """
    .screen-title { text-style: bold; color: $primary; padding: 0 1; }
    #on-device, #upd-summary, #upd-message, #upd-step { padding: 0 1; height: auto; }
    #upd-message.error, #upd-summary.error { color: $error; text-style: bold; }
    #upd-progress { margin: 0 1; }
    #offers { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"),
                Binding("f", "fetch", "Fetch"),
                Binding("enter", "install", "Activate", show=True),
                Binding("a", "apply_all", "Install all newer"),
                Binding("b", "rollback", "Roll back pack"),
                Binding("r", "refresh", "Check hub")]

    def __init__(self) -> None:
        super().__init__()
        self.offers = Offers()
        self.busy = False

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("Updates: protocol packs and models", classes="screen-title")
        yield Static("Reading…", id="on-device")
        yield Static("", id="upd-summary")
        yield Static("", id="upd-message")
        yield Static("", id="upd-step")
        yield ProgressBar(id="upd-progress", show_eta=False)
        table: DataTable[str | Text] = DataTable(id="offers", cursor_type="row")
        # The state first: at 80 columns it is the column that must not be cut.
        table.add_columns("State", "Kind", "Name", "Version", "Size")
        yield table
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer offers only what works now: fetch and install need offers, rollback a
        previous pack, and nothing starts while a step runs."""
        if action in ("fetch", "install", "apply_all"):
            return bool(self.offers.offers) and not self.busy
        if action == "rollback":
            return bool(self.offers.previous_pack) and not self.busy
        return True

    def on_mount(self) -> None:
        self.query_one("#upd-progress").display = False
        self.query_one("#offers").focus()
        self.action_refresh()

    # -- reading --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="updates-read")
    def action_refresh(self) -> None:
        self.post_message(OffersRead(read_offers(context.session(self.app))))

    @on(OffersRead)
    def _show(self, message: OffersRead) -> None:
        o = self.offers = message.offers
        self.refresh_bindings()
        line = Text("Active pack: ", style="bold").append(o.active_pack, style="")
        line.append(f" · previous: {o.previous_pack or 'none'}")
        line.append(" · model: ", style="bold").append(o.active_model)
        self.query_one("#on-device", Static).update(line)
        summary = self.query_one("#upd-summary", Static)
        summary.set_class(bool(o.problem), "error")
        if o.problem:
            summary.update(o.problem)
        elif not o.offers:
            summary.update("The hub offers no packs or models.")
        else:
            newer = sum(m["state"] == "newer" for m in o.offers)
            summary.update(f"The hub offers {len(o.offers)} item(s); {newer} newer than this "
                           "device's. f fetches the highlighted one (download and check; "
                           "nothing changes); Enter activates it, fetching first if needed.")
        table = self.query_one("#offers", DataTable)
        row = table.cursor_row
        table.clear()
        for m in o.offers:
            label, style = STATES.get(m["state"], (m["state"], "bold red"))
            table.add_row(Text(label, style=style), m["kind"], m["name"],
                          str(m["version"]), _size(m.get("size")))
        if o.offers:
            table.move_cursor(row=min(row, len(o.offers) - 1))  # stays on the item acted on

    # -- installing -----------------------------------------------------------------------------

    def _highlighted(self) -> dict[str, Any] | None:
        if not self.offers.offers or self.busy:
            return None
        table = self.query_one("#offers", DataTable)
        return self.offers.offers[min(table.cursor_row, len(self.offers.offers) - 1)]

    def action_install(self) -> None:
        """Enter: activate the highlighted item if fetched, else fetch and activate it."""
        m = self._highlighted()
        if m is None:
            return
        if m["state"] == "fetched":
            self._start(f"Activating {m['kind']} {m['name']} {m['version']}…")
            self._activate(m)
            return
        self._start(f"Installing {m['kind']} {m['name']} {m['version']}…")
        self._apply((m["kind"], m["name"], str(m["version"])))

    def action_fetch(self) -> None:
        """f: download and verify the highlighted item; nothing in use changes."""
        m = self._highlighted()
        if m is None:
            return
        self._start(f"Fetching {m['kind']} {m['name']} {m['version']}…")
        self._fetch(m)

    @on(DataTable.RowSelected, "#offers")
    def _row_chosen(self) -> None:
        self.action_install()

    def action_apply_all(self) -> None:
        if self.busy:
            return
        self._start("Installing every newer pack and model…")
        self._apply(None)

    def _start(self, text: str) -> None:
        self.busy = True
        self.refresh_bindings()
        self._say(text)
        bar = self.query_one("#upd-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)

    @work(thread=True, exclusive=True, group="updates-run")
    def _apply(self, item: tuple[str, str, str] | None) -> None:
        from appliance.security.roles import Permission
        from sync import apply_updates, hublink

        session = context.session(self.app)
        lay = session.device.layout
        try:
            session.require(Permission.MANAGE_CONTENT)
            link = hublink.load(lay)
            audit = apply_updates.session_audit(session, via="tui")
            progress = self._post_progress
            with link.http_client(60.0, auth=hublink.device_auth(session)) as http:
                if item is None:
                    report = apply_updates.apply(http, link, lay, progress=progress, audit=audit)
                else:
                    report = apply_updates.ApplyReport([apply_updates.apply_one(
                        http, link, lay, *item, progress=progress, audit=audit)])
        except LifeboatError as exc:
            log.error("update failed: %s", exc.message)
            self.post_message(Finished(exc.message + (f" {exc.hint}" if exc.hint else ""),
                                       error=True))
            return
        lines = [_line(o) for o in report.outcomes] or ["Nothing newer to install."]
        self.post_message(Finished("\n".join(lines), error=bool(report.problems)))

    @work(thread=True, exclusive=True, group="updates-run")
    def _fetch(self, m: dict[str, Any]) -> None:
        from appliance.security.roles import Permission
        from sync import apply_updates, fetch_updates, hublink

        session = context.session(self.app)
        lay = session.device.layout
        try:
            session.require(Permission.MANAGE_CONTENT)
            link = hublink.load(lay)
            with link.http_client(60.0, auth=hublink.device_auth(session)) as http:
                o = fetch_updates.fetch_one(
                    http, link, lay, m["kind"], m["name"], str(m["version"]),
                    progress=self._post_progress,
                    audit=apply_updates.session_audit(session, via="tui"))
        except LifeboatError as exc:
            self.post_message(Finished(exc.message + (f" {exc.hint}" if exc.hint else ""),
                                       error=True))
            return
        self.post_message(Finished(_line(o), error=o.status in ("refused", "failed")))

    @work(thread=True, exclusive=True, group="updates-run")
    def _activate(self, m: dict[str, Any]) -> None:
        from appliance.security.roles import Permission
        from sync import apply_updates, fetch_updates

        session = context.session(self.app)
        try:
            session.require(Permission.MANAGE_CONTENT)
        except LifeboatError as exc:
            self.post_message(Finished(exc.message, error=True))
            return
        o = fetch_updates.activate_fetched(
            session.device.layout, m, progress=self._post_progress,
            audit=apply_updates.session_audit(session, via="tui"))
        self.post_message(Finished(_line(o), error=o.status == "failed"))

    def _post_progress(self, label: str, done: int, total: int) -> None:
        self.post_message(Progress(label, done, total))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self.query_one("#upd-step", Static).update(
            f"{message.label}: {message.done}/{message.total}" if message.total
            else message.label)
        self.query_one("#upd-progress", ProgressBar).update(
            total=max(message.total, 1), progress=message.done)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.busy = False
        self.refresh_bindings()
        self.query_one("#upd-progress").display = False
        self.query_one("#upd-step", Static).update("")
        self._say(message.text, error=message.error)
        context.prepare_protocols(self.app)
        self.action_refresh()

    # -- rollback -------------------------------------------------------------------------------

    def action_rollback(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        if self.busy or not self.offers.previous_pack:
            self._say("There is no previous pack to roll back to.", error=True)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._rollback()

        self.app.push_screen(ConfirmScreen(
            f"Make {self.offers.previous_pack} the active protocol pack again (instead of "
            f"{self.offers.active_pack})?"), answer)

    @work(thread=True, exclusive=True, group="updates-run")
    def _rollback(self) -> None:
        from appliance.protocols.installed import rollback
        from appliance.security.roles import Permission

        session = context.session(self.app)
        try:
            session.require(Permission.MANAGE_CONTENT)
            pack = rollback(session.device.layout)
        except LifeboatError as exc:
            self.post_message(Finished(exc.message, error=True))
            return
        log.info("protocol pack rolled back to %s %s", pack.pack_id, pack.version)
        session.audit("pack.rollback", subject=pack.pack_id, detail={"version": pack.version})
        self.post_message(Finished(f"Rolled back: {pack.pack_id} {pack.version} is active."))

    def _say(self, text: str, error: bool = False) -> None:
        msg = self.query_one("#upd-message", Static)
        msg.update(text)
        msg.set_class(error, "error")


def _line(o: Any) -> str:
    """One outcome (``sync.apply_updates.Outcome``) as the screen says it."""
    return f"{o.status}: {o.kind} {o.name} {o.version} — {o.message}" + (
        f" {o.hint}" if o.hint and o.status in ("refused", "failed") else "")


def _size(size: Any) -> str:
    if not isinstance(size, int | float):
        return "?"
    return f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{size / 1e3:.0f} kB"
