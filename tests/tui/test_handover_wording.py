"""The handover screen with and without the assistant's wording, driven as a paramedic would."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from appliance.assistant.handover_wording import PROMPT_VERSION
from appliance.device import Device
from appliance.records import encounters, interventions, patients
from models.runtime import Generation, Message, ModelStamp
from tests.tui.conftest import OBS_SETS, make_app, seed_encounter, settle, sign_in
from tests.tui.test_snapshots import SIZES, ScreenHarness, _settle, utc_display  # noqa: F401

REWORDED = "The pedestrian was hit by a car at 30 mph."


class WordingRuntime:
    """Stands in for the resident model: tidies the mechanism line, changes a number in the
    signs line (which the check must refuse) and echoes every other line."""

    stamp = ModelStamp("scripted-wording", "ab" * 32)
    context_length = 2048

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def complete(self, messages: Sequence[Message], **_: Any) -> Generation:
        line = messages[-1]["content"].partition(": ")[2]
        reply = (REWORDED if "mph" in line else line.replace("RR 22", "RR 12") if "RR" in line
                 else line)
        return Generation(reply, 10, 10, 0.1, 0.01, "stop", self.stamp)


def _seed(device: Device) -> str:
    seeder = device.login("paramedic", "111111")
    pid = patients.register(seeder, family_name="Smith", given_name="Ann", sex="F",
                            date_of_birth="1954-03-02")
    enc = encounters.open_encounter(seeder, patient_id=pid, kind="trauma",
                                    presenting_complaint="open fracture left tibia",
                                    mechanism="pedestrian hit by car at 30 mph")
    encounters.record_observation(seeder, enc, {"respiratory_rate": 22, "spo2": 95,
                                                "systolic_bp": 105, "pulse": 112})
    interventions.record(seeder, enc, "drug", "Morphine sulfate", dose="5", dose_unit="mg",
                         route="IV")
    seeder.close()
    return enc


async def _open_handover(pilot: Any) -> None:
    await sign_in(pilot)
    await pilot.press("b")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("f8")
    await settle(pilot)
    assert pilot.app.screen.__class__.__name__ == "HandoverScreen"


@pytest.fixture(autouse=True)
def wording_switched_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about m, which is off by default: switch it on through the setting."""
    import dataclasses

    from appliance import config

    load = config.load

    def with_wording(path: Any) -> config.Config:
        cfg = load(path)
        return dataclasses.replace(
            cfg, assistant=dataclasses.replace(cfg.assistant, handover_wording=True))

    monkeypatch.setattr(config, "load", with_wording)


def _texts(screen: Any) -> list[str]:
    return [line.text for line in screen.handover.lines]


async def test_without_the_assistant_m_says_so_and_the_handover_stays_as_recorded(
        device: Device) -> None:
    _seed(device)
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_handover(pilot)
        assert app.handover_smoother is None  # the assistant is off (tests/conftest.py)
        before = _texts(app.screen)
        await pilot.press("m")
        await settle(pilot)
        assert _texts(app.screen) == before
        assert not app.screen.query_one("#ho-banner").display
        assert any("not present" in str(n.message) for n in app._notifications)


async def test_model_lines_are_marked_checked_against_the_record_and_signed(
        device: Device, monkeypatch: pytest.MonkeyPatch) -> None:
    from models import llama

    eid = _seed(device)
    monkeypatch.setattr(llama, "loaded", lambda: WordingRuntime())
    app = make_app(device)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_handover(pilot)
        assert app.handover_smoother is None  # a model in memory is not enough: not ready
        app.model_state = "assistant: ready: scripted-wording"
        screen = app.screen
        recorded = _texts(screen)
        await pilot.press("m")
        await settle(pilot)
        h = screen.handover  # type: ignore[attr-defined]
        sources = [line.source for line in h.lines]
        assert sources == ["record", "record", "model", "record", "record", "record", "record",
                           "record"]  # the last two: allergies and medications
        assert h.lines[2].text == REWORDED and h.lines[2].from_record == recorded[2]
        assert "RR 22" in h.lines[4].text  # the changed number was refused: as recorded
        table = screen.query_one("#ho-lines", DataTable)
        assert str(table.get_row_at(2)[3]) == "MODEL"
        banner = screen.query_one("#ho-banner", Static)
        assert banner.display and "Check each against the record" in str(banner.render())
        table.move_cursor(row=2)
        await settle(pilot)
        under = screen.query_one("#ho-recorded", Static)
        assert under.display and recorded[2] in str(under.render())

        await pilot.press("r")  # back to the record's words
        await settle(pilot)
        assert _texts(screen) == recorded and not banner.display
        await pilot.press("m")
        await settle(pilot)
        assert screen.handover.lines[2].source == "model"  # type: ignore[attr-defined]

        await pilot.press("s")  # model lines: asks for a check before signing
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        await pilot.press("y")
        await settle(pilot)
        [note] = app.session.db.query(  # type: ignore[union-attr]
            "SELECT text, model_written FROM notes WHERE encounter_id = ? AND kind = "
            "'handover'", (eid,))
        assert note["model_written"] == 1
        assert f"{REWORDED} [model-written]" in note["text"]
        assert "scripted-wording" in note["text"] and PROMPT_VERSION in note["text"]
        assert "RR 22" in note["text"]


