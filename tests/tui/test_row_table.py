"""RowTable: only the rows on screen are made; the cursor and Enter behave as in a list."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from tui.widgets.row_table import Column, RowTable

COLUMNS = [Column("n", "No."), Column("name", "Name")]


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.made: list[int] = []
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        yield RowTable(COLUMNS, id="t")

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        table.focus()
        table.set_rows(500, self.row, [3, 10])

    def row(self, i: int) -> tuple[Text, ...]:
        self.made.append(i)
        return (Text(str(i)), Text(f"patient {i}"))

    def on_row_table_row_selected(self, message: RowTable.RowSelected) -> None:
        self.selected.append(message.row)


async def test_only_the_rows_on_screen_are_made() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert app.made and max(app.made) < 12  # 500 rows, about a screenful made
        assert app.query_one(RowTable).row_count == 500


async def test_cursor_keys_scroll_to_the_cursor_and_enter_selects() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(RowTable)
        await pilot.press("down", "down", "enter")
        assert table.cursor_row == 2
        assert app.selected == [2]
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 499
        assert table.scroll_y > 400  # the last row is in view
        assert 499 in app.made
        await pilot.press("home", "up")
        assert table.cursor_row == 0  # stops at the top


async def test_new_rows_keep_the_cursor_inside_the_table() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(RowTable)
        table.move_cursor(row=400)
        table.set_rows(3, app.row, [3, 10])
        await pilot.pause()
        assert table.cursor_row == 2
        assert str(table.get_row_at(2)[1]) == "patient 2"
