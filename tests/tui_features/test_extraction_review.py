"""Extraction review: values shown beside their words, scored only after one confirming key."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tests.tui_features.conftest import wait_until
from tui.widgets.extraction_review import ExtractionReview

NOTE = "72M CP radiating L arm 30 min, sweaty, HR 112 BP 98/60 RR 24 sats 93% RA, GCS 15"


class Harness(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.confirmed: list[dict] = []

    def compose(self) -> ComposeResult:
        yield ExtractionReview(NOTE)

    def on_extraction_review_confirmed(self, message: ExtractionReview.Confirmed) -> None:
        self.confirmed.append(message.case)


async def test_values_are_unconfirmed_until_enter_and_dropped_ones_never_score() -> None:
    app = Harness()
    async with app.run_test(size=(100, 30)) as pilot:
        review = app.query_one(ExtractionReview)
        await wait_until(pilot, lambda: review.extraction is not None, 200)
        assert "extracted, unconfirmed" in str(review.query_one("#x-state").render())
        assert app.confirmed == []
        first = review.extraction.values[0].field
        await pilot.press("x")  # drop the first value
        await pilot.press("enter")
        [case] = app.confirmed
        assert first == "vitals.pulse" and "pulse" not in case["vitals"]  # dropped: not scored
        assert case["vitals"]["systolic_bp"] == 98 and case["vitals"]["respiratory_rate"] == 24


async def test_allergies_and_medications_are_shown_but_not_scored() -> None:
    class AllergyHarness(Harness):
        def compose(self) -> ComposeResult:
            yield ExtractionReview("Allergic to penicillin, on warfarin, HR 112")

    app = AllergyHarness()
    async with app.run_test(size=(100, 30)) as pilot:
        review = app.query_one(ExtractionReview)
        await wait_until(pilot, lambda: review.extraction is not None, 200)
        table = review.query_one("#x-values")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["allergies", "penicillin"] == rows[1][:2] and rows[2][:2] == ["medications",
                                                                             "warfarin"]
        await pilot.press("enter")
        [case] = app.confirmed
        assert case["vitals"] == {"pulse": 112} and "allergies" not in case
