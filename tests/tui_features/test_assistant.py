"""The assistant panel: citations checked in code, degraded without a model, decisions audited."""

from __future__ import annotations

import dataclasses

import pytest

from appliance.device import Device
from tests.tui_features.conftest import sign_in, wait_for, wait_until
from tui.app import LifeboatApp
from tui.screens.assistant import BANNERS, banners_for
from tui.widgets.citation_answer import sentences


def _without_assistant(device: Device) -> Device:
    assistant = dataclasses.replace(device.config.assistant, enabled=False)
    device.config = dataclasses.replace(device.config, assistant=assistant)
    return device


def test_a_sentence_without_a_valid_citation_is_unsupported() -> None:
    got = sentences("Give IM adrenaline [1]. Repeat in 5 minutes. [2] Call 999 [7].", 2)
    by_text = {s.text: s.supported for s in got}
    assert by_text["Give IM adrenaline [1]."] is True
    assert by_text["Repeat in 5 minutes. [2]"] is True  # a trailing citation counts
    assert by_text["Call 999 [7]."] is False  # there is no source 7
    assert sentences("No citation at all.", 3)[0].supported is False
    assert sentences("Still typing", 3, final=False)[0].supported is True


def test_banners_come_from_the_triage_result_only() -> None:
    assert banners_for(None) == []
    assert banners_for({"priority": {"level": 1, "name": "Immediate"}}) == [BANNERS[1]]
    assert banners_for({"priority": {"level": 4}, "red_flags": []}) == []


async def test_without_a_model_the_panel_lists_protocol_sections_and_says_why(
        demo_with_pack: Device) -> None:
    app = LifeboatApp(_without_assistant(demo_with_pack))
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, 2, "111111")
        await wait_for(pilot, app, "HomeScreen")
        await wait_until(pilot, lambda: app.model_state.startswith("assistant: off"))
        assert "disabled in settings" in app.model_state
        await pilot.press("a")
        await wait_for(pilot, app, "AssistantScreen")
        assert "assistant: off" in str(app.screen.query_one("#assistant-note").render())
        await pilot.press(*"adrenaline dose", "enter")
        answer = app.screen.query_one("#answer")
        await wait_until(pilot, lambda: answer.finished)
        assert answer.sources and answer.sources[0].doc_id == "anaphylaxis"
        await pilot.press("1")
        await wait_for(pilot, app, "ProtocolDocumentScreen")
        await wait_until(pilot, lambda: app.screen.doc is not None)
        assert app.screen.section_id == answer.sources[0].section_id


@pytest.mark.slow
@pytest.mark.assistant
async def test_bundled_model_streams_a_cited_answer_and_the_decision_is_audited(
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
        await wait_until(pilot, lambda: len(answer.text.split()) >= 3, 6000)  # streaming
        assert not answer.finished and answer.sources
        await pilot.press("escape")  # cancels generation, keeps the screen
        await wait_until(pilot, lambda: answer.finished, 600)
        assert answer.status == "cancelled" and type(app.screen).__name__ == "AssistantScreen"
        await pilot.press("a")  # accept (focus is on the answer now)
        rows = app.session.db.query(
            "SELECT action, detail FROM audit_log WHERE action LIKE 'assistant.answer.%'")
        assert [r["action"] for r in rows] == ["assistant.answer.accepted"]
        assert "SmolLM2" in rows[0]["detail"] or "smollm2" in rows[0]["detail"].lower()
