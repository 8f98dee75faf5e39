"""One-line device status: user, hub, unsynced records, power/disk, model state."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from appliance.status import StatusSnapshot


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { dock: top; height: 1; background: $panel; color: $foreground; padding: 0 1; }
    """

    snapshot: reactive[StatusSnapshot | None] = reactive(None)
    model_state: reactive[str] = reactive("assistant: off")

    def on_mount(self) -> None:
        # A new screen shows the last known status at once instead of "starting…".
        if self.snapshot is None:
            self.catch_up()

    def catch_up(self) -> None:
        """Show the app's latest status (a screen composed earlier and shown only now)."""
        self.snapshot = getattr(self.app, "last_status", None) or self.snapshot
        self.model_state = getattr(self.app, "model_state", self.model_state)

    def render(self) -> Text:
        s = self.snapshot
        text = Text(no_wrap=True, overflow="ellipsis")
        if s is None:
            return text.append("Lifeboat · starting…")
        if s.demo:
            text.append(" DEMO ", style="bold black on #FFD700").append(" ")
        # Most important first: at 80 columns the tail is cut with an ellipsis.
        text.append(s.user, style="bold")
        unsynced_style = "bold #FFA500" if s.unsynced else ""
        text.append(" · ").append(f"{s.unsynced} unsynced", style=unsynced_style)
        if s.quarantined:
            text.append(f" · {s.quarantined} quarantined", style="bold #FF4040")
        model = self.model_state.replace("assistant: ", "AI ").replace("-instruct", "")
        text.append(f" · {s.hub} · {model}")
        power_style = {"ok": "", "low": "bold #FFA500",
                       "critical": "bold white on #C00000"}[s.power_level]
        text.append(" · ").append(s.power_text, style=power_style)
        return text
