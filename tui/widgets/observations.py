"""Observation sets: one row of fields, instant NEWS2 with its colour band, history and trend.

Numbers are typed, picks (air/oxygen, ACVPU) take one key and move on, Enter saves the set at
once, in key order (see ``field_row.after_queued_keys``): a crash loses at most the field being
typed. An impossible value is refused at its field; an implausible one is flagged and needs a
second Enter to save. A complete set takes about 23 key presses.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static
from textual_plotext import PlotextPlot

from appliance.errors import LifeboatError, ValidationError
from appliance.records.clock import hhmm
from tui.widgets.choice import Choice
from tui.widgets.encounter_context import EncounterContext, Saved
from tui.widgets.field_row import after_queued_keys
from tui.widgets.row_table import Column, RowTable

# (field, label, width, restrict)
NUMERIC_FIELDS = (
    ("respiratory_rate", "RR", r"[0-9]*"), ("spo2", "SpO2", r"[0-9]*"),
    ("systolic_bp", "Sys", r"[0-9]*"), ("diastolic_bp", "Dia", r"[0-9]*"),
    ("pulse", "HR", r"[0-9]*"), ("temperature", "Temp", r"[0-9.]*"),
    ("pain_score", "Pain", r"[0-9]*"), ("blood_glucose", "BM", r"[0-9.]*"),
)
ORDER = ("respiratory_rate", "spo2", "on_oxygen", "systolic_bp", "diastolic_bp", "pulse",
         "consciousness", "temperature", "pain_score", "blood_glucose")
O2_OPTIONS = [("a", "air", "air"), ("o", "oxygen", "O2")]
ACVPU_OPTIONS = [(k, k, k) for k in "ACVPU"]
SHORT = {"respiratory_rate": "RR", "spo2": "SpO2", "on_oxygen": "air/O2",
         "systolic_bp": "BP", "pulse": "HR", "consciousness": "ACVPU", "temperature": "T"}
# The history table's columns, each as wide as its widest possible value (validate_vitals'
# limits: BP 300/250, HR 350, T 45.0, NEWS2 "20?"): fixed, so a row never shows cut to its
# header ("08:1", "ai") before the table has measured it, and 57 cells fit 80 columns.
TABLE_COLUMNS = (("Time", 5), ("RR", 3), ("SpO2", 4), ("O2", 3), ("BP", 7), ("HR", 3),
                 ("ACVPU", 5), ("T", 4), ("NEWS2", 5))
BAND_STYLES = {"routine": "bold black on #00C853", "low": "bold black on #00C853",
               "low-medium": "bold black on #FFD700", "medium": "bold black on #FF8C00",
               "high": "bold white on #C00000", None: "bold black on #B0B0B0"}


def news2_text(result: Any) -> Text:
    """'NEWS2 6 medium risk — hourly…' on the band's colour, with red-score parameters."""
    text = Text(no_wrap=False)
    if result is None:
        return text.append(" NEWS2 — ", style=BAND_STYLES[None]).append(" no observations")
    if not result.applicable:
        return text.append(" NEWS2 n/a ", style=BAND_STYLES[None]).append(f" {result.note}")
    if result.total is None:
        return text.append(" NEWS2 — ", style=BAND_STYLES[None]).append(" enter observations")
    partial = "" if result.complete else "≥"
    text.append(f" NEWS2 {partial}{result.total} ", style=BAND_STYLES[result.band])
    if result.band:
        text.append(f" {result.band} risk · {str(result.monitoring).split(';')[0]}")
    if result.red_parameters:
        text.append(f" · red: {', '.join(SHORT.get(p, p) for p in result.red_parameters)}",
                    style="bold")
    if result.missing:
        text.append(f" · missing: {', '.join(SHORT.get(p, p) for p in result.missing)}",
                    style="dim")
    return text


