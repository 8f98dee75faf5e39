"""The device side of sync loads no UI and no web server; the hub loads no UI."""

from __future__ import annotations

import subprocess
import sys

from bench.processes import REPO


def loaded_after(imports: str) -> set[str]:
    code = f"import sys; {imports}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    return {name.split(".")[0] for name in out.split()}


def test_device_side_sync_loads_neither_ui_nor_web_server() -> None:
    loaded = loaded_after("import sync.client, sync.usb, sync.updates, sync.outbox")
    assert not loaded & {"textual", "tui", "starlette", "uvicorn", "fastapi", "psycopg"}


def test_the_hub_loads_no_ui() -> None:
    loaded = loaded_after("import sync.hub.app, sync.hub.fhir, sync.hub.fleet")
    assert not loaded & {"textual", "tui"}
