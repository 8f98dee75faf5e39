"""Keys typed faster than the screen redraws land in the field that had focus when typed.

A terminal delivers a burst of keys at once; Pilot's ``press`` waits for the app to go idle
after every key, which hides races between queued keys and focus moves. ``burst`` sends the
keys the way the terminal driver does: all at once, nothing awaited in between.
"""

from __future__ import annotations

from textual.widgets import Input

from appliance.device import Device
from tests.tui.conftest import burst, make_app, sign_in

OBS_BURST = [*"24", "tab", *"93", "tab", "a", *"120", "tab", *"80", "tab", *"100", "tab",
             "a", *"37.2", "tab", *"3", "tab", *"5.5"]


async def test_a_burst_of_observations_fills_each_field_in_turn(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f4")
        await burst(pilot, OBS_BURST)
        screen = app.screen
        values = {name: screen.query_one(f"#{name}", Input).value
                  for name in ("respiratory_rate", "spo2", "systolic_bp", "diastolic_bp",
                               "pulse", "temperature", "pain_score", "blood_glucose")}
        assert values == {"respiratory_rate": "24", "spo2": "93", "systolic_bp": "120",
                          "diastolic_bp": "80", "pulse": "100", "temperature": "37.2",
                          "pain_score": "3", "blood_glucose": "5.5"}
        assert screen.query_one("#on_oxygen").value == "air"  # type: ignore[attr-defined]
        assert screen.query_one("#consciousness").value == "A"  # type: ignore[attr-defined]
        assert app.focused is screen.query_one("#blood_glucose")


async def test_enter_saves_the_set_and_keys_typed_after_it_start_the_next(
        device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await burst(pilot, ["f4", *OBS_BURST, "enter", *"18", "tab", *"98"])
        rows = app.session.db.query("SELECT * FROM observations")  # type: ignore[union-attr]
        assert [(r["respiratory_rate"], r["spo2"], r["systolic_bp"], r["pulse"],
                 r["consciousness"], r["temperature"], r["blood_glucose"]) for r in rows] \
            == [(24, 93, 120, 100, "A", 37.2, 5.5)]
        screen = app.screen
        assert screen.query_one("#respiratory_rate", Input).value == "18"
        assert screen.query_one("#spo2", Input).value == "98"
        assert screen.query_one("#blood_glucose", Input).value == ""


async def test_a_function_key_moves_to_its_tab_before_the_keys_typed_after_it(
        device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await burst(pilot, [*"Smith", "tab", *"Ann", "f4", *"22", "tab", *"95", "f2"])
        screen = app.screen
        assert screen.query_one("#family_name", Input).value == "Smith"
        assert screen.query_one("#given_name", Input).value == "Ann"
        assert screen.query_one("#respiratory_rate", Input).value == "22"
        assert screen.query_one("#spo2", Input).value == "95"
        assert app.focused is screen.query_one("#family_name")
