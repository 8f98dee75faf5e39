"""End to end as a paramedic would: sign in, new record, obs, triage, handover, close."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from appliance.device import Device
from appliance.records import board
from tests.tui.conftest import make_app, settle, sign_in


async def test_a_paramedic_records_a_patient_from_first_contact_to_handover(
        device: Device, lifeboat_home: Path) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n")  # one key press: a new record
        assert app.screen.__class__.__name__ == "EncounterScreen"
        await pilot.press(*"Smith", "tab", *"Ann", "tab", *"02/03/1954", "tab", "tab", "f")
        await pilot.press("tab", *"9434765919", "enter")
        await settle(pilot)
        await pilot.press("f3", "t")  # trauma
        await pilot.press(*"leg injury", "tab", "tab", "tab", *"fell off ladder", "enter")
        await settle(pilot)
        await pilot.press("f4", *"24", "tab", *"93", "tab", "a", *"105", "tab", *"70", "tab",
                          *"118", "tab", "a", *"37.2", "enter")
        await settle(pilot)
        obs = app.screen.query_one("#obs-panel")
        assert len(obs.sets) == 1 and obs.sets[0]["news2_total"] == 7  # type: ignore[attr-defined]
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("ctrl+y")  # confirm the engine's priority
        await settle(pilot)
        await pilot.press("f6", "d", *"Morphine sulfate", "tab", *"5", "enter")
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "HandoverScreen"
        await pilot.press("x", "enter", "s")  # the prompt offers exports/ without a stick
        await settle(pilot)
        exports = sorted(p.name for p in (lifeboat_home / "exports").iterdir())
        assert [n.rsplit(".", 1)[1] for n in exports] == ["html", "txt"]
        text = next((lifeboat_home / "exports").glob("*.txt")).read_text()
        assert "ATMIST" in text and "fell off ladder" in text and "Morphine sulfate 5 mg IV" \
            in text
        await pilot.press("escape", "f7", "tab", "3", "ctrl+e", "y")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "HomeScreen"
        session = app.session
        assert session is not None
        assert board.load_rows(session) == []
        closed = session.db.query("SELECT * FROM encounters")[0]
        assert (closed["status"], closed["disposition"], closed["kind"]) == (
            "closed", "discharged home", "trauma")
        assessment = session.db.query("SELECT * FROM assessments")[0]
        assert assessment["status"] == "confirmed" and assessment["rules_version"]


async def test_wrong_nhs_number_is_refused_at_the_field_and_nothing_saved(
        device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", *"Jones", "tab", "tab", "tab", "tab", "tab", *"9434765918",
                          "enter")
        await settle(pilot)
        row = app.screen.query_one("#row-nhs_number")
        assert row.has_class("-invalid")
        assert "check digit" in str(row.query_one(".field-error").render())
        assert app.session.db.query("SELECT COUNT(*) AS n FROM patients")[0]["n"] == 0  # type: ignore[union-attr]
        assert app.screen.query_one("#nhs_number", Input).has_focus


async def test_ctrl_o_in_triage_opens_the_linked_protocol_over_the_record(
        device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f5", *"chest pain")
        await settle(pilot)
        panel = app.screen.query_one("#triage-panel")
        protocol = panel.selected_protocol()  # type: ignore[attr-defined]
        assert protocol
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ProtocolDocumentScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "EncounterScreen"


async def test_every_observation_fits_its_column_at_80_columns_from_the_first_frame(
        device: Device) -> None:
    """Columns used to take their width from the header until the table next went idle: the
    frame drawn in between showed "08:1", "ai", "10" (Time, O2, BP cut to their headers)."""
    from rich.cells import cell_len

    from tui.widgets.row_table import RowTable

    widest = {"respiratory_rate": 100, "spo2": 100, "on_oxygen": 0, "systolic_bp": 300,
              "diastolic_bp": 250, "pulse": 350, "consciousness": "A", "temperature": 45.0}
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f4")
        panel = app.screen.query_one("#obs-panel")
        table = app.screen.query_one("#obs-table", RowTable)
        for vitals in (widest, {**widest, "on_oxygen": 1, "respiratory_rate": 8}):
            panel.add_set({**vitals, "taken_at": "2026-11-23T08:15:00+00:00",  # type: ignore[attr-defined]
                           "news2_total": 20, "news2_complete": 0})
        # no pause: this is the table the next frame draws
        widths = table.column_widths
        for r in range(table.row_count):
            for column, width, cell in zip(table.columns, widths, table.get_row_at(r),
                                           strict=True):
                assert cell_len(str(cell)) <= width, (column.label, str(cell))
        assert table.line_width <= 80 - 4
        await pilot.pause()
        assert table.size.width <= 80
