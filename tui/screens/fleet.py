"""Fleet view for IT at the hub: every device's last contact, backlog, quarantine and versions.

"Verified drained" comes from ``sync.hub.fleet`` (only when the hub holds every event the device
holds); the bar beside each device shows how much of its reported events the hub holds. Refreshed
every few seconds in a thread worker. Opened as a home destination (IT admin, hub on this
machine) or standalone with :func:`run_fleet_app` (for ``lifeboat hub fleet``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from appliance.errors import LifeboatError
from tui import context

REFRESH_S = 5.0
BAR = 8
DEVICE_WIDTH = 16


def make(app: App[object]) -> Screen[None]:
    """Home-menu factory: the hub in ``<LIFEBOAT_HOME>/hub`` (where `lifeboat hub init` puts it)."""
    return FleetScreen(context.device(app).layout.root / "hub")


def run_fleet_app(hub_dir: Path) -> int:
    """Open the fleet view on its own (hub mode; no device sign-in needed)."""
    app = FleetApp(hub_dir)
    app.run()
    return int(app.return_code or 0)


class FleetApp(App[int]):
    TITLE = "Lifeboat hub — fleet"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, hub_dir: Path) -> None:
        super().__init__()
        self.hub_dir = hub_dir

    def on_mount(self) -> None:
        from tui.theme import HIGH_CONTRAST

        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name
        self.push_screen(FleetScreen(self.hub_dir, standalone=True))


def drain_bar(at_hub: int | None, on_device: int | None) -> Text:
    """``█████░░░ 62%``: the share of the device's events the hub holds."""
    if not on_device:
        return Text("—" if on_device is None else "empty", style="dim")
    share = min(1.0, (at_hub or 0) / on_device)
    filled = round(share * BAR)
    return Text("█" * filled + "░" * (BAR - filled) + f" {share * 100:3.0f}%",
                style="#00E676" if share >= 1 else "#FFA500")


def _when(value: Any) -> str:
    return str(value)[:16].replace("T", " ") if value else "never"


def _versions(items: Any) -> str:
    if not items:
        return "—"
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append(f"{item.get('name') or item.get('pack_id') or '?'} "
                       f"{item.get('version') or item.get('sha256', '')[:8]}".strip())
        else:
            out.append(str(item))
    return ", ".join(out)


class FleetScreen(Screen[None]):
    CSS_PATH = "fleet.tcss"
    BINDINGS = [Binding("escape", "back", "Back"), Binding("r", "refresh", "Refresh")]

    def __init__(self, hub_dir: Path, *, standalone: bool = False) -> None:
        super().__init__()
        self.hub_dir = hub_dir
        self.standalone = standalone
        self.data: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        if not self.standalone:
            from tui.widgets.status_bar import StatusBar

            yield StatusBar()
        yield Static("Fleet", classes="screen-title")
        yield Static("Reading the hub…", id="totals")
        table: DataTable[Text | str] = DataTable(id="devices", cursor_type="row",
                                                 zebra_stripes=True)
        # Most useful first: at 80 columns IT sees which device still holds unsynced records.
        table.add_columns("Device", "Drained", "Pending (since)", "Quar.", "Last sync",
                          "State", "Last seen", "Confl.", "Hub has", "Battery", "Pack", "Model")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh()
        self.set_interval(REFRESH_S, self.action_refresh)

    def action_back(self) -> None:
        if self.standalone:
            self.app.exit(0)
        else:
            self.app.pop_screen()

    @work(thread=True, exclusive=True, group="fleet")
    def action_refresh(self) -> None:
        from sync.hub.fleet import fleet
        from sync.hub.service import Hub

        try:
            hub = Hub(self.hub_dir)
            try:
                data = fleet(hub.store)
            finally:
                hub.close()
        except LifeboatError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._show, data)

    def _failed(self, exc: LifeboatError) -> None:
        self.query_one("#totals", Static).update(
            Text(f"{exc.message} {exc.hint or ''}", style="bold #FF4040"))

    def _show(self, data: dict[str, Any]) -> None:
        self.data = data
        devices = data["devices"]
        drained = sum(1 for d in devices if d["verified_drained"])
        totals = Text(f"{len(devices)} devices · {drained} verified drained · "
                      f"{data['events']} events at hub · ")
        totals.append(f"{data['quarantined']} quarantined",
                      style="bold #FF4040" if data["quarantined"] else "")
        totals.append(" · ")
        totals.append(f"{data['open_conflicts']} open conflicts",
                      style="bold #FFA500" if data["open_conflicts"] else "")
        if data.get("match_candidates"):
            totals.append(f" · {data['match_candidates']} possible patient matches")
        self.query_one("#totals", Static).update(totals)
        table = self.query_one("#devices", DataTable)
        cursor = table.cursor_row
        table.clear()
        for d in devices:
            pending = d["pending"]
            pending_text = Text("?" if pending is None else str(pending),
                                style="bold #FFA500" if pending else "")
            if pending and d.get("pending_since"):
                pending_text.append(f" ({_when(d['pending_since'])})")
            battery = d.get("battery_percent")
            table.add_row(
                (d["label"] or d["device_id"][-8:])[:DEVICE_WIDTH],
                Text("VERIFIED", style="bold #00E676") if d["verified_drained"] else
                Text("no", style="#FFA500"),
                pending_text,
                Text(str(d["quarantined"]), style="bold #FF4040" if d["quarantined"] else ""),
                _when(d["last_sync"]), d["state"], _when(d["last_seen"]),
                str(d["conflicts"]), drain_bar(d["events_at_hub"], d["events_on_device"]),
                "—" if battery is None else f"{battery:.0f}%",
                _versions(d.get("packs")), _versions(d.get("models")), key=d["device_id"])
        if devices:
            table.move_cursor(row=min(cursor, len(devices) - 1))
