"""A saved note is read; its values are offered beside it and written only when accepted."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from appliance.device import Device
from tests.tui.conftest import make_app, settle, sign_in
from tui.widgets.extraction_review import ExtractionReview


async def _review(pilot: Any) -> ExtractionReview:
    for _ in range(100):
        await settle(pilot)
        found = list(pilot.app.screen.query(ExtractionReview))
        if found and found[0].extraction is not None:
            return found[0]
    raise AssertionError("no values offered from the note")


async def test_values_from_a_note_are_written_only_as_accepted(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f7", *"HR 112 BP 98/60 RR 24", "enter")
        review = await _review(pilot)
        note = app.screen.query_one("#note", Input)
        assert app.focused is note  # typing goes on in the note: no key of it confirms
        db: Any = app.session.db  # type: ignore[union-attr]
        assert db.query("SELECT COUNT(*) AS n FROM observations")[0]["n"] == 0
        assert [v.field for v in review.extraction.values][0] == "vitals.pulse"
        await pilot.press("tab")  # to the offered values
        assert "x reject" in str(app.screen.query_one("#enc-keys").render())
        await pilot.press("x", "enter")  # reject the heart rate, accept the rest
        await settle(pilot)
        rows = db.query("SELECT pulse, systolic_bp, diastolic_bp, respiratory_rate "
                        "FROM observations")
        assert [tuple(r.values()) for r in rows] == [(None, 98, 60, 24)]
        assert not list(app.screen.query(ExtractionReview))
        assert app.focused is note
        assert len(app.screen.query_one("#obs-panel").sets) == 1  # type: ignore[attr-defined]


async def test_a_note_left_unreviewed_writes_nothing(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f7", *"72M sats 93% RA", "enter")
        await _review(pilot)
        await pilot.press(*"second note", "enter")
        await settle(pilot)
        db: Any = app.session.db  # type: ignore[union-attr]
        assert db.query("SELECT COUNT(*) AS n FROM observations")[0]["n"] == 0
        assert db.query("SELECT COUNT(*) AS n FROM patients")[0]["n"] == 0
        notes = [r["text"] for r in db.query("SELECT text FROM notes ORDER BY written_at")]
        assert notes == ["72M sats 93% RA", "second note"]


async def test_a_second_note_with_values_replaces_the_first_offer(device: Device) -> None:
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("n", "f7", *"HR 112", "enter")
        await _review(pilot)
        await pilot.press(*"RR 30", "enter")
        for _ in range(100):
            await settle(pilot)
            reviews = list(app.screen.query(ExtractionReview))
            if reviews and reviews[-1].note == "RR 30" and len(reviews) == 1:
                break
        [review] = app.screen.query(ExtractionReview)
        assert [v.field for v in review.extraction.values] == ["vitals.respiratory_rate"]
        await pilot.press("tab", "enter")
        await settle(pilot)
        rows = app.session.db.query("SELECT pulse, respiratory_rate FROM observations")  # type: ignore[union-attr]
        assert [tuple(r.values()) for r in rows] == [(None, 30)]
