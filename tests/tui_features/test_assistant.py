"""The assistant panel: citations checked in code, degraded without a model, decisions audited."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from appliance.assistant import banners
from appliance.device import Device
from tests.tui_features.conftest import sign_in, wait_for, wait_until
from tui.app import LifeboatApp
from tui.screens import assistant as assistant_screen
from tui.screens.assistant import AssistantScreen
from tui.widgets import citation_answer


def _without_assistant(device: Device) -> Device:
    assistant = dataclasses.replace(device.config.assistant, enabled=False)
    device.config = dataclasses.replace(device.config, assistant=assistant)
    return device


def test_banners_come_from_the_triage_result_and_the_domain_banners_only() -> None:
    assert banners.for_triage(None) == []
    assert banners.for_triage({"priority": {"level": 1, "name": "Immediate"}}) == \
        [banners.BANNERS[1]]
    assert banners.for_triage({"priority": {"level": 4}, "red_flags": ["sepsis"]}) == \
        [banners.RED_FLAGS]
    assert banners.for_triage({"priority": {"level": 4}, "red_flags": []}) == []


def test_the_panel_keeps_no_citation_logic_or_banner_text_of_its_own() -> None:
    # The TUI is a thin shell: checking and wording live in appliance.assistant.
    for module in (assistant_screen, citation_answer):
        source = inspect.getsource(module)
        assert "def sentences" not in source and "answer_messages" not in source
        assert "priority from the triage engine" not in source


async def test_the_panel_shows_the_banner_the_triage_result_calls_for(
        demo_with_pack: Device) -> None:
    app = LifeboatApp(_without_assistant(demo_with_pack))
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, 2, "111111")
        await wait_for(pilot, app, "HomeScreen")
        # Awaited: mounted, banners composed (the spare record may be composing meanwhile).
        await app.push_screen(AssistantScreen(triage={"priority": {"level": 1},
                                                      "red_flags": ["x"]}))
        await wait_for(pilot, app, "AssistantScreen")
        shown = [str(b.render()) for b in app.screen.query(".banner")]
        assert shown == [banners.BANNERS[1], banners.RED_FLAGS]


async def test_a_question_the_protocols_do_not_cover_says_not_found_with_nearest_titles(
        demo_with_pack: Device) -> None:
    app = LifeboatApp(_without_assistant(demo_with_pack))
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, 2, "111111")
        await wait_for(pilot, app, "HomeScreen")
        await pilot.press("a")
        await wait_for(pilot, app, "AssistantScreen")
        await pilot.press(*"qwxz blorp zyzzyva", "enter")
        answer = app.screen.query_one("#answer")
        await wait_until(pilot, lambda: answer.finished)
        assert answer.result.mode == "not-found" and not answer.sources
        assert banners.NOT_FOUND in str(answer.render())


async def test_without_a_model_the_answer_is_the_protocol_line_and_opens_there(
        demo_with_pack: Device) -> None:
    app = LifeboatApp(_without_assistant(demo_with_pack))
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, 2, "111111")
        await wait_for(pilot, app, "HomeScreen")
        await wait_until(pilot, lambda: app.model_state.startswith("assistant: off"))
        await pilot.press("a")
        await wait_for(pilot, app, "AssistantScreen")
        await pilot.press(*"adult adrenaline dose anaphylaxis", "enter")
        answer = app.screen.query_one("#answer")
        await wait_until(pilot, lambda: answer.finished)
        assert answer.result.mode == "extractive" and answer.result.quotes  # protocol's words
        assert "500 micrograms" in answer.result.quotes[0].text
        assert "500 micrograms" in str(answer.render())
        first = answer.sources[0]
        assert first.doc_id == "anaphylaxis" and "500 micrograms" in first.line_text
        await pilot.press("1")
        await wait_for(pilot, app, "ProtocolDocumentScreen")
        await wait_until(pilot, lambda: app.screen.doc is not None)
        assert app.screen.section_id == first.section_id and app.screen.line == first.line_text
        await wait_until(pilot, lambda: len(app.screen.query(".cited")) > 0)
        cited = app.screen.query(".cited")
        assert any("500 micrograms" in str(w.render()) for w in cited)


@pytest.mark.slow
@pytest.mark.assistant
async def test_with_the_bundled_model_ready_the_answer_is_still_the_lines_and_is_audited(
        demo_with_pack: Device) -> None:
    app = LifeboatApp(demo_with_pack)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, 1, "222222")
        await wait_for(pilot, app, "HomeScreen")
        await wait_until(pilot, lambda: app.model_state.startswith("assistant: ready"), 600)
        await pilot.press("a")
        await wait_for(pilot, app, "AssistantScreen")
        await pilot.press(*"adrenaline dose in anaphylaxis", "enter")
        answer = app.screen.query_one("#answer")
        await wait_until(pilot, lambda: answer.finished, 600)
        assert answer.result.mode == "extractive" and answer.result.generation is None
        assert answer.result.sentences == [] and answer.unsupported_count() == 0
        await pilot.press("a")  # accept (focus is on the answer now)
        rows = app.session.db.query(
            "SELECT action, detail FROM audit_log WHERE action LIKE 'assistant.answer.%'")
        assert [r["action"] for r in rows] == ["assistant.answer.accepted"]
        assert "anaphylaxis#" in rows[0]["detail"]


async def test_only_gated_sentences_are_drawn_and_never_unchecked_text() -> None:
    from textual.app import App, ComposeResult

    from appliance.assistant.grounded import answer
    from tests.assistant.conftest import ScriptedRuntime
    from tests.assistant.test_grounded import HITS, ListSearcher

    reply = ('Cool the burn with running water for 20 minutes [1]. Apply butter to the burn. '
             'The protocol says "use ice for an hour" [1].')
    result = answer("how long to cool a burn", ListSearcher(*HITS), ScriptedRuntime(reply),
                    write=True)

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield citation_answer.CitationAnswer(id="answer")

    async with Host().run_test() as pilot:
        widget = pilot.app.query_one(citation_answer.CitationAnswer)
        widget.start()
        widget.show_sources(result.citations)
        widget.append("Apply butter ")  # streamed, unchecked: never drawn
        early = str(widget.render())
        widget.show(result)
        shown = str(widget.render())
    assert "butter" not in early and result.citations[0].line_text in early
    assert len(result.sentences) == 1 and len(result.rejected) == 2
    assert "Cool the burn with running water for 20 minutes [1]." in shown
    assert "butter" not in shown and "use ice" not in shown
    assert "withheld" in shown  # the domain's note, shown as is
    assert shown.startswith(banners.DECISION_SUPPORT)
