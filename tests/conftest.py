"""Every test gets its own LIFEBOAT_HOME, so nothing touches a real data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_REFERENCE = REPO.parent / "shared" / "reference"


@pytest.fixture(autouse=True)
def lifeboat_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "lifeboat-home"
    monkeypatch.setenv("LIFEBOAT_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def light_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with small parameters in-process: tests log in hundreds of times.

    Slots record their own parameters, so this cannot weaken a real device; subprocess tests
    (CLI, kill -9) still run the production parameters.
    """
    from appliance.security import keyslots

    monkeypatch.setattr(keyslots, "KDF_PARAMS",
                        {"time_cost": 1, "memory_cost": 1024, "parallelism": 1})
