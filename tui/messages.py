"""Small messages widgets and workers post upward (handled with ``@on``)."""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message

from appliance.session import Session


class SignedIn(Message):
    """``shown`` is called once the home screen is drawn (it lets go the keys typed while the
    PIN was checked, for that screen)."""

    def __init__(self, session: Session, shown: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.session = session
        self.shown = shown


class SignInFailed(Message):
    """``retry_after_s`` is set when the user must wait (failed-PIN back-off)."""

    def __init__(self, text: str, hint: str | None = None,
                 retry_after_s: float | None = None) -> None:
        super().__init__()
        self.text = text
        self.hint = hint
        self.retry_after_s = retry_after_s


class PinChanged(Message):
    """The signed-in user chose their own PIN on the forced change screen."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
