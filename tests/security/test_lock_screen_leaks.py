"""The command palette cannot copy a record out of the encrypted store: Textual's Screenshot
command is gone (on every screen), the lock screen offers no commands at all, and the
screenshot action itself writes nothing. Driven through the real app with Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.device import Device
from tests.tui.conftest import make_app, settle, sign_in
from tui.screens.lock import LockScreen


@pytest.fixture
def home_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where Textual saves screenshots (~/Downloads) points into this test's folder."""
    home = tmp_path / "user-home"
    (home / "Downloads").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    return home


def svgs(root: Path) -> list[Path]:
    return list(root.rglob("*.svg"))


async def test_the_palette_screenshot_on_the_lock_screen_writes_nothing(
        device: Device, home_dir: Path, tmp_path: Path) -> None:
    app = make_app(device)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Lock screen" in titles and not any("screenshot" in t.lower() for t in titles)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert list(app.get_system_commands(app.screen)) == []
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"screenshot", "enter")
        await settle(pilot)
        app.action_screenshot()
        await settle(pilot)
    assert svgs(tmp_path) == []
