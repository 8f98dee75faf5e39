"""Run one sync as a separate process: ``python -m tests.sync.device_sync_driver ROOT BATCH [URL]``.

Fault tests SIGKILL this process at random points. ``LIFEBOAT_SYNC_RETRY_S`` bounds how long a
connection problem is retried (the client's default when unset).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main() -> int:
    from appliance.device import Device
    from appliance.errors import LifeboatError
    from appliance.paths import Layout
    from sync.client import SyncClient

    root, batch = Path(sys.argv[1]), int(sys.argv[2])
    session = Device(Layout(root)).login("paramedic", "111111")
    try:
        http = None
        if len(sys.argv) > 3:
            import httpx

            http = httpx.Client(base_url=sys.argv[3], timeout=30.0)
        try:
            retry = os.environ.get("LIFEBOAT_SYNC_RETRY_S")
            client = SyncClient(session, batch_size=batch, http=http,
                                **({"retry_for_s": float(retry)} if retry else {}))
            report = client.sync_now()
        except LifeboatError as exc:
            print(json.dumps({"error": str(exc)}))
            return 2
        print(json.dumps(report.to_json()))
        return 0
    finally:
        session.close()


if __name__ == "__main__":
    raise SystemExit(main())
