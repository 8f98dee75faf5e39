"""Enrol this device with a hub, in the app: the hub's address and IT's one-time code.

The same domain call as ``lifeboat sync enrol`` (:func:`sync.hublink.enrol`), run in a thread
worker; the answer comes back as a message. Only an IT admin enrols (it decides where patient
data goes); the background sync agent starts as soon as it succeeds.
"""

from __future__ import annotations

import logging
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from appliance.errors import LifeboatError
from tui import context

log = logging.getLogger("lifeboat.sync")


class EnrolDone(Message):
    """The worker's answer: the hub's id and address, or the error to show."""

    def __init__(self, hub_id: str = "", url: str = "", error: str = "") -> None:
        super().__init__()
        self.hub_id, self.url, self.error = hub_id, url, error


class HubEnrolScreen(ModalScreen[bool]):
    """Dismisses with True once enrolled."""

    DEFAULT_CSS = """
    HubEnrolScreen { align: center middle; }
    HubEnrolScreen > Vertical { width: 76; max-width: 100%; height: auto; padding: 0 1;
                                border: heavy $primary; background: $surface; }
    #enrol-title { text-style: bold; color: $primary; }
    #enrol-message, #enrol-id { height: auto; }
    #enrol-message.error { color: $error; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Enrol with the hospital hub", id="enrol-title")
            # The hub's IT needs this device's id to make the code; in a kiosk there is no
            # shell to run `lifeboat sync status` in.
            device_id = context.device(self.app).info.device_id
            yield Static(f"This device: {device_id}. At the hub, IT makes its code with: "
                         f"lifeboat hub enrol-device {device_id} --label NAME", id="enrol-id")
            yield Static("Hub address (from IT), e.g. https://hub.trust.nhs.uk:8765")
            yield Input(placeholder="https://…", id="enrol-url", compact=True)
            yield Static("One-time enrolment code")
            yield Input(placeholder="1A2B3C-4D5E6F-7A8B9C", id="enrol-code", compact=True)
            yield Static("Trust CA certificate file (only if IT gave you one)")
            yield Input(placeholder="optional: /media/usb/trust-ca.pem", id="enrol-ca",
                        compact=True)
            yield Static("Enter on the last box enrols · Esc cancels", id="enrol-message")

    def on_mount(self) -> None:
        self.query_one("#enrol-url", Input).focus()

    @on(Input.Submitted, "#enrol-url")
    @on(Input.Submitted, "#enrol-code")
    def _next(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#enrol-ca")
    def _enrol(self) -> None:
        url = self.query_one("#enrol-url", Input).value.strip()
        code = self.query_one("#enrol-code", Input).value.strip()
        if not url.startswith(("https://", "http://")):
            self._say("Type the hub's address, starting https://", error=True)
            self.query_one("#enrol-url", Input).focus()
            return
        if not code:
            self._say("Type the one-time code IT gave you.", error=True)
            self.query_one("#enrol-code", Input).focus()
            return
        ca = self.query_one("#enrol-ca", Input).value.strip()
        self._say(f"Contacting the hub at {url}…")
        for box in self.query(Input):
            box.disabled = True
        self._run(url, code, ca)

    @work(thread=True, exclusive=True, group="enrol")
    def _run(self, url: str, code: str, ca_path: str) -> None:
        from sync import hublink

        try:
            from appliance.security.roles import Permission

            session = context.session(self.app)
            session.require(Permission.MANAGE_CONTENT)
            ca = Path(ca_path).expanduser().read_text(encoding="utf-8") if ca_path else ""
            link = hublink.enrol(session.device.layout, url, code, ca_cert=ca)
        except LifeboatError as exc:
            self.post_message(EnrolDone(error=exc.message + (f" {exc.hint}" if exc.hint
                                                             else "")))
            return
        except OSError as exc:
            self.post_message(EnrolDone(error=f"Cannot read the CA file: {exc.strerror}."))
            return
        log.info("enrolled with hub %s at %s", link.hub_id, link.url)
        session.audit("hub.enrolled", subject=link.hub_id, detail={"url": link.url})
        self.post_message(EnrolDone(link.hub_id, link.url))

    @on(EnrolDone)
    def _done(self, message: EnrolDone) -> None:
        if message.error:
            for box in self.query(Input):
                box.disabled = False
            self.query_one("#enrol-code", Input).focus()
            self._say(message.error, error=True)
            return
        self.app.notify(f"Enrolled with hub {message.hub_id} at {message.url}. Records will "
                        "sync in the background.", timeout=10)
        self.dismiss(True)

    def _say(self, text: str, error: bool = False) -> None:
        msg = self.query_one("#enrol-message", Static)
        msg.update(text)
        msg.set_class(error, "error")

    def action_cancel(self) -> None:
        self.dismiss(False)
