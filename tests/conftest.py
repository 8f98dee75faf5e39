"""Every test gets its own LIFEBOAT_HOME, so nothing touches a real data directory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"


@pytest.fixture(scope="session")
def installed_sample_pack(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The bundled sample pack installed once per session as a DEMO device does it
    (``install_sample_pack``: trusted, indexed, section and line vectors ready) in a template
    home; returns the ``InstalledPack``. Installing it embeds every line of 56 documents, the
    costliest set-up in the suite: tests read this one, or copy its home before changing it."""
    from appliance.paths import Layout
    from appliance.protocols.lifecycle import install_sample_pack

    root = tmp_path_factory.mktemp("sample-pack-home")
    saved = os.environ.get("LIFEBOAT_HOME")
    os.environ["LIFEBOAT_HOME"] = str(root)
    try:
        return install_sample_pack(Layout(root))
    finally:
        if saved is None:
            os.environ.pop("LIFEBOAT_HOME", None)
        else:
            os.environ["LIFEBOAT_HOME"] = saved


@pytest.fixture(autouse=True)
def lifeboat_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "lifeboat-home"
    monkeypatch.setenv("LIFEBOAT_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def hub_on_test_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hubs started by tests serve from a temporary folder on an unencrypted disk; the refusal
    itself is tested in tests/security/test_hub_disk.py."""
    from sync.hub.disk import ALLOW_ENV

    monkeypatch.setenv(ALLOW_ENV, "1")


@pytest.fixture(autouse=True)
def light_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with small parameters in-process: tests log in hundreds of times.

    Slots record their own parameters, so this cannot weaken a real device; subprocess tests
    (CLI, kill -9) still run the production parameters.
    """
    from appliance.security import keyslots

    monkeypatch.setattr(keyslots, "KDF_PARAMS",
                        {"time_cost": 1, "memory_cost": 1024, "parallelism": 1})


@pytest.fixture(autouse=True)
def assistant_only_where_asked(request: pytest.FixtureRequest,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Signing in to the TUI starts a background model load; TUI tests not about the assistant
    switch it off through the real setting (``[assistant] enabled``) so two cores are not spent
    on it. TUI tests about the assistant are marked ``@pytest.mark.assistant``.
    """
    in_tui_tests = {"tui", "tui_shell", "tui_features"} & set(request.node.path.parts)
    if request.node.get_closest_marker("assistant") or not in_tui_tests:
        return
    import dataclasses

    from appliance import config

    real_load = config.load

    def load_without_assistant(path: Path) -> config.Config:
        cfg = real_load(path)
        return dataclasses.replace(
            cfg, assistant=dataclasses.replace(cfg.assistant, enabled=False))

    monkeypatch.setattr(config, "load", load_without_assistant)


@pytest.fixture
def device(lifeboat_home: Path) -> object:
    """A DEMO device (demo users and PINs) in this test's LIFEBOAT_HOME."""
    from appliance.device import enrol_demo
    from appliance.paths import layout

    return enrol_demo(layout())


@pytest.fixture
def paramedic(device: object) -> Iterator[object]:
    """The demo paramedic, signed in (signed out afterwards unless the test did)."""
    session = device.login("paramedic", "111111")  # type: ignore[attr-defined]
    yield session
    if session._data_key:
        session.close()
