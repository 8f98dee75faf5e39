"""A complete observation set in at most 25 key presses, counted as a paramedic types them."""

from __future__ import annotations

from appliance.device import Device
from tests.tui.conftest import make_app, settle, sign_in

# F4 · RR · SpO2 · air · systolic · diastolic · pulse · ACVPU · temperature · Enter
KEYS = ["f4", "2", "0", "tab", "9", "6", "tab", "a", "1", "2", "4", "tab", "7", "8", "tab",
        "8", "8", "tab", "a", "3", "7", ".", "1", "enter"]


async def test_a_complete_observation_set_takes_at_most_25_key_presses(device: Device) -> None:
    assert len(KEYS) <= 25
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await pilot.press(*KEYS)
        await settle(pilot)
        row = app.session.db.query("SELECT * FROM observations")[0]  # type: ignore[union-attr]
        assert (row["respiratory_rate"], row["spo2"], row["on_oxygen"], row["systolic_bp"],
                row["diastolic_bp"], row["pulse"], row["consciousness"], row["temperature"]) \
            == (20, 96, 0, 124, 78, 88, "A", 37.1)
        assert (row["news2_total"], row["news2_complete"]) == (0, 1)


async def test_an_impossible_value_is_refused_at_its_field_and_not_saved(
        device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f4", "tab", *"140", "enter")
        await settle(pilot)
        assert app.screen.query_one(".obs-spo2").has_class("-invalid")
        assert "impossible" in str(app.screen.query_one("#obs-message").render())
        assert app.session.db.query("SELECT COUNT(*) AS n FROM observations")[0]["n"] == 0  # type: ignore[union-attr]
        assert app.screen.has_unsaved_input()  # type: ignore[attr-defined]


async def test_after_a_save_the_news2_line_shows_the_newest_set(device: Device) -> None:
    # a scoring set (RR 26, SpO2 92, pulse 125): once saved, the empty entry row must not claim
    # "no observations" above it
    keys = ["f4", "2", "6", "tab", "9", "2", "tab", "a", "1", "2", "4", "tab", "7", "8", "tab",
            "1", "2", "5", "tab", "a", "3", "7", ".", "1", "enter"]
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", *keys)
        await settle(pilot)
        total = app.session.db.query("SELECT news2_total FROM observations")[0]["news2_total"]  # type: ignore[union-attr]
        line = str(app.screen.query_one("#obs-news2").render())
        assert total >= 5
        assert "no observations" not in line and f"NEWS2 {total}" in line
        # and when the record is opened again from the board
        await pilot.press("ctrl+e")
        await settle(pilot)
        await pilot.press("b", "enter")
        await settle(pilot)
        line = str(app.screen.query_one("#obs-news2").render())
        assert "no observations" not in line and f"NEWS2 {total}" in line, line
        # a value typed and rubbed out leaves the row empty again: still the newest set's score
        await pilot.press("f4", "2", "backspace")
        await settle(pilot)
        line = str(app.screen.query_one("#obs-news2").render())
        assert "no observations" not in line and f"NEWS2 {total}" in line, line
