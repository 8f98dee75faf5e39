"""A DEMO device with the real sample pack installed, shared cheaply between tests.

The pack is installed once per session into a template home (lexical index only, so the tests
do not depend on the embedding model) and copied, timestamps kept, into each test's home.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.device import Device, enrol_demo
from appliance.paths import Layout, layout


@pytest.fixture(scope="session")
def sample_pack_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from appliance.protocols.lifecycle import install
    from appliance.protocols.trust import trust_sample_key

    root = tmp_path_factory.mktemp("pack-template")
    saved = os.environ.get("LIFEBOAT_HOME")
    os.environ["LIFEBOAT_HOME"] = str(root)
    try:
        lay = Layout(root)
        lay.ensure()
        trust_sample_key(lay)
        # The semantic index and the answer lines are built now, as a real install does, so a
        # snapshot never depends on how far a background build has got.
        pack = install(lay, _signed_sample_pack(tmp_path_factory))
        from appliance.protocols.lines import LineIndex

        lines = LineIndex(pack.directory)
        lines.embed_all()
        lines.close()
    finally:
        if saved is None:
            os.environ.pop("LIFEBOAT_HOME", None)
        else:
            os.environ["LIFEBOAT_HOME"] = saved
    return root


def _signed_sample_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's sample pack, signed with the sample key here if the repo copy is unbuilt."""
    from appliance.protocols.build import build_pack
    from appliance.protocols.lifecycle import SAMPLE_PACK

    if (SAMPLE_PACK / "manifest.json").is_file():
        return SAMPLE_PACK
    src = tmp_path_factory.mktemp("sample-pack") / "pack"
    shutil.copytree(SAMPLE_PACK, src)
    if not (src / "pack.toml").is_file():
        (src / "pack.toml").write_text(
            'pack_id = "lifeboat-sample"\nversion = "0.1"\npublisher = "Lifeboat project"\n'
            'licence = "CC-BY-4.0"\ntitle = "Lifeboat sample pack"\n'
            'content_as_of = "2026-11-01"\n', encoding="utf-8")
    key = SAMPLE_PACK.parent / "sample_keys" / "sample_publisher_DEMO_ONLY.pem"
    return build_pack(src, key, embed=False)


@pytest.fixture
def demo() -> Device:
    """A DEMO device with no protocol pack."""
    return enrol_demo(layout())


@pytest.fixture
def demo_with_pack(sample_pack_home: Path) -> Iterator[Device]:
    """A DEMO device whose active pack is the sample pack."""
    lay = layout()
    lay.ensure()
    shutil.copytree(sample_pack_home / "packs", lay.packs, dirs_exist_ok=True)
    shutil.copytree(sample_pack_home / "keys" / "trusted_publishers", lay.trust_store,
                    dirs_exist_ok=True)
    yield enrol_demo(lay)


async def wait_for(pilot, app, screen_name: str, tries: int = 600) -> None:  # noqa: ANN001
    """Wait until the named screen is on top and mounted, its widgets composed (workers
    post results asynchronously; a loaded machine can take longer than one pause)."""
    for _ in range(tries):
        await pilot.pause(0.05)
        if type(app.screen).__name__ == screen_name and app.screen.is_mounted:
            return
    raise AssertionError(f"still on {type(app.screen).__name__}, wanted {screen_name}")


async def wait_until(pilot, predicate, tries: int = 600) -> None:  # noqa: ANN001
    for _ in range(tries):
        await pilot.pause(0.05)
        if predicate():
            return
    raise AssertionError("condition not met in time")


async def sign_in(pilot, user_index: int, pin: str) -> None:  # noqa: ANN001
    """Users on the DEMO login list: 0 admin, 1 clinician, 2 paramedic."""
    for _ in range(user_index):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.press(*pin)
    await pilot.press("enter")
