"""Device sync: the hub, last sync, pending/acknowledged/quarantined counts, sync now, USB,
enrolment with a hub (h) and the updates screen (u).

Every network or file operation runs in a thread worker with a progress bar; the counts come
straight from the outbox, so what the screen says is what the hub will be asked to take. USB
export says at once when the device is not enrolled (a bundle is encrypted to the hub's key).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, ProgressBar, Static

from appliance.errors import LifeboatError
from appliance.exports import default_folder
from tui import context
from tui.screens.path_prompt import PathPrompt
from tui.widgets.status_bar import StatusBar

log = logging.getLogger("lifeboat.sync")
REREAD_S = 5.0
NOT_ENROLLED = ("This device is not enrolled with a hub: a USB bundle is encrypted to the "
                "hub's key, so there is nothing to encrypt it to yet. Press h to enrol (IT "
                "admin, with the hub's address and a one-time code).")
SYNC_NOT_ENROLLED = ("Cannot sync: this device is not enrolled with a hub, so there is no "
                     "hospital hub to send records to. They stay safe on this device. IT admin: "
                     "press h to enrol (the hub's address and a one-time code); with no network "
                     "afterwards, e writes them to a USB stick.")
RECEIPT_NOT_ENROLLED = ("No receipt to import: a receipt is the hub's answer to a USB export, "
                        "and this device is not enrolled with a hub yet. Press h to enrol "
                        "(IT admin), then e to export.")


def make(app: App[object]) -> Screen[None]:
    return SyncScreen()


class SyncScreen(Screen[None]):
    CSS_PATH = "sync.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("s", "sync_now", "Sync"),
        Binding("e", "export", "USB export"),
        Binding("i", "import_receipt", "Receipt"),
        Binding("h", "enrol", "Enrol"),
        Binding("u", "updates", "Updates"),
        Binding("r", "refresh", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False
        self.last: dict[str, Any] = {}
        self.enrolled: bool | None = None  # None until the first read

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("Sync", classes="screen-title")
        yield Static("", id="hub-line")
        yield Static("", id="counts")
        yield Static("", id="last-sync")
        yield ProgressBar(id="progress", show_eta=False)
        yield Static("Quarantined records (the hub refused these; IT must fix the cause):",
                     id="q-title")
        table: DataTable[str] = DataTable(id="quarantine", cursor_type="row")
        table.add_columns("Event", "Queued", "Reason")
        yield table
        # Compact, no palette hint (Ctrl+P still opens it): all seven keys fit in 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        context.refresh_status(self.app)
        self.action_refresh()
        # The background agent syncs while this screen is open: its counts and last sync are
        # read again as often as the status bar's.
        self.set_interval(REREAD_S, self.action_refresh)

    # -- reading --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="sync-read")
    def action_refresh(self) -> None:
        from sync import outbox
        from sync.hublink import load

        session = context.session(self.app)
        data: dict[str, Any] = {"link": None, "error": None}
        try:
            data["link"] = load(session.device.layout)
        except LifeboatError as exc:
            data["error"] = exc
        data["stats"] = outbox.stats(session.db, session.device_id, digest=False)
        data["quarantined"] = outbox.quarantined(session.db)
        agent = getattr(self.app, "sync_agent", None)
        data["agent"] = getattr(agent, "state", None)
        self.app.call_from_thread(self._show, data)

    def _show(self, data: dict[str, Any]) -> None:
        link = data["link"]
        self.enrolled = link is not None
        hub = self.query_one("#hub-line", Static)
        if link is not None:
            hub.update(Text(f"Hub: {link.url}  (id {link.hub_id})"))
        else:
            hub.update(Text("No hub enrolled: records stay on this device. Press h to enrol "
                            "(IT admin, with the hub's address and a one-time code), or e to "
                            "export to USB once enrolled.", style="bold #FFA500"))
        s = data["stats"]
        counts = Text(f"Pending {s['pending']}", style="bold #FFA500" if s["pending"] else "")
        if s["pending"] and s.get("oldest_pending"):
            counts.append(f" (oldest {str(s['oldest_pending'])[:16].replace('T', ' ')})")
        counts.append(f" · Acknowledged {s['acked']} · ")
        counts.append(f"Quarantined {s['quarantined']}",
                      style="bold #FF4040" if s["quarantined"] else "")
        counts.append(f" · Events on this device {s['total']}")
        self.query_one("#counts", Static).update(counts)
        last = self._last_sync_text(data["agent"])
        self.query_one("#last-sync", Static).update(last + self._updates_text(data["agent"]))
        table = self.query_one("#quarantine", DataTable)
        table.clear()
        for q in data["quarantined"]:
            table.add_row(str(q.get("event_id", ""))[-10:], str(q.get("queued_at", ""))[:16],
                          str(q.get("quarantine_reason") or ""))
        self.query_one("#q-title").display = bool(data["quarantined"])
        table.display = bool(data["quarantined"])

    def _last_sync_text(self, agent_state: Any) -> Text:
        report = self.last.get("report")
        when = self.last.get("at")
        if report is None and agent_state is not None and agent_state.last_success:
            report, when = agent_state.last_report, agent_state.last_success
        if report is None:
            msg = "Not synced in this session."
            if agent_state is not None and agent_state.last_error:
                msg += f" Background sync: {agent_state.last_error}."
            return Text(msg)
        out = Text(f"Last sync {time.strftime('%H:%M:%S', time.localtime(when))}: "
                   f"{report.acked} acknowledged, {report.quarantined} quarantined")
        if report.verified_drained:
            out.append(" · VERIFIED DRAINED", style="bold #00E676")
        return out

    @staticmethod
    def _updates_text(agent_state: Any) -> Text:
        """Packs and models the background agent activated (or could not) after its last sync."""
        out = Text()
        report = getattr(agent_state, "last_updates", None)
        for o in report.activated if report is not None else []:
            out.append(f"\nActivated from the hub: {o.kind} {o.name} {o.version}",
                       style="bold #00E676")
        problem = getattr(agent_state, "last_update_error", None)
        if problem:
            out.append(f"\nUpdate not applied: {problem}", style="bold #FFA500")
        return out

    # -- actions --------------------------------------------------------------------------------

    def _progress(self, done: int, total: int) -> None:
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=max(total, 1), progress=done)

    def _refuse_unenrolled(self, text: str) -> bool:
        """Say at once why a key needs a hub, before a path is asked for or a bar shown."""
        from sync.hublink import path_for

        if path_for(context.session(self.app).device.layout).is_file():
            return False
        self.notify(text, severity="warning", timeout=12)
        return True

    def action_sync_now(self) -> None:
        if self.busy:
            self.notify("A transfer is already running.")
            return
        if self._refuse_unenrolled(SYNC_NOT_ENROLLED):
            return
        self.busy = True
        self._progress(0, 1)
        self._sync()

    @work(thread=True, exclusive=True, group="sync-run")
    def _sync(self) -> None:
        from sync.client import SyncClient

        session = context.session(self.app)
        try:
            client = SyncClient(session)
            try:
                report = client.sync_now(
                    lambda d, t: self.app.call_from_thread(self._progress, d, t))
            finally:
                client.close()
        except LifeboatError as exc:
            self.app.call_from_thread(self._finished, None, exc)
            return
        self.app.call_from_thread(self._finished, report, None)

    def _finished(self, report: Any, error: LifeboatError | None) -> None:
        self.busy = False
        if error is not None:
            self.query_one(ProgressBar).display = False
            self.notify(error.message + (f" {error.hint}" if error.hint else ""),
                        severity="error", timeout=10)
        else:
            self.last = {"report": report, "at": time.time()}
            log.info("synced with the hub (sync now): %s acknowledged, %s quarantined",
                     report.acked, report.quarantined)
            self.notify(f"Synced: {report.acked} acknowledged, {report.quarantined} quarantined.")
        self.action_refresh()
        context.refresh_status(self.app)

    def action_enrol(self) -> None:
        from appliance.security.roles import Permission, can
        from tui.screens.hub_enrol import HubEnrolScreen

        session = context.session(self.app)
        if not can(session.user.role, Permission.MANAGE_CONTENT):
            self.notify("Enrolling with a hub is for an IT admin: ask IT to sign in here.",
                        severity="warning", timeout=8)
            return

        def done(enrolled: bool | None) -> None:
            if enrolled:
                context.start_sync_agent(self.app)
                self.action_refresh()

        self.app.clear_notifications()  # a toast would cover the dialog's boxes at 80x24
        self.app.push_screen(HubEnrolScreen(), done)

    def action_updates(self) -> None:
        from tui.screens.updates import UpdatesScreen

        self.app.push_screen(UpdatesScreen())

    def action_export(self) -> None:
        if self._refuse_unenrolled(NOT_ENROLLED):
            return
        session = context.session(self.app)
        stamp = time.strftime("%Y%m%d-%H%M")
        name = f"lifeboat-{session.device_id[-6:]}-{stamp}.lbundle"
        default = default_folder(session.device.layout.root) / name

        def chosen(path: str | None) -> None:
            if path:
                self._export(Path(path).expanduser())

        from sync.usb import check_export_path

        self.app.push_screen(PathPrompt(
            "Write unsynced records (encrypted to the hub) to:", str(default),
            lambda p: check_export_path(session.device.layout.root, p)), chosen)

    @work(thread=True, exclusive=True, group="sync-run")
    def _export(self, path: Path) -> None:
        from sync.hublink import load
        from sync.usb import export_bundle

        session = context.session(self.app)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            result = export_bundle(session, load(session.device.layout), path)
        except (LifeboatError, OSError) as exc:
            self.app.call_from_thread(self.notify, str(getattr(exc, "message", exc)),
                                      severity="error", timeout=10)
            return
        what = (f"Exported {result['events']} events" if result["events"] else
                "Nothing was pending: exported this device's status only (the hub can confirm "
                "it is drained)")
        self.app.call_from_thread(
            self.notify, f"{what} to {result['path']}. Take it to the hub; bring back the "
            "receipt and press i.", timeout=10)

    def action_import_receipt(self) -> None:
        if self._refuse_unenrolled(RECEIPT_NOT_ENROLLED):
            return

        def chosen(path: str | None) -> None:
            if path:
                self._import(Path(path).expanduser())

        from sync.usb import newest_receipt

        folder = default_folder(context.session(self.app).device.layout.root)
        found = newest_receipt(folder)
        self.app.push_screen(PathPrompt(
            "Hub receipt file to import (written by `lifeboat hub import` beside the bundle):",
            str(found) if found else f"{folder}/"), chosen)

    @work(thread=True, exclusive=True, group="sync-run")
    def _import(self, path: Path) -> None:
        from sync.hublink import load
        from sync.usb import import_receipt

        session = context.session(self.app)
        try:
            result = import_receipt(session, load(session.device.layout), path)
        except LifeboatError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error", timeout=10)
            return
        self.app.call_from_thread(
            self.notify, f"Receipt applied: {result['acked']} acknowledged, "
            f"{result['quarantined']} quarantined, {result['already_acked']} already done.")
        self.app.call_from_thread(self.action_refresh)
