"""The hub's HTTP shell (Starlette on uvicorn): thin handlers over :class:`sync.hub.service.Hub`.

Bodies are read with a hard size cap before anything parses them; every refusal is JSON
``{"error": ..., "hint": ...}`` with a status that says why (401 bad signature or clock, 403
unknown or revoked device, 409 replay, 413 too large, 400 malformed). Database work runs in the
thread pool so the event loop keeps answering health checks during a large sync.

``/v1/health`` says the process is up; ``/v1/ready`` (what a load balancer should check) also
says its database answers and still belongs to this hub (same id and keys).

``python -m sync.hub.app --dir DIR --port PORT`` serves a hub (what ``lifeboat hub serve`` runs).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from appliance.errors import LifeboatError, SyncError
from sync import protocol as p
from sync.hub.service import Hub, Refused

ENROL_MAX_BYTES = 64 * 1024
log = logging.getLogger("lifeboat.hub")


async def read_capped(request: Request, cap: int) -> bytes:
    """The body, refusing anything over ``cap`` bytes without buffering it all."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise Refused("Malformed Content-Length.", 400)
        if int(declared) > cap:
            raise Refused(f"The request is larger than {cap} bytes.", 413,
                          hint="Lower [sync] batch_size on the device.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise Refused(f"The request is larger than {cap} bytes.", 413,
                          hint="Lower [sync] batch_size on the device.")
        chunks.append(chunk)
    return b"".join(chunks)


def _error(exc: LifeboatError) -> JSONResponse:
    status = exc.status if isinstance(exc, Refused) else 503
    if status >= 500:
        log.warning("hub error: %s", exc)
    return JSONResponse({"error": exc.message, "hint": exc.hint}, status_code=status)


def create_app(hub: Hub, *, max_body: int = p.MAX_BODY_BYTES) -> Starlette:
    """The ASGI app for ``hub``."""

    async def health(request: Request) -> Response:
        """Liveness: the process answers (no database work, so it stays cheap)."""
        return JSONResponse({"ok": True, "hub_id": hub.hub_id})

    # Readiness gets its own thread allowance: behind a busy sync queue it would time out and
    # the balancer would take a healthy, merely busy process out of service.
    ready_limiter = anyio.CapacityLimiter(2)

    async def ready(request: Request) -> Response:
        """Readiness, for the load balancer: the database answers and names this hub."""
        ok, why = await anyio.to_thread.run_sync(hub.readiness, limiter=ready_limiter)
        if not ok:
            log.warning("not ready: %s", why)
        return JSONResponse({"ready": ok, "hub_id": hub.hub_id, "reason": why},
                            status_code=200 if ok else 503)

    async def enrol(request: Request) -> Response:
        try:
            body = await read_capped(request, ENROL_MAX_BYTES)
            obj = p.parse_json_object(body, "enrolment request")
            return JSONResponse(await run_in_threadpool(hub.complete_enrolment, obj))
        except SyncError as exc:
            return _error(exc if isinstance(exc, Refused) else Refused(exc.message, 400))
        except LifeboatError as exc:
            return _error(exc)

    async def sync(request: Request) -> Response:
        try:
            # An unknown device or a stale clock is refused before 8 MiB are read.
            await run_in_threadpool(hub.precheck, request.headers)
            body = await read_capped(request, max_body)
            auth = await run_in_threadpool(hub.authenticate, request.headers, "POST",
                                           request.url.path, body)
            receipt = await run_in_threadpool(hub.handle_sync, auth, body)
            return JSONResponse(receipt)
        except LifeboatError as exc:
            return _error(exc)

    async def rotate_key(request: Request) -> Response:
        try:
            await run_in_threadpool(hub.precheck, request.headers)
            body = await read_capped(request, ENROL_MAX_BYTES)
            auth = await run_in_threadpool(hub.authenticate, request.headers, "POST",
                                           request.url.path, body)
            return JSONResponse(await run_in_threadpool(hub.rotate_device_key, auth, body))
        except LifeboatError as exc:
            return _error(exc)

    from sync.key_rollover import ROLLOVER_PATH

    routes = [Route("/v1/health", health), Route("/v1/ready", ready),
              Route("/v1/enrol", enrol, methods=["POST"]),
              Route("/v1/sync", sync, methods=["POST"]),
              Route(ROLLOVER_PATH, rotate_key, methods=["POST"])]
    from sync.hub.distribution import routes as dist_routes

    routes += dist_routes(hub)
    app = Starlette(routes=routes)
    app.state.hub = hub
    return app


def plain_http_warning(host: str, certfile: str | None) -> str | None:
    """What to tell IT when the hub would answer in clear on a network address."""
    if certfile or p.is_loopback_host(host):
        return None
    return (f"WARNING: serving WITHOUT TLS on {host}: records, receipts and update downloads "
            "would cross the network in clear, and devices refuse plain http:// hubs other "
            "than on their own machine. Give --cert and --key (or serve on 127.0.0.1 behind a "
            "TLS proxy).")


def serve(directory: Path, *, host: str = "127.0.0.1", port: int = 8765, db: str | None = None,
          certfile: str | None = None, keyfile: str | None = None,
          allow_unencrypted: bool = False) -> None:
    """Run the hub until interrupted (TLS when a certificate and key are given).

    Refuses (ConfigError) when ``directory`` is not on an encrypted volume, unless
    ``allow_unencrypted`` (development) — see :mod:`sync.hub.disk`.
    """
    import uvicorn

    from sync.hub.disk import require_encrypted
    from sync.hub.distribution import adopt_folders

    for warning in (require_encrypted(directory, allow=allow_unencrypted),
                    plain_http_warning(host, certfile)):
        if warning:
            log.warning("%s", warning)
            print(warning, file=sys.stderr, flush=True)
    hub = Hub(directory, db=db)
    try:
        if adopted := adopt_folders(hub):
            log.warning("moved %d published item(s) from %s into the hub database", adopted,
                        directory / "dist")
        uvicorn.run(create_app(hub), host=host, port=port, log_level="warning",
                    ssl_certfile=certfile, ssl_keyfile=keyfile, access_log=False)
    finally:
        hub.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sync.hub.app", description=__doc__)
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default=None)
    parser.add_argument("--cert", default=None, help="TLS certificate (PEM)")
    parser.add_argument("--key", default=None, help="TLS private key (PEM)")
    parser.add_argument("--allow-unencrypted-disk", action="store_true",
                        help="development only: serve from an unencrypted volume")
    args = parser.parse_args(argv)
    try:
        serve(args.dir, host=args.host, port=args.port, db=args.db, certfile=args.cert,
              keyfile=args.key, allow_unencrypted=args.allow_unencrypted_disk)
    except LifeboatError as exc:  # keys that do not match the database, an unencrypted disk
        print(f"lifeboat hub: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
