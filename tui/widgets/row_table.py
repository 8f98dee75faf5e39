"""A read-only table whose rows are made and drawn only where they are visible.

Used by the patient board and the observation history, where DataTable was the cost of a
screen update. DataTable measures and keeps every cell of every row and renders each cell
through Rich padding: with hundreds of open encounters a clock tick (every wait and reminder
changes) meant an ``update_cell`` call per changed cell and a redraw of every visible line, and
one more observation set re-rendered the whole history (figures in ``docs/performance.md``).
Here the owner hands over a row count and a function
that makes a row's cells; an update swaps them and repaints the visible lines, each drawn as
one line of text, and only those rows' cells are made.

Column widths come with the rows (worked out by the owner from plain strings, or fixed), so no
cell is measured; a width of 0 hides the column (the owner drops columns on narrow screens).
Keys: up/down, page up/down, home/end move the cursor; Enter or a click on the highlighted row
posts :class:`RowTable.RowSelected`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

Row = tuple[Text, ...]


@dataclass(frozen=True)
class Column:
    key: str
    label: str


class RowTable(ScrollView, can_focus=True):
    """A read-only table with a row cursor; rows come from a function, made when shown."""

    DEFAULT_CSS = """
    RowTable { background: $surface; }
    RowTable > .row-table--header { text-style: bold; background: $panel; }
    RowTable > .row-table--even { background: $surface-lighten-1; }
    RowTable > .row-table--cursor { background: $accent 40%; text-style: bold; }
    RowTable:focus > .row-table--cursor { background: $accent; }
    """
    COMPONENT_CLASSES = {"row-table--header", "row-table--even", "row-table--cursor"}
    BINDINGS = [
        Binding("up", "cursor(-1)", show=False), Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False), Binding("pagedown", "page(1)", show=False),
        Binding("home", "cursor_to(0)", show=False), Binding("end", "cursor_to(-1)", show=False),
        Binding("enter", "select", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class RowSelected(Message):
        """Enter (or a click) on the highlighted row."""

        def __init__(self, table: RowTable, row: int) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> RowTable:
            return self.table

    def __init__(self, columns: list[Column], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.columns = columns
        self._count = 0
        self._make: Callable[[int], Row] = lambda i: ()
        self._made: dict[int, Row] = {}
        self._widths = [len(c.label) for c in columns]
        self.gap = 2  # spaces between columns


    # -- data ----------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self._count

    def set_rows(self, count: int, make: Callable[[int], Row], widths: list[int]) -> None:
        """Show ``count`` rows; row ``i``'s cells are ``make(i)``, called when it is drawn.

        ``widths`` are the columns' widths in cells (at least the label's are used; 0 hides
        the column).
        """
        self._count, self._make, self._made = count, make, {}
        self._widths = [max(w, len(c.label)) if w else 0
                        for w, c in zip(widths, self.columns, strict=True)]
        self.virtual_size = Size(self.line_width, count + 1)  # + the header line
        self.cursor_row = min(self.cursor_row, max(0, count - 1))
        self.refresh()

    def get_row_at(self, row: int) -> Row:
        if not 0 <= row < self._count:
            raise IndexError(f"row {row} of {self._count}")
        made = self._made.get(row)
        if made is None:
            made = self._made[row] = self._make(row)
        return made

    def move_cursor(self, *, row: int) -> None:
        self.cursor_row = row

    # -- cursor --------------------------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, self._count - 1)) if self._count else 0

    def watch_cursor_row(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)
        self.refresh()

    def action_cursor(self, step: int) -> None:
        self.cursor_row += step

    def action_page(self, direction: int) -> None:
        self.cursor_row += direction * max(1, self.scrollable_content_region.height - 2)

    def action_cursor_to(self, row: int) -> None:
        self.cursor_row = row if row >= 0 else self._count - 1

    def action_select(self) -> None:
        if self._count:
            self.post_message(self.RowSelected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        row = event.y - 1 + round(self.scroll_y)
        if event.y < 1 or not 0 <= row < self._count:
            return
        if row == self.cursor_row:
            self.action_select()
        else:
            self.cursor_row = row

    # -- drawing -------------------------------------------------------------------------------

    @property
    def column_widths(self) -> list[int]:
        return list(self._widths)

    @property
    def line_width(self) -> int:
        """Cells one full row takes (a leading space, then each shown column and its gap)."""
        return 1 + sum(self._widths) + self.gap * sum(1 for w in self._widths if w)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            style = self.get_component_rich_style("row-table--header")
            return self._strip(tuple(Text(c.label) for c in self.columns), style, width)
        row = y - 1 + round(self.scroll_y)
        if row >= self._count:
            return Strip.blank(width, self.rich_style)
        if row == self.cursor_row:
            style = self.get_component_rich_style("row-table--cursor")
        elif row % 2:
            style = self.get_component_rich_style("row-table--even")
        else:
            style = self.rich_style
        return self._strip(self.get_row_at(row), style, width)

    def _strip(self, cells: Row, style: Style, width: int) -> Strip:
        line = Text(" ", no_wrap=True, overflow="ellipsis")
        for cell, w in zip(cells, self._widths, strict=False):
            if not w:
                continue
            shown = cell.copy()
            shown.truncate(w, overflow="ellipsis", pad=True)
            line.append_text(shown)
            line.append(" " * self.gap)
        segments = [Segment(s.text, style + s.style if s.style else style)
                    for s in line.render(self.app.console)]
        x = round(self.scroll_x)
        return Strip(segments).crop_extend(x, x + width, style)
