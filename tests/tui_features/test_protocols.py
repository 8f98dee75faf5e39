"""The protocol browser, driven as a paramedic would: search, open, bookmark, back/forward."""

from __future__ import annotations

from rich.text import Text

from appliance.device import Device
from tests.tui_features.conftest import sign_in, wait_for, wait_until
from tui.app import LifeboatApp
from tui.screens.protocols import highlight, open_protocol
from tui.widgets.bookmarks import Bookmarks


def _results(app) -> list[str]:  # noqa: ANN001
    results = app.screen.query_one("#results")
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


async def _open_browser(pilot, app) -> None:  # noqa: ANN001
    await sign_in(pilot, 2, "111111")
    await wait_for(pilot, app, "HomeScreen")
    await pilot.press("p")
    await wait_for(pilot, app, "ProtocolBrowserScreen")
    await wait_until(pilot, lambda: app.screen.source is not None)


def test_highlight_marks_words_starting_with_a_query_word() -> None:
    text = highlight("Chest pain and chesty cough", "chest p")
    marked = [text.plain[s.start:s.end] for s in text.spans]
    assert marked == ["Chest", "chesty"]  # one-letter words are not highlighted
    assert highlight("nothing here", "").spans == []
    assert isinstance(text, Text)


async def test_search_as_you_type_opens_the_right_protocol_at_the_answering_line(
        demo_with_pack: Device) -> None:
    app = LifeboatApp(demo_with_pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_browser(pilot, app)
        assert "Content as of" in str(app.screen.query_one("#pack-line").render())
        # "adrenaline dose" alone is answered by anaphylaxis and by cardiac arrest alike (the
        # score fusion of issue 18 puts the child's arrest dose first): name the one meant
        await pilot.press(*"adrenaline anaphylaxis adult dose")
        await wait_until(pilot, lambda: any("Anaphylaxis" in r for r in _results(app)))
        first = app.screen.hits[0]
        assert (first.doc_id, first.heading_path[1:]) == ("anaphylaxis", ("Immediate actions",))
        assert "500 micrograms" in first.line and "500 micrograms" in first.snippet
        assert "Sample content" not in "".join(_results(app))
        await pilot.press("enter")
        await wait_for(pilot, app, "ProtocolDocumentScreen")
        await wait_until(pilot, lambda: app.screen.doc is not None)
        assert app.screen.doc.id == "anaphylaxis"
        assert app.screen.section_id == first.section_id and app.screen.line == first.line
        await wait_until(pilot, lambda: bool(app.screen.query(".cited")))
        assert any("500 micrograms" in str(w.render()) for w in app.screen.query(".cited"))


async def test_typo_and_no_match_are_handled(demo_with_pack: Device) -> None:
    app = LifeboatApp(demo_with_pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_browser(pilot, app)
        await pilot.press(*"zzqqxx")
        await wait_until(pilot, lambda: any("No protocol matches" in r for r in _results(app)))
        await pilot.press("escape")  # clears the query, back to the list
        await wait_until(pilot, lambda: len(_results(app)) >= 40)
        assert app.screen.query_one("#query").value == ""


async def test_categories_list_their_documents(demo_with_pack: Device) -> None:
    app = LifeboatApp(demo_with_pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_browser(pilot, app)
        cats = app.screen.query_one("#categories")
        cats.focus()
        index = next(i for i in range(cats.option_count)
                     if cats.get_option_at_index(i).id == "cardiac")
        cats.highlighted = index
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("Cardiac arrest" in r for r in _results(app)))
        assert not any("Sepsis" in r for r in _results(app))


async def test_bookmarks_persist_per_user_and_history_goes_back_and_forward(
        demo_with_pack: Device) -> None:
    app = LifeboatApp(demo_with_pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_browser(pilot, app)
        open_protocol(app, "sepsis")
        await wait_for(pilot, app, "ProtocolDocumentScreen")
        await wait_until(pilot, lambda: app.screen.doc is not None)
        await pilot.press("b")
        marks = Bookmarks(demo_with_pack.layout.root, "paramedic").list()
        assert [m.doc_id for m in marks] == ["sepsis"]
        assert Bookmarks(demo_with_pack.layout.root, "clinician").list() == []
        open_protocol(app, "news2")  # e.g. a citation followed from the assistant
        await wait_until(pilot, lambda: app.screen.doc is not None
                         and app.screen.doc.id == "news2")
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: app.screen.doc.id == "sepsis")
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: app.screen.doc.id == "news2")
        await pilot.press("escape")
        await wait_for(pilot, app, "ProtocolBrowserScreen")
        await pilot.press("f2")
        await wait_until(pilot, lambda: any("Sepsis" in r for r in _results(app)))
