import tomllib
from pathlib import Path

import pytest

from appliance import config
from appliance.errors import ConfigError


def test_missing_file_means_documented_defaults(tmp_path: Path) -> None:
    cfg = config.load(tmp_path / "none.toml")
    assert cfg.security.idle_lock_minutes == 5.0
    assert cfg.sync.hub_url == ""


def test_default_file_documents_and_round_trips_every_setting() -> None:
    text = config.default_toml()
    assert "# Lock the screen after this long without a key press." in text
    assert config.from_dict(tomllib.loads(text)) == config.Config()


def test_values_override_defaults(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[security]\nidle_lock_minutes = 2\n[ui]\narea = 'majors'\n")
    cfg = config.load(path)
    assert cfg.security.idle_lock_minutes == 2.0
    assert cfg.ui.area == "majors"


@pytest.mark.parametrize("text, words", [
    ("[security]\nidle_lock_minute = 2\n", "unknown setting 'idle_lock_minute'"),
    ("[security]\nidle_lock_minutes = 'soon'\n", "must be float"),
    ("colour = 1\n", "unknown setting 'colour'"),
    ("[security\n", "not valid TOML"),
])
def test_bad_config_is_refused_with_the_reason(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=words):
        config.load(path)