class ObservationsPanel(Vertical):
    """Entry row, live NEWS2, the sets so far and the trend of NEWS2 over time."""

    BINDINGS = [Binding("ctrl+t", "toggle_scale", "SpO2 scale 2")]

    def __init__(self, ctx: EncounterContext, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.ctx = ctx
        self.scale = 1
        self.sets: list[dict[str, Any]] = []
        self._warned: tuple[str, ...] = ()
        self._live_raw: dict[str, Any] | None = None
        self._plot_pending = False
        self._rows: list[tuple[Text, ...]] = []  # the history table's rows, oldest first
        self._latest: Any = None  # the newest stored set's NEWS2, shown while the row is empty

    def compose(self) -> ComposeResult:
        with Horizontal(id="obs-entry"):
            for name in ORDER:
                with Vertical(classes=f"obs-field obs-{name}"):
                    if name == "on_oxygen":
                        yield Label("Air/O2")
                        yield Choice(O2_OPTIONS, compact=True, id="on_oxygen")
                    elif name == "consciousness":
                        yield Label("ACVPU")
                        yield Choice(ACVPU_OPTIONS, compact=True, id="consciousness")
                    else:
                        label, restrict = next((lab, r) for n, lab, r in NUMERIC_FIELDS
                                               if n == name)
                        yield Label(label, id=f"label-{name}")
                        yield Input(id=name, restrict=restrict, max_length=5, compact=True)
        yield Static("", id="obs-message")
        yield Static(news2_text(None), id="obs-news2")
        yield RowTable([Column(label, label) for label, _ in TABLE_COLUMNS], id="obs-table")
        yield TrendPlot(id="obs-trend")

    # -- reading and checking the row ------------------------------------------------------

    def _inputs(self) -> list[Input]:
        return [self.query_one(f"#{name}", Input) for name, _, _ in NUMERIC_FIELDS]

    def picks(self) -> dict[str, str | None]:
        """The two one-key picks as they stand (a pick applies as its key is dequeued)."""
        return {"on_oxygen": self.query_one("#on_oxygen", Choice).value,
                "consciousness": self.query_one("#consciousness", Choice).value}

    def raw(self, typed: dict[str, str] | None = None,
            picks: dict[str, str | None] | None = None) -> dict[str, Any]:
        """The row as numbers; ``typed``/``picks`` are a snapshot taken in key order."""
        typed = typed if typed is not None else {box.id or "": box.value
                                                 for box in self._inputs()}
        picks = picks if picks is not None else self.picks()
        out: dict[str, Any] = {}
        for name, _, _ in NUMERIC_FIELDS:
            text = typed.get(name, "").strip()
            if text:
                try:
                    out[name] = float(text) if "." in text else int(text)
                except ValueError:
                    out[name] = text  # validate_vitals names the field
        if picks["on_oxygen"] is not None:
            out["on_oxygen"] = picks["on_oxygen"] == "oxygen"
        if picks["consciousness"] is not None:
            out["consciousness"] = picks["consciousness"]
        if self.scale == 2 and "spo2" in out:
            out["spo2_scale"] = 2
        return out

    def has_unsaved_input(self) -> bool:
        return bool(self.raw())

    def unsaved(self, typed: dict[str, Any]) -> bool:
        """True when ``typed`` (the row read in key order, picks included) holds a value."""
        return bool(self.raw(typed, self._picks_of(typed)))

    def save_typed(self, typed: dict[str, Any]) -> bool:
        """Save the row as read in key order (leaving the tab); False when refused."""
        return self.save(typed, self._picks_of(typed))

    @staticmethod
    def _picks_of(typed: dict[str, Any]) -> dict[str, str | None]:
        return {"on_oxygen": typed.get("on_oxygen"), "consciousness": typed.get("consciousness")}

    def _check(self, vitals: dict[str, Any] | None = None
               ) -> tuple[dict[str, Any], list[str]] | None:
        """Validate the row; show the first impossible value at its field."""
        from appliance.triage.vitals import validate_vitals

        vitals = self.raw() if vitals is None else dict(vitals)
        pain = vitals.pop("pain_score", None)
        for name in ORDER:
            self.query_one(f".obs-{name}").remove_class("-invalid")
        if pain is not None and not (isinstance(pain, int) and 0 <= pain <= 10):
            return self._refuse("pain_score", "Pain score is 0 to 10.")
        try:
            clean, warnings = validate_vitals(vitals)
        except ValidationError as exc:
            return self._refuse((exc.field or "").removeprefix("vitals."), exc.message,
                                exc.hint)
        if pain is not None:
            clean["pain_score"] = pain
        return clean, warnings

    def _refuse(self, name: str, message: str, hint: str | None = None) -> None:
        if name in ORDER:
            self.query_one(f".obs-{name}").add_class("-invalid")
        text = message.replace("vitals.", "") + (f" — {hint}" if hint else "")
        self.query_one("#obs-message", Static).update(Text(text, style="bold red"))
        return None

    @on(Input.Changed)
    @on(Choice.Changed)
    def _live(self) -> None:
        raw = self.raw()
        if raw == self._live_raw:  # clearing the row sends one Changed per field: check once
            return
        self._live_raw = raw
        self._warned = ()
        checked = self._check(raw)
        if checked is None:
            return
        clean, warnings = checked
        self.query_one("#obs-message", Static).update(
            Text("; ".join(w.replace("vitals.", "") for w in warnings), style="bold #FFA500"))
        self.query_one("#obs-news2", Static).update(self._news2_line(self._score(clean)))

    def _news2_line(self, typed: Any) -> Text:
        """The NEWS2 of the set being typed; with nothing typed, the newest stored set's (the
        line never says "no observations" above sets that score)."""
        if typed is None and self._latest is not None:
            return Text.assemble(("latest set ", "dim"), news2_text(self._latest))
        return news2_text(typed)

    def _score(self, clean: dict[str, Any]) -> Any:
        from appliance.triage import news2

        vitals = {k: v for k, v in clean.items() if k != "pain_score"}
        if not vitals:
            return None
        return news2.score(vitals, age=self.ctx.age, validated=True)

    def action_toggle_scale(self) -> None:
        self.scale = 2 if self.scale == 1 else 1
        self.query_one("#label-spo2", Label).update("SpO2²" if self.scale == 2 else "SpO2")
        self.app.notify("SpO2 scale 2 (target 88–92 %: only when a clinician set it)."
                        if self.scale == 2 else "SpO2 scale 1.")
        self._live()

    # -- saving -----------------------------------------------------------------------------

    def save_in_order(self) -> None:
        """Enter or Ctrl+S: save the row once every key typed before it has reached its field.

        Focus moves to RR at once, so the next set can be typed straight away: each field's
        value is read behind the keys typed before Enter and ahead of those typed after it.
        """
        picks = self.picks()
        origin = self.screen.focused

        def save(typed: dict[str, str]) -> None:
            if not self.save(typed, picks) and origin is not None:
                self.screen.set_focus(origin)  # not saved: back to where Enter was pressed

        after_queued_keys(self._inputs(), save)
        self.screen.set_focus(self.query_one("#respiratory_rate", Input))

    def save(self, typed: dict[str, str] | None = None,
             picks: dict[str, str | None] | None = None) -> bool:
        """Save the row as one observation set (implausible values need a second Enter).

        The row is cleared and RR focused at once; the write runs in a worker and the set
        appears in the table when it is stored. If the write fails the values come back.
        """
        typed = typed if typed is not None else {b.id or "": b.value for b in self._inputs()}
        picks = picks if picks is not None else self.picks()
        checked = self._check(self.raw(typed, picks))
        if checked is None:
            return False
        clean, warnings = checked
        if not clean:
            self._refuse("respiratory_rate", "Enter at least one observation.")
            return False
        if warnings and tuple(warnings) != self._warned:
            self._warned = tuple(warnings)
            self.query_one("#obs-message", Static).update(Text(
                "; ".join(w.replace("vitals.", "") for w in warnings)
                + " — press Enter again to save anyway", style="bold #FFA500"))
            return False
        vitals = {k: (v if k != "on_oxygen" else bool(v)) for k, v in clean.items()}
        self._clear_row(typed, picks)
        ctx = self.ctx

        def work(encounter_id: str) -> dict[str, Any]:
            from appliance.records import encounters

            oid, _ = encounters.record_observation(ctx.session, encounter_id, vitals)
            return ctx.session.db.query("SELECT * FROM observations WHERE id = ?", (oid,))[0]

        def done(row: dict[str, Any]) -> None:
            self.add_set(row)
            self.query_one("#obs-message", Static).update(
                f"Saved set {len(self.sets)} at {hhmm(row['taken_at'])}.")
            self.post_message(Saved("observation", row))

        def failed(exc: LifeboatError) -> None:
            for box in self._inputs():
                if not box.value:
                    box.value = typed.get(box.id or "", "")
            for name, value in picks.items():
                choice = self.query_one(f"#{name}", Choice)
                if choice.value is None:
                    choice.value = value
            self._refuse("", f"Not saved: {exc}")

        self.query_one("#obs-message", Static).update("Saving…")
        ctx.submit(work, done, failed)
        return True

    def _clear_row(self, typed: dict[str, str], picks: dict[str, str | None]) -> None:
        """Empty the row for the next set, keeping anything typed after Enter."""
        for box in self._inputs():
            saved = typed.get(box.id or "", "")
            if box.value.startswith(saved):
                box.value = box.value[len(saved):]
        for name, value in picks.items():
            choice = self.query_one(f"#{name}", Choice)
            if choice.value == value:
                choice.value = None
        self._warned = ()

    def add_set(self, row: dict[str, Any]) -> None:
        """Show one stored set in the table and the trend."""
        from appliance.triage import news2

        self.sets.append(row)
        vitals = {k: row[k] for k in news2.PARAMETERS + ("spo2_scale",)
                  if row.get(k) is not None}
        if "on_oxygen" in vitals:
            vitals["on_oxygen"] = bool(vitals["on_oxygen"])
        result = news2.score(vitals, age=self.ctx.age, validated=True)
        bp = f"{row['systolic_bp'] or ''}/{row['diastolic_bp'] or ''}".strip("/")
        total = row.get("news2_total")
        news = Text(f"{total}{'' if row.get('news2_complete') else '?'}",
                    style=BAND_STYLES.get(result.band, BAND_STYLES[None]))

        def cell(key: str) -> str:
            return "" if row.get(key) is None else str(row[key])

        o2 = "" if row.get("on_oxygen") is None else ("O2" if row["on_oxygen"] else "air")
        self._rows.append((*(Text(c) for c in (
            hhmm(row["taken_at"]), cell("respiratory_rate"), cell("spo2"), o2, bp,
            cell("pulse"), cell("consciousness"), cell("temperature"))), news))
        self._show_rows()
        self._latest = result
        self.query_one("#obs-news2", Static).update(news2_text(result))
        if not self._plot_pending:
            # The stored set shows in the table at once; the trend (plotext builds the whole
            # chart in Python) is drawn in the frame after.
            self._plot_pending = True
            self.call_after_refresh(self._plot)

    def _show_rows(self) -> None:
        table = self.query_one("#obs-table", RowTable)
        table.set_rows(len(self._rows), self._rows.__getitem__,
                       [width for _, width in TABLE_COLUMNS])
        table.move_cursor(row=len(self._rows) - 1)  # the newest set, scrolled into view

    def clear_history(self) -> None:
        """Forget the shown sets (the record is about to be shown again as it now stands)."""
        self.sets.clear()
        self._rows.clear()
        self._latest = None
        self._show_rows()

    def _plot(self) -> None:
        self._plot_pending = False
        plot = self.query_one("#obs-trend", TrendPlot)
        plt = plot.plt
        plt.clear_data()
        points = [(i + 1, s["news2_total"]) for i, s in enumerate(self.sets)
                  if s.get("news2_total") is not None]
        if points:
            xs, ys = zip(*points, strict=True)
            plt.plot(list(xs), list(ys), marker="dot", color="cyan+")  # fixed: plotext cycles
            plt.xticks(list(xs), [hhmm(self.sets[x - 1]["taken_at"]) for x in xs])
        plt.ylim(0, 20)
        plt.title("NEWS2 trend")
        plot.changed()

    def latest_vitals(self) -> dict[str, Any]:
        """The latest set's vital signs for the triage engine ({} when none)."""
        if not self.sets:
            return {}
        from appliance.triage.vitals import VITAL_FIELDS

        row = self.sets[-1]
        out = {k: row[k] for k in VITAL_FIELDS if row.get(k) is not None}
        if "on_oxygen" in out:
            out["on_oxygen"] = bool(out["on_oxygen"])
        return out


class TrendPlot(PlotextPlot):
    """The NEWS2 trend, drawn again only when its data, size or theme change.

    plotext builds the whole chart in Python on every render, and Textual renders a widget
    again each time its tab is shown, which would slow every switch to the observations tab.
    """

    _version = 0
    _drawn: tuple[tuple[int, int, str, int], RenderResult] | None = None

    def changed(self) -> None:
        """The plot's data changed: draw it again."""
        self._version += 1
        self.refresh()

    def render(self) -> RenderResult:
        key = (self.size.width, self.size.height, self.app.theme, self._version)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, super().render())
        return self._drawn[1]
