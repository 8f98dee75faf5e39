"""Small messages widgets and workers post upward (handled with ``@on``)."""

from __future__ import annotations

from textual.message import Message

from appliance.session import Session


class SignedIn(Message):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session


class SignInFailed(Message):
    def __init__(self, text: str, hint: str | None = None) -> None:
        super().__init__()
        self.text = text
        self.hint = hint
