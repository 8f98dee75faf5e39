"""``logs/lifeboat.log``: starts, sign-ins (never a PIN), installs and errors, rotated by size."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.device import Device
from appliance.errors import AuthError
from appliance.logs import configure
from appliance.paths import Layout


@pytest.fixture(autouse=True)
def no_leftover_handler() -> Iterator[None]:
    """The log handler is process-wide: take ours off after each test."""
    yield
    root = logging.getLogger()
    for h in [h for h in root.handlers if getattr(h, "_lifeboat", False)]:
        root.removeHandler(h)
        h.close()


def _text(lay: Layout) -> str:
    for h in logging.getLogger().handlers:
        h.flush()
    return (lay.logs / "lifeboat.log").read_text(encoding="utf-8")


def test_sign_ins_are_logged_by_user_and_never_with_the_pin(device: Device) -> None:
    configure(device.layout)
    with pytest.raises(AuthError, match="Wrong PIN for paramedic"):
        device.login("paramedic", "864209")
    device.login("paramedic", "111111").close()
    text = _text(device.layout)
    assert "sign-in failed for paramedic: wrong PIN" in text
    assert "signed in: paramedic (paramedic)" in text
    assert "864209" not in text and "111111" not in text


def test_the_app_start_is_logged(device: Device, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.app
    from tui.launch import run_app

    monkeypatch.setattr(tui.app.LifeboatApp, "run", lambda self: None)  # start, do not draw
    assert run_app() == 0
    assert "started: lifeboat" in _text(device.layout)
    assert device.info.device_id in _text(device.layout)


def test_the_log_rotates_and_keeps_a_bounded_history(tmp_path: Path) -> None:
    lay = Layout(tmp_path / "home")
    configure(lay, max_bytes=2_000, backups=2)
    log = logging.getLogger("lifeboat.test")
    for i in range(200):
        log.info("sync report %04d: 3 acknowledged, 0 quarantined", i)
    files = sorted(p.name for p in lay.logs.iterdir())
    assert files == ["lifeboat.log", "lifeboat.log.1", "lifeboat.log.2"]
    assert all((lay.logs / f).stat().st_size <= 2_000 for f in files)
    assert "sync report 0199" in (lay.logs / "lifeboat.log").read_text(encoding="utf-8")


def test_a_second_data_directory_gets_the_log_not_the_first(tmp_path: Path) -> None:
    first, second = Layout(tmp_path / "a"), Layout(tmp_path / "b")
    configure(first)
    configure(second)
    logging.getLogger("lifeboat.test").warning("only in b")
    assert "only in b" in _text(second)
    assert "only in b" not in (first.logs / "lifeboat.log").read_text(encoding="utf-8")


async def test_an_error_shown_to_the_user_is_logged(device: Device) -> None:
    from tui.app import LifeboatApp

    configure(device.layout)
    app = LifeboatApp(device)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.notify("The hub refused the bundle.", title="USB import", severity="error")
        app.notify("Saved.")
    text = _text(device.layout)
    assert "ERROR lifeboat.tui: shown on LoginScreen: USB import: The hub refused" in text
    assert "Saved." not in text
