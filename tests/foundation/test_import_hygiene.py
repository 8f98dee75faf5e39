"""The domain runs without the UI: importing any of its modules never loads textual, the web
layer, the TUI, sync or heavy libraries (those load lazily, off the start-up path).

This imports every module, subpackages included, in a fresh interpreter. Imports inside
functions are checked statically by the import-linter contracts in ``pyproject.toml``
(``lint-imports``, run by ``make test``); the last test here keeps those contracts complete.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("chromadb", "llama_cpp", "torch")
UI_AND_WEB = ("textual", "starlette", "uvicorn", "tui")
FORBIDDEN = {
    "appliance": (*UI_AND_WEB, *HEAVY, "sync"),
    "models": (*UI_AND_WEB, *HEAVY, "sync"),
    "sync": (*UI_AND_WEB, *HEAVY),
}
WEB_SHELL = {"sync.hub.app", "sync.hub.distribution"}  # the hub's web app is a shell


def modules(package: str) -> list[str]:
    """Every module of ``package``, found on disk (subpackages included, nothing imported)."""
    names = []
    for path in sorted((REPO / package).rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_modules_are_found_in_subpackages_too() -> None:
    found = modules("appliance")
    assert {"appliance.records.encounters", "appliance.health.readings",
            "appliance.store.database"} <= set(found)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_headless_packages_do_not_load_the_ui_or_heavy_libraries(package: str) -> None:
    names = [m for m in modules(package) if m not in WEB_SHELL]
    forbidden = FORBIDDEN[package]
    code = (f"import importlib, sys\nfor m in {names!r}: importlib.import_module(m)\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({forbidden!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", f"{package} loaded {out.stdout.strip()}"


def test_the_cli_parser_loads_no_textual() -> None:
    code = ("import sys\nfrom tui.cli import build_parser\nbuild_parser()\n"
            "print('textual' in sys.modules, 'chromadb' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, timeout=60)
    assert out.stdout.strip() == "False False", out.stderr


def test_every_domain_module_sits_in_one_declared_layer() -> None:
    """A new ``appliance`` module must be placed in the layers contract, or it escapes it."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    layers = next(c for c in config["tool"]["importlinter"]["contracts"]
                  if c["type"] == "layers")["layers"]
    declared = [name.strip() for layer in layers for name in layer.replace("|", ":").split(":")]
    children = {f"appliance.{p.stem if p.is_file() else p.name}"
                for p in (REPO / "appliance").iterdir()
                if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()}
    in_appliance = [n for n in declared if n.startswith("appliance.")]
    assert sorted(in_appliance) == sorted(children)


def test_no_package_is_excused_from_the_acyclic_contract() -> None:
    """Cycles are refused between the modules of every package, the TUI included, with no
    import let off: breaking a cycle means moving code, not excusing an import."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    acyclic = next(c for c in config["importlinter"]["contracts"]
                   if c["type"] == "acyclic_siblings")
    assert sorted(acyclic["ancestors"]) == sorted(config["importlinter"]["root_packages"])
    # no depth limit either: the default drills into every subpackage (tui.screens.*)
    assert not {"ignore_imports", "skip_descendants", "depth"} & set(acyclic)


START_UP_ONLY = ("argon2", "cryptography", "numpy", "chromadb", "llama_cpp", "sqlite_utils",
                 "httpx")


def test_the_app_reaches_its_sign_in_screen_without_keys_models_or_network(
        tmp_path: Path) -> None:
    """Cold start: key slots are opened, keys used, models loaded and the hub called only after
    sign-in, so their libraries stay out of the time to the sign-in screen."""
    import os

    from appliance.device import enrol_demo
    from appliance.paths import Layout

    enrol_demo(Layout(tmp_path / "home"))
    code = ("import sys\nfrom appliance.device import Device\nfrom tui.cli import build_parser\n"
            "from tui.app import LifeboatApp\nbuild_parser()\n"
            "class Ready(LifeboatApp):\n    def on_ready(self) -> None:\n        self.exit(0)\n"
            "Ready(Device()).run(headless=True, size=(80, 24))\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({START_UP_ONLY!r})))")
    env = {**os.environ, "LIFEBOAT_HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout
