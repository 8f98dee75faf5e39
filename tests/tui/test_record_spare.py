"""The record composed while idle (screens/record_spare): same screen as a fresh one, used once."""

from __future__ import annotations

import asyncio

from textual.widgets import Input

from appliance.device import Device
from appliance.records import encounters, interventions
from tests.tui.conftest import OBS_SETS, FixedClock, make_app, seed_encounter, settle, sign_in
from tui.app import LifeboatApp
from tui.screens.encounter import EncounterScreen
from tui.screens.home import HomeScreen
from tui.screens.record_spare import IDLE_BEFORE_PREPARE_S, RecordSpare, open_record


def _seed(device: Device) -> tuple[str, str]:
    """Two full records: observations, a drug, a note and a confirmed triage each."""
    s = device.login("clinician", "222222")
    ids = []
    for family, complaint in (("Alpha", "chest pain"), ("Bravo", "shortness of breath")):
        eid = seed_encounter(s, opened_min_ago=20, family=family, priority=2, obs=OBS_SETS[1],
                             obs_min_ago=5, complaint=complaint, area="Majors")
        interventions.record(s, eid, "drug", "Aspirin", dose=300, dose_unit="mg", route="PO")
        encounters.add_note(s, eid, f"{family} note: alert, talking")
        ids.append(eid)
    s.close()
    return ids[0], ids[1]


async def _ready_spare(app: LifeboatApp) -> EncounterScreen:
    await app.record_spare.prepare(app.session, app.clock)  # type: ignore[arg-type, attr-defined]
    spare = app.record_spare._screen
    assert spare is not None and app.record_spare.ready
    return spare


async def test_spare_is_composed_off_screen_then_shows_the_record(device: Device) -> None:
    alpha, _ = _seed(device)
    app = make_app(device, FixedClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        spare = await _ready_spare(app)
        # Composed and mounted (Textual's private _get_screen still does that), not shown.
        assert isinstance(app.screen, HomeScreen) and spare not in app.screen_stack
        assert spare.query_one("#respiratory_rate", Input).is_mounted
        screen = open_record(app, app.session, app.clock, alpha)  # type: ignore[arg-type, attr-defined]
        assert screen is spare and not app.record_spare.ready  # taken: used once
        await app.push_screen(screen)
        await settle(pilot)
        assert screen.focused is not None and screen.focused.id == "respiratory_rate"
        assert screen.query_one("#family_name", Input).value == "Alpha"
        assert screen.query_one("#obs-table").row_count == 1


async def test_a_record_from_the_spare_looks_exactly_like_a_fresh_one(device: Device) -> None:
    """Same encounter, same frame: nothing missed by binding late or by the skipped restyle."""
    alpha, _ = _seed(device)
    app = make_app(device, FixedClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        shots = []
        for from_spare in (True, False, True):
            if from_spare:
                await _ready_spare(app)
                screen = open_record(app, app.session, app.clock, alpha)  # type: ignore[arg-type, attr-defined]
            else:
                app.record_spare.discard()
                screen = EncounterScreen(app.session, alpha, app.clock)  # type: ignore[arg-type, attr-defined]
            await app.push_screen(screen)
            await settle(pilot)
            shots.append(app.export_screenshot())
            for key in ("f2", "f5", "f6", "f7", "f4"):  # every tab drawn the same way too
                await pilot.press(key)
                await settle(pilot)
                shots.append(app.export_screenshot())
            app.pop_screen()
            await settle(pilot)
        per_open = len(shots) // 3
        spare_shots, fresh_shots = shots[:per_open], shots[per_open:2 * per_open]
        assert spare_shots == fresh_shots
        assert shots[2 * per_open:] == spare_shots  # and the next spare again


async def test_nothing_typed_for_one_patient_reaches_the_next(device: Device) -> None:
    alpha, bravo = _seed(device)
    app = make_app(device, FixedClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await _ready_spare(app)
        first = open_record(app, app.session, app.clock, alpha)  # type: ignore[arg-type, attr-defined]
        await app.push_screen(first)
        await settle(pilot)
        await pilot.press("f7", *"alphasecret")  # a note typed, never saved
        await pilot.press("f4", *"31")  # and a respiratory rate
        await pilot.press("escape")  # asks first: unsaved input
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not first.is_attached  # the used record left with what was typed into it
        await _ready_spare(app)
        second = open_record(app, app.session, app.clock, bravo)  # type: ignore[arg-type, attr-defined]
        assert second is not first
        await app.push_screen(second)
        await settle(pilot)
        typed = {str(w.id): w.value for w in second.query(Input)}
        assert typed["family_name"] == "Bravo" and typed["note"] == ""
        assert typed["respiratory_rate"] == ""
        shown = app.export_screenshot()
        assert "alphasecret" not in shown and "Alpha" not in shown
        assert encounters.detail(app.session, bravo)["notes"][0]["text"].startswith("Bravo")  # type: ignore[arg-type, index]


async def test_new_record_from_the_spare_starts_empty(device: Device) -> None:
    app = make_app(device, FixedClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        spare = await _ready_spare(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is spare
        assert spare.focused is not None and spare.focused.id == "family_name"
        assert all(w.value == "" for w in spare.query(Input))
        assert spare.ctx.encounter_id is None  # nothing stored until the first save


async def test_signing_out_discards_the_spare(device: Device) -> None:
    app = make_app(device, FixedClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        spare = await _ready_spare(app)
        first_session = app.session
        app.action_sign_out()
        await settle(pilot)
        assert not app.record_spare.ready and not spare.is_attached
        await sign_in(pilot, "clinician", "222222")
        assert app.session is not first_session
        spare = await _ready_spare(app)
        assert spare.ctx.session is app.session


async def test_a_spare_is_composed_only_when_signed_in_and_idle(device: Device) -> None:
    app = make_app(device, FixedClock())
    async with app.run_test(size=(80, 24)):
        spare = RecordSpare(app)
        assert not spare.prepare_if_idle(None, app.clock, 60.0)  # type: ignore[attr-defined]
        session = device.login("paramedic", "111111")
        assert not spare.prepare_if_idle(session, app.clock,  # type: ignore[attr-defined]
                                         IDLE_BEFORE_PREPARE_S / 2)
        assert spare.prepare_if_idle(session, app.clock, IDLE_BEFORE_PREPARE_S)  # type: ignore[attr-defined]
        await spare.prepare(session, app.clock)  # type: ignore[attr-defined]
        assert spare.ready
        assert not spare.prepare_if_idle(session, app.clock, 60.0)  # type: ignore[attr-defined]
        spare.discard()
        session.close()


async def test_a_spare_dropped_while_it_composes_is_removed_once_mounted(device: Device) -> None:
    """Sign-out or Enter can come mid-compose: removing it then crashed its forms' on_mount."""
    alpha, _ = _seed(device)
    app = make_app(device, FixedClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        app.record_spare.discard()
        app.record_spare.prepare(app.session, app.clock)  # type: ignore[arg-type, attr-defined]
        half = app.record_spare._screen
        assert half is not None
        while not half.query("TriagePanel"):  # part-way through composing
            await asyncio.sleep(0)
        assert not half.is_mounted
        app.record_spare.discard()
        app.record_spare.prepare(app.session, app.clock)  # type: ignore[arg-type, attr-defined]
        screen = open_record(app, app.session, app.clock, alpha)  # type: ignore[arg-type, attr-defined]
        assert screen is not app.record_spare._screen  # not composed yet: a fresh record
        await app.push_screen(screen)
        await settle(pilot)
        assert screen.query_one("#family_name", Input).value == "Alpha"
        assert not half.is_attached
