"""Asked before a data-key rotation when some key slots are of the older kind: the users are
named, and the IT admin types a one-time PIN for each (their slot is replaced; they choose
their own PIN at their next sign-in). Esc cancels the rotation."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static


class ReissueScreen(ModalScreen[dict[str, str] | None]):
    DEFAULT_CSS = """
    ReissueScreen { align: center middle; }
    ReissueScreen > Vertical { width: 76; max-width: 100%; height: auto; padding: 1 2;
                               border: heavy $warning; background: $surface; }
    #reissue-error { color: $error; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, users: list[str]) -> None:
        super().__init__()
        self.users = users

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"[b]{', '.join(self.users)}[/b] "
                f"{'has' if len(self.users) == 1 else 'have'} not signed in since the key "
                "slots were upgraded, so the rotation cannot re-wrap "
                f"{'their slot' if len(self.users) == 1 else 'their slots'}. To rotate now, "
                "each gets a new slot under a one-time PIN you type here: give it to them; "
                "they must choose their own PIN at their next sign-in. Esc cancels.",
                id="reissue-question")
            for i, user in enumerate(self.users):
                yield Input(placeholder=f"one-time PIN for {user}", password=True,
                            id=f"reissue-{i}")
            yield Static("", id="reissue-error")
        yield Footer()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        boxes = list(self.query(Input))
        empty = [b for b in boxes if not b.value]
        if empty:
            self.query_one("#reissue-error", Static).update(
                "Type a one-time PIN for everyone listed.")
            empty[0].focus()
            return
        self.dismiss({u: b.value for u, b in zip(self.users, boxes, strict=True)})

    def action_cancel(self) -> None:
        self.dismiss(None)
