"""The domain runs without the UI: importing it never loads textual, the web layer or heavy
libraries (those load lazily, off the start-up path)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FORBIDDEN = ("textual", "starlette", "uvicorn", "chromadb", "llama_cpp", "torch")


def _modules(package: str) -> list[str]:
    root = REPO / package
    return [package] + [f"{package}.{m.name}" for m in pkgutil.walk_packages(
        [str(root)]) if not m.name.endswith("__main__")]


@pytest.mark.parametrize("package", ["appliance", "models", "sync"])
def test_headless_packages_do_not_load_the_ui_or_heavy_libraries(package: str) -> None:
    modules = [m for m in _modules(package) if ".hub" not in m]  # the hub IS the web shell
    code = (f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
            f"print(sorted(set(sys.modules) & set({FORBIDDEN!r})))")
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
