"""A DEMO device, a fixed clock, and helpers to drive the real app with Pilot."""

from __future__ import annotations

from textual.pilot import Pilot

from appliance.device import Device
from bench.seed import T0, FixedClock, seed_encounter  # noqa: F401 - re-exported for tests
from tui.app import LifeboatApp


def make_app(device: Device, clock: FixedClock | None = None) -> LifeboatApp:
    app = LifeboatApp(device)
    if clock is not None:
        app.clock = clock  # type: ignore[attr-defined]
    return app


async def settle(pilot: Pilot[object]) -> None:
    """Let workers finish and the screen redraw."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def burst(pilot: Pilot[object], keys: list[str]) -> None:
    """Send ``keys`` as one terminal burst (no waiting between them), then let the app settle.

    ``pilot.press`` waits for the app to go idle after each key, so it never queues a key
    behind a focus change; a real terminal does.
    """

    from textual import events
    from textual.keys import _character_to_key

    driver = pilot.app._driver
    assert driver is not None
    named = {"tab": "\t", "enter": "\r", "space": " ", "full_stop": ".", "slash": "/",
             "minus": "-"}
    for key in keys:
        char = key if len(key) == 1 else named.get(key)
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)  # "/" arrives as Key("slash", "/"), as from a terminal
        event = events.Key(key, char)
        event.set_sender(pilot.app)
        driver.send_message(event)
    for _ in range(5):
        await settle(pilot)


async def sign_in(pilot: Pilot[object], user: str = "paramedic", pin: str = "111111") -> None:
    """Pick the user on the login screen and type the PIN, as a person would."""
    from textual.widgets import OptionList

    users = pilot.app.screen.query_one("#users", OptionList)
    names = [str(users.get_option_at_index(i).prompt) for i in range(users.option_count)]
    users.highlighted = names.index(user)
    await pilot.press("enter")
    await pilot.press(*pin, "enter")
    for _ in range(600):  # sign-in runs Argon2id in a worker: slow on a loaded machine
        await settle(pilot)
        if pilot.app.screen.__class__.__name__ == "HomeScreen":
            return
    raise AssertionError(f"did not reach home: {pilot.app.screen}")


# Three observation sets of a deteriorating patient (NEWS2 3 → 6 → 9), for the trend chart.
OBS_SETS: list[dict[str, object]] = [
    {"respiratory_rate": 20, "spo2": 95, "on_oxygen": False, "systolic_bp": 118,
     "diastolic_bp": 70, "pulse": 96, "consciousness": "A", "temperature": 38.4},
    {"respiratory_rate": 23, "spo2": 94, "on_oxygen": False, "systolic_bp": 104,
     "diastolic_bp": 62, "pulse": 108, "consciousness": "A", "temperature": 38.9},
    {"respiratory_rate": 26, "spo2": 93, "on_oxygen": True, "systolic_bp": 96,
     "diastolic_bp": 55, "pulse": 118, "consciousness": "C", "temperature": 39.3},
]
