"""The text readers sit under both triage and the assistant, so they import neither."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import appliance.text

REPO = Path(__file__).resolve().parents[2]


def test_the_text_package_imports_no_assistant_triage_or_model_code() -> None:
    modules = [f"appliance.text.{m.name}" for m in pkgutil.iter_modules(appliance.text.__path__)]
    code = (f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
            "print(sorted(m for m in sys.modules if m.startswith(('appliance.assistant', "
            "'appliance.triage', 'models', 'textual'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert len(modules) >= 6
    assert out.stdout.strip() == "[]"
