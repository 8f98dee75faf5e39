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
        assert app.focused is screen.query_one("#family_name")
        # each tab was saved as it was left (tui/README.md), each value in its own field
        rows = app.session.db.query(  # type: ignore[union-attr]
            "SELECT family_name, given_name FROM patients")
        assert [(r["family_name"], r["given_name"]) for r in rows] == [("Smith", "Ann")]
        obs = app.session.db.query(  # type: ignore[union-attr]
            "SELECT respiratory_rate, spo2 FROM observations")
        assert [(r["respiratory_rate"], r["spo2"]) for r in obs] == [(22, 95)]


PATIENT_BURST = [*"Smith", "tab", *"Ann", "tab", *"02/03/1954", "tab", "tab", "f",
                 *"9434765919", "enter"]


def patients(app: object) -> list[dict[str, object]]:
    return app.session.db.query(  # type: ignore[attr-defined, no-any-return]
        "SELECT family_name, given_name, date_of_birth, estimated_age, sex, nhs_number "
        "FROM patients")


async def test_a_burst_on_the_patient_tab_fills_each_field_and_enter_saves_it(
        device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await burst(pilot, PATIENT_BURST)
        assert patients(app) == [{"family_name": "Smith", "given_name": "Ann",
                                  "date_of_birth": "1954-03-02", "estimated_age": None,
                                  "sex": "F", "nhs_number": "9434765919"}]
        assert "SMITH" in str(app.screen.query_one("#enc-header").render())


async def test_corrections_in_a_burst_act_where_and_when_they_were_typed(
        device: Device) -> None:
    """Backspace, arrows and Delete are the field's own keys: they used to act after the
    letters typed behind them ("Smiht ⌫⌫ th" gave "Smit"), or in the next field after Tab."""
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await burst(pilot, [*"Smiht", "backspace", "backspace", *"th", "tab",
                            *"Anne", "backspace", "tab", *"2/3/1954", "home", "0", "end",
                            *["left"] * 6, "0", "tab"])
        screen = app.screen
        assert screen.query_one("#family_name", Input).value == "Smith"
        assert screen.query_one("#given_name", Input).value == "Ann"
        assert screen.query_one("#date_of_birth", Input).value == "02/03/1954"
        assert app.focused is screen.query_one("#estimated_age")


async def test_a_refused_save_takes_focus_before_the_keys_typed_after_enter(
        device: Device) -> None:
    """As with slow typing: the wrong NHS number is refused and focused, and the keys typed
    after Enter correct it there (not in the age field Enter was pressed in)."""
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await burst(pilot, [*"Jones", "tab", "tab", "tab", "tab", "m", *"9434765918",
                            "shift+tab", "shift+tab", *"45", "enter",
                            "end", "backspace", "9", "enter"])
        assert patients(app) == [{"family_name": "Jones", "given_name": None,
                                  "date_of_birth": None, "estimated_age": 45, "sex": "M",
                                  "nhs_number": "9434765919"}]


async def test_two_saves_in_a_burst_register_the_patient_once_in_order(
        device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await burst(pilot, [*"Smith", "enter", "tab", *"Ann", "enter", "ctrl+s"])
        assert [(p["family_name"], p["given_name"]) for p in patients(app)] == \
            [("Smith", "Ann")]
        assert app.screen.query_one("#patient-form").saved["given_name"] == "Ann"  # type: ignore[attr-defined]


def interventions(app: object) -> list[tuple[object, ...]]:
    rows = app.session.db.query(  # type: ignore[attr-defined]
        "SELECT name, dose, dose_unit, route FROM interventions")
    return [(r["name"], r["dose"], r["dose_unit"], r["route"]) for r in rows]


async def test_a_burst_on_the_treatment_tab_saves_the_usual_unit_at_the_first_enter(
        device: Device) -> None:
    """The unit and route filled in on leaving the name are there when Enter reads the entry
    (they came a message later, and the first Enter said "A dose needs a unit")."""
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await burst(pilot, ["f6", "d", *"Morphine sulfate", "tab", "5", "enter"])
        assert interventions(app) == [("Morphine sulfate", "5", "mg", "IV")]
        screen = app.screen
        assert not screen.query_one("#row-dose_unit").has_class("-invalid")
        assert [screen.query_one(f"#{f}", Input).value for f in ("tx-name", "tx-unit")] \
            == ["", ""]


async def test_right_arrow_in_a_burst_accepts_the_suggestion_the_field_showed(
        device: Device) -> None:
    """→ accepts the completion shown; in a burst it came from a worker after the → ran."""
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        await burst(pilot, ["f6", "d", *"morph", "right", "tab", "5", "enter"])
        # the unit shows mg, selected on entering it: Backspace clears it, → completes "micro"
        await burst(pilot, ["d", *"Paracetamol", "tab", *"500", "tab", "backspace", *"micro",
                            "right", "enter"])
        assert interventions(app) == [("Morphine sulfate", "5", "mg", "IV"),
                                      ("Paracetamol", "500", "microgram", "PO")]


async def test_keys_typed_with_the_key_that_opens_the_record_land_in_it(
        device: Device) -> None:
    """"n" then the surname in one burst: the letters reached the home menu and were lost."""
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await burst(pilot, ["n", *"Smith", "tab", *"Ann"])
        screen = app.screen
        assert screen.__class__.__name__ == "EncounterScreen"
        assert screen.query_one("#family_name", Input).value == "Smith"
        assert screen.query_one("#given_name", Input).value == "Ann"


async def test_a_click_while_a_save_is_read_waits_behind_the_keys_typed_before_it(
        device: Device) -> None:
    """Keys held behind a save, then a click on another field: the click used to move focus
    at once, so the held letters landed in the clicked field."""
    from textual import events

    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")
        screen = app.screen
        driver = app._driver
        assert driver is not None
        release = app.key_gate.hold()  # as Enter holds keys while the form is read
        for char in "Smith":
            driver.send_message(events.Key(char, char))
        target = screen.query_one("#given_name").region
        x, y = target.x + 1, target.y
        for event in (events.MouseDown, events.MouseUp):
            driver.send_message(event(None, x, y, 0, 0, 1, False, False, False,
                                      screen_x=x, screen_y=y))
        for char in "Ann":
            driver.send_message(events.Key(char, char))
        await pilot.pause()
        release()
        await burst(pilot, [])
        assert screen.query_one("#family_name", Input).value == "Smith"
        assert screen.query_one("#given_name", Input).value == "Ann"
