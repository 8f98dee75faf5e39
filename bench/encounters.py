"""Encounter screens: key press to updated screen, and the board with 500 open encounters.

Each target is reported beside a baseline measured in the same run:
* ``screen_switch`` (F-key to another part of the record) and ``save_observation`` (Enter to the
  stored set shown in the table, the row cleared; typing the values is not timed) against
  ``baseline_trivial_key`` (an unbound key on the same screen, measured the same way: press,
  workers done, one redraw) and ``baseline_empty_switch`` (push and pop an empty screen);
  target ≤ 100 ms.
* ``board_500`` (load, sort and render 500 open encounters) and ``board_resort`` (re-sort and
  redraw after the clock moves) against ``baseline_board_empty``; target ≤ 200 ms.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from typing import Any

from bench.common import summarise_ms


async def _wait(app: Any) -> None:
    from textual.worker import WorkerCancelled

    try:
        await app.workers.wait_for_complete()
    except WorkerCancelled:  # a popped screen's worker: nothing to wait for
        pass


async def _measure(quick: bool) -> dict[str, Any]:
    from datetime import UTC, datetime, timedelta

    from textual.app import App
    from textual.screen import Screen

    from appliance.device import enrol_demo
    from appliance.paths import layout
    from bench.seed import FixedClock, seed_encounter
    from tui.screens.board import BoardScreen
    from tui.screens.encounter import EncounterScreen

    device = enrol_demo(layout())
    session = device.login("paramedic", "111111")
    now = datetime.now(UTC)
    clock = FixedClock(now)
    n_board = 100 if quick else 500
    reps = 5 if quick else 20
    obs = {"respiratory_rate": 18, "spo2": 97, "on_oxygen": False, "systolic_bp": 120,
           "pulse": 80, "consciousness": "A", "temperature": 37.0}
    eid = ""
    for i in range(n_board):
        eid = seed_encounter(session, opened_min_ago=i % 300, family=f"Patient{i}",
                             priority=(i % 5) + 1 if i % 7 else None, now=now,
                             obs=obs if i % 3 == 0 else None, obs_min_ago=i % 90,
                             area=("Majors", "Minors", "Resus")[i % 3])

    class Harness(App[None]):
        pass

    app = Harness()
    out: dict[str, Any] = {"open_encounters": n_board}
    async with app.run_test(size=(120, 40)) as pilot:
        async def timed(action: Any, n: int) -> list[float]:
            samples = []
            for _ in range(n):
                t = time.perf_counter()
                await action()
                await _wait(app)
                await pilot.pause()
                samples.append(time.perf_counter() - t)
            return samples

        async def empty_switch() -> None:
            await app.push_screen(Screen())
            await pilot.pause()
            app.pop_screen()

        out["baseline_empty_switch"] = summarise_ms(await timed(empty_switch, reps))
        screen = EncounterScreen(session, eid, clock)
        await app.push_screen(screen)
        await _wait(app)
        await pilot.pause()
        async def trivial_key() -> None:
            await pilot.press("f12")  # bound to nothing: the cost of any key and a redraw

        out["baseline_trivial_key"] = summarise_ms(await timed(trivial_key, reps))
        keys = iter(["f2", "f4"] * reps)

        async def switch() -> None:
            await pilot.press(next(keys))

        out["screen_switch"] = summarise_ms(await timed(switch, reps))

        from textual.widgets import Input

        async def save_obs() -> None:
            # Typing is not what is timed: Enter to the stored set shown in the table.
            await pilot.press("f4", "1", "8", "tab", "9", "7")
            table = screen.query_one("#obs-table")
            before = table.row_count  # type: ignore[attr-defined]
            t = time.perf_counter()
            await pilot.press("enter")
            while table.row_count == before:  # type: ignore[attr-defined]
                await _wait(app)
                await pilot.pause()
            assert screen.query_one("#respiratory_rate", Input).value == ""
            save_samples.append(time.perf_counter() - t)

        save_samples: list[float] = []
        await timed(save_obs, reps)
        out["save_observation"] = summarise_ms(save_samples)
        app.pop_screen()
        board = BoardScreen(session, clock)
        rows = session.db.query("SELECT 1")  # warm the connection

        t = time.perf_counter()
        await app.push_screen(board)
        await _wait(app)
        await pilot.pause()
        out["board_500"] = summarise_ms([time.perf_counter() - t])

        async def resort() -> None:
            clock.now += timedelta(minutes=1)
            board.show()

        out["board_resort"] = summarise_ms(await timed(resort, reps))

        async def reload() -> None:
            board.action_reload()

        out["board_reload_from_store"] = summarise_ms(await timed(reload, reps))
        del rows
        empty = BoardScreen(session, clock)
        empty.rows = []

        async def empty_resort() -> None:
            empty.show([])

        app.pop_screen()
        await app.push_screen(empty)
        await _wait(app)
        await pilot.pause()
        out["baseline_board_empty"] = summarise_ms(await timed(empty_resort, reps))
    session.close()
    base = out["baseline_empty_switch"]["p50_ms"]
    out["ratios_vs_empty_switch"] = {
        k: round(out[k]["p50_ms"] / base, 2) for k in ("screen_switch", "save_observation")}
    key = out["baseline_trivial_key"]["p50_ms"]
    out["ratios_vs_trivial_key"] = {
        k: round(out[k]["p50_ms"] / key, 2) for k in ("screen_switch", "save_observation")}
    board_base = out["baseline_board_empty"]["p50_ms"]
    out["ratios_vs_board_empty"] = {
        k: round(out[k]["p50_ms"] / board_base, 2) for k in ("board_500", "board_resort")}
    out["targets_ms"] = {"screen_switch": 100, "save_observation": 100, "board_500": 200,
                         "board_resort": 200}
    out["meets_targets"] = {k: out[k]["p95_ms"] <= v for k, v in out["targets_ms"].items()}
    return out


def run(quick: bool) -> dict[str, Any]:
    """Measure in a throwaway LIFEBOAT_HOME (a DEMO device with seeded encounters)."""
    old = os.environ.get("LIFEBOAT_HOME")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LIFEBOAT_HOME"] = tmp
        try:
            return asyncio.run(_measure(quick))
        finally:
            if old is None:
                os.environ.pop("LIFEBOAT_HOME", None)
            else:
                os.environ["LIFEBOAT_HOME"] = old