async def test_a_model_line_can_be_edited_before_signing(
        device: Device, monkeypatch: pytest.MonkeyPatch) -> None:
    from models import llama

    _seed(device)
    monkeypatch.setattr(llama, "loaded", lambda: WordingRuntime())
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_handover(pilot)
        app.model_state = "assistant: ready: scripted-wording"
        screen = app.screen
        await pilot.press("m")
        await settle(pilot)
        screen.query_one("#ho-lines", DataTable).move_cursor(row=2)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*" (bonnet)", "enter")  # typing adds to the line, never replaces it
        await settle(pilot)
        line = screen.handover.lines[2]  # type: ignore[attr-defined]
        assert (line.source, line.text) == ("edited", f"{REWORDED} (bonnet)")
        assert not screen.query_one("#ho-banner").display  # no model line left
        await pilot.press("escape")  # leaving would lose the edit: asks first
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        await pilot.press("n")
        await pilot.press("s")  # nothing model-written: signs at once
        await settle(pilot)
        assert app.screen is screen
        assert app.session.db.scalar(  # type: ignore[union-attr]
            "SELECT COUNT(*) FROM notes WHERE kind = 'handover' AND model_written = 0") == 1
        await pilot.press("escape")  # signed: nothing to lose
        await settle(pilot)
        assert app.screen.__class__.__name__ == "EncounterScreen"


class SlowRuntime(WordingRuntime):
    """Streams its reply a word at a time, slowly, and stops when told (like llama.cpp)."""

    def __init__(self) -> None:
        self.calls = 0

    def complete(self, messages: Sequence[Message], **kw: Any) -> Generation:
        self.calls += 1
        reply = super().complete(messages)
        for word in reply.text.split():
            kw["on_token"](word + " ")
            if kw["cancel"].is_set():
                return Generation("", 10, 1, 0.1, 0.01, "cancelled", self.stamp)
            time.sleep(0.05)
        return reply


async def test_leaving_while_the_assistant_rewords_stops_it_and_keeps_the_app_running(
        device: Device, monkeypatch: pytest.MonkeyPatch) -> None:
    from models import llama

    _seed(device)
    slow = SlowRuntime()
    monkeypatch.setattr(llama, "loaded", lambda: slow)
    app = make_app(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_handover(pilot)
        app.model_state = "assistant: ready: scripted-wording"
        await pilot.press("m")
        title = app.screen.query_one("#ho-title", Static)
        for _ in range(100):  # the worker says which line it is on
            await pilot.pause(0.05)
            if "rewording line" in str(title.render()):
                break
        assert "of 8…" in str(title.render())  # ATMIST, allergies and medications
        await pilot.press("s")  # nothing else happens while it works
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "EncounterScreen"
        assert slow.calls < 6  # the remaining lines were never sent to the model
        assert app.session.db.scalar(  # type: ignore[union-attr]
            "SELECT COUNT(*) FROM notes WHERE kind = 'handover'") == 0


class WordingHarness(ScreenHarness):
    """The snapshot harness with the assistant's wording present."""

    @property
    def handover_smoother(self) -> object:
        from appliance.assistant.handover_wording import HandoverWording

        return HandoverWording(WordingRuntime())  # type: ignore[arg-type]


@pytest.mark.parametrize("size", SIZES)
def test_handover_with_a_model_line_snapshot(snap_compare: Any, device: Device,
                                             size: tuple[int, int]) -> None:
    from tui.screens.handover import HandoverScreen

    session = device.login("paramedic", "111111")
    eid = seed_encounter(session, opened_min_ago=30, family="Smith", kind="trauma",
                         complaint="open fracture left tibia", obs=OBS_SETS[2], obs_min_ago=20)
    session.write("encounter.updated", eid, {"mechanism": "pedestrian hit by car at 30 mph"})
    app = WordingHarness(session, lambda a: HandoverScreen(session, eid, a.clock))

    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("m")
        await _settle(pilot)
        await pilot.press("down", "down")  # on the model line: the recorded text shows beneath
        await _settle(pilot)
        pilot.app.clear_notifications()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
