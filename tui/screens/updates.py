"""Updates (IT admins): what the hub offers, what this device has active, fetch (download and
verify, nothing changed), activate and roll back, with progress.

f fetches the highlighted item; Enter activates a fetched one, or fetches and activates in one
step; a does that for every newer item; b rolls the pack back, m the model. The domain calls are
those of ``lifeboat sync updates``, ``lifeboat protocols rollback`` and ``lifeboat models
rollback`` (:mod:`sync.fetch_updates`, :mod:`sync.apply_updates`, :mod:`sync.offers`), each in a
thread worker that reports back with messages; progress messages replace each other in the
queue, so a fast download never floods the screen.
"""

from __future__ import annotations

import logging
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, ProgressBar, Static

from appliance.errors import LifeboatError
from sync.offers import Offers, read_offers, rollback_model, rollback_pack
from tui import context
from tui.widgets.status_bar import StatusBar

log = logging.getLogger("lifeboat.updates")
# An offer's state (sync.fetch_updates.offer_state) as the table shows it, and its style.
STATES = {"newer": ("NEWER", "bold #FFA500"), "fetched": ("fetched, not active", "bold"),
          "active": ("active", ""), "older": ("older", "dim")}


def make(app: App[object]) -> Screen[None]:
    return UpdatesScreen()


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


class UpdatesScreen(Screen[None]):
    DEFAULT_CSS = """
    .screen-title { text-style: bold; color: $primary; padding: 0 1; }
    #on-device, #upd-summary, #upd-message, #upd-step { padding: 0 1; height: auto; }
    #upd-message.error, #upd-summary.error { color: $error; text-style: bold; }
    #upd-progress { margin: 0 1; }
    #offers { height: 1fr; }
    """
    # Enter is the screen's before the table's, so the footer names it. Short labels, a compact
    # footer and no palette hint (Ctrl+P still opens it): every key that works fits in 80
    # columns.
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"),
                Binding("f", "fetch", "Fetch"),
                Binding("enter", "install", "Activate", priority=True),
                Binding("a", "apply_all", "All newer"),
                Binding("b", "rollback", "Undo pack"),
                Binding("m", "model_rollback", "Undo model"),
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
        yield Footer(compact=True, show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer offers only what works now: fetch and install need offers, rollback a
        previous pack, and nothing starts while a step runs."""
        if action in ("fetch", "install", "apply_all"):
            return bool(self.offers.offers) and not self.busy
        if action == "rollback":
            return bool(self.offers.previous_pack) and not self.busy
        if action == "model_rollback":
            return bool(self.offers.previous_model) and not self.busy
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
        line.append("\nModel: ", style="bold").append(o.active_model)
        line.append(f" · previous: {o.previous_model or 'none'}")
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
        """b: the previous protocol pack becomes the active one again (asked first)."""
        o = self.offers
        if self.busy or not o.previous_pack:
            self._say("There is no previous pack to roll back to.", error=True)
            return
        self._confirm(f"Make {o.previous_pack} the active protocol pack again (instead of "
                      f"{o.active_pack})?", "pack")

    def action_model_rollback(self) -> None:
        """m: the model selected before the last change is selected again (asked first)."""
        o = self.offers
        if self.busy or not o.previous_model:
            self._say("There is no previous model to go back to.", error=True)
            return
        self._confirm(f"Go back to the model used before: {o.previous_model} (instead of "
                      f"{o.active_model})? It loads the next time the assistant starts.",
                      "model")

    def _confirm(self, question: str, kind: str) -> None:
        from tui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self._start(f"Rolling the {kind} back…")
                self._rollback(kind)

        self.app.push_screen(ConfirmScreen(question), answer)

    @work(thread=True, exclusive=True, group="updates-run")
    def _rollback(self, kind: str) -> None:
        session = context.session(self.app)
        try:
            now = rollback_pack(session) if kind == "pack" else rollback_model(session)
        except LifeboatError as exc:
            self.post_message(Finished(exc.message + (f" {exc.hint}" if exc.hint else ""),
                                       error=True))
            return
        self.post_message(Finished(
            f"Rolled back: {now} is the active pack." if kind == "pack" else
            f"Rolled back: the model is {now} again. It loads the next time the assistant "
            "starts."))

    def _say(self, text: str, error: bool = False) -> None:
        msg = self.query_one("#upd-message", Static)
        msg.update(text)
        msg.set_class(error, "error")


def _line(o: Any) -> str:
    """One outcome (``sync.apply_updates.Outcome``) as the screen says it."""
    return f"{o.status}: {o.kind} {o.name} {o.version} — {o.message}" + (
        f" {o.hint}" if o.hint and o.status in ("refused", "failed") else "") + (
        " It loads the next time the assistant starts." if o.kind == "model"
        and o.status == "activated" else "")


def _size(size: Any) -> str:
    if not isinstance(size, int | float):
        return "?"
    return f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{size / 1e3:.0f} kB"
