"""Saving the record off the UI thread, in the order it was asked for, and leaving the record
(or a tab) only once what was typed is written or knowingly given up.

``EncounterScreen`` (encounter.py) builds on this; the keys that ask for saves are in
encounter_keys.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import work
from textual.widgets import Static, TabbedContent

from appliance.errors import LifeboatError
from tui.screens.encounter_keys import PANE_NAMES, TYPED_PANES, RecordKeys
from tui.widgets.encounter_context import EncounterContext, Failed, InTurn
from tui.widgets.field_row import FieldRow, hold_keys
from tui.widgets.observations import ObservationsPanel


class RecordSaving(RecordKeys):
    """The record's save worker and the ways out of a tab or the record that wait for it."""

    def __init__(self, ctx: EncounterContext, pane: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.ctx.submit = self._submit
        self._saves = InTurn()
        self._save_failures = 0  # saves refused or failed in the worker, ever
        self._pane = pane  # the tab in view, as known here
        self.closed = False

    # -- saving off the UI thread -----------------------------------------------------------

    def _submit(self, job: Callable[[str], Any], done: Callable[[Any], None],
                failed: Failed | None = None) -> None:
        self._save_worker(self._saves.ticket(), job, done, failed)

    @work(thread=True, group="save")
    def _save_worker(self, ticket: int, job: Callable[[str], Any], done: Callable[[Any], None],
                     failed: Failed | None) -> None:
        with self._saves.turn(ticket):  # in submission order, each after the last one's done
            try:
                result = job(self.ctx.ensure_encounter())
            except LifeboatError as exc:
                self.app.call_from_thread(self._failed, exc, failed, True)
                return
            except Exception as exc:  # reported by the app (tui.failures); typed input comes back
                self.app.call_from_thread(self._failed, LifeboatError(str(exc)), failed, False)
                raise
            self.app.call_from_thread(done, result)

    def _failed(self, exc: LifeboatError, failed: Failed | None, show: bool) -> None:
        self._save_failures += 1
        if show:
            self.notify(str(exc), severity="error", timeout=8)
        if failed is not None:
            failed(exc)

    def _when_written(self, then: Callable[[], None]) -> None:
        """``then()`` once every save submitted so far is written; if one failed, stay (the
        error is shown and what was typed is back in its field)."""
        if self._saves.idle():
            then()
            return
        failures = self._save_failures
        release = hold_keys(self)  # keys typed meanwhile (Esc then b) wait for the outcome

        def written(_: None) -> None:
            release()
            if self._save_failures == failures:
                then()
            else:
                self.notify("Not everything was saved, so the record stays open: see the "
                            "message above.", severity="error", timeout=8)

        self._submit(lambda _: None, written)

    # -- tabs and their refused input ---------------------------------------------------------

    def _show_pane(self, pane: str) -> None:
        self._pane = pane
        self.query_one(TabbedContent).active = pane

    def _back_to(self, pane: str) -> None:
        """Back to ``pane`` (left by a click, its input refused), focus on the refused field."""
        self._show_pane(pane)
        panel = self.query_one(TYPED_PANES[pane])
        bad = [w for w in panel.query("Input, Choice")
               if any(a.has_class("-invalid") for a in w.ancestors if a is not panel)]
        if bad:
            self.set_focus(bad[0])
        self._stay(pane)

    def _stay(self, pane: str) -> None:
        self.notify(f"Still on {PANE_NAMES[pane]}: {self._refusal(pane)} Fix it or clear it "
                    "to move on.", severity="warning", timeout=6)

    def _refusal(self, pane: str) -> str:
        """Why ``pane``'s input was refused, as its panel shows it."""
        panel = self.query_one(TYPED_PANES[pane])
        if isinstance(panel, ObservationsPanel):
            text = str(panel.query_one("#obs-message", Static).render())
        else:
            text = next((str(row.query_one(".field-error", Static).render())
                         for row in panel.query(FieldRow) if row.has_class("-invalid")), "")
        return (text.strip() or "a field is marked in red.").rstrip(".") + "."

    # -- leaving the record -------------------------------------------------------------------

    def has_unsaved_input(self) -> bool:
        """Typed but not saved anywhere in the record."""
        if self.closed:
            return False
        return any(self.typed_panel(pane).has_unsaved_input() for pane in TYPED_PANES)

    def panes_to_save(self) -> list[str]:
        """The tab in view, then every other tab with unsaved input, in tab order."""
        return [self._pane] + [p for p in TYPED_PANES if p != self._pane
                               and self.typed_panel(p).has_unsaved_input()]

    def leave_record(self, then: Callable[[], None], verb: str = "Leave the record") -> None:
        """Save what is typed on every tab (this one first), wait until it is written, then
        ``then()``. Refused input: its tab is shown and the user is asked whether to ``verb``
        and lose it (no stays)."""
        if self.closed:
            then()
            return

        def refused(pane: str) -> None:
            from tui.screens.confirm import ConfirmScreen

            if pane != self._pane:
                self._show_pane(pane)
            self.app.push_screen(ConfirmScreen(
                f"{PANE_NAMES[pane]} is not saved: {self._refusal(pane)} {verb} and lose "
                "what is typed there? (n stays to fix it)"),
                lambda yes: then() if yes else None)

        self.save_panes(self.panes_to_save(), lambda: self._when_written(then), refused)

    def action_back(self) -> None:
        self.leave_record(self._pop_if_current)

    def _pop_if_current(self) -> None:
        if self.is_current:
            self.app.pop_screen()
