"""Signed protocol packs and model files, served to devices in resumable chunks.

IT publishes a file (``lifeboat hub publish pack NAME VERSION FILE``); the hub stores it in its
database (:mod:`sync.hub.distribution_store`) with a manifest (size, SHA-256) signed by the hub's
Ed25519 key, so every hub process behind a load balancer offers the same items and serves the
same bytes. Devices fetch the manifest, verify it against the key pinned at enrolment, download
the file with HTTP Range requests (an interrupted download resumes where it stopped, through any
process) and verify size and hash before the file is handed over for activation (see
:mod:`sync.updates`).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance.errors import LifeboatError, ValidationError
from appliance.fsutil import sha256_file
from sync import protocol as p
from sync.hub import distribution_store as dstore

if TYPE_CHECKING:
    from starlette.routing import Route

    from sync.hub.service import Hub

KINDS = ("pack", "model")
MAX_RANGE_BYTES = 8 << 20
"""Largest byte range answered in one response (devices ask for 1 MiB)."""
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
log = logging.getLogger("lifeboat.hub")


def check_names(kind: str, name: str, version: str) -> None:
    if kind not in KINDS:
        raise ValidationError(f"Unknown kind {kind!r}: use pack or model.", field="kind")
    for label, value in (("name", name), ("version", version)):
        if not _NAME_RE.match(value):
            raise ValidationError(f"Invalid {label} {value!r} (letters, digits, . _ - only).",
                                  field=label)


def publish(hub: Hub, kind: str, name: str, version: str, source: Path) -> dict[str, Any]:
    """Store ``source`` in the hub database with a signed manifest; returns the manifest."""
    check_names(kind, name, version)
    if not source.is_file():
        raise ValidationError(f"{source} is not a file.")
    if _NAME_RE.match(source.name) is None:
        raise ValidationError(f"Rename {source.name!r} to letters, digits, . _ - only.")
    manifest = {"kind": kind, "name": name, "version": version, "filename": source.name,
                "size": source.stat().st_size, "sha256": sha256_file(source),
                "hub_id": hub.hub_id, "published_at": p.iso(p.utc_now())}
    signed = {"manifest": manifest,
              "signature": p.b64(hub.signing_key.sign(p.canonical(manifest)))}
    return dstore.put(hub.store, signed, source)


def adopt_folders(hub: Hub) -> int:
    """Move items published by earlier versions into ``dist/`` on disk into the database (each
    checked against this hub's key and its hash first); returns how many were adopted."""
    adopted = 0
    for path in sorted((hub.dir / "dist").glob("*/*/*/manifest.json")):
        try:
            signed = json.loads(path.read_text(encoding="utf-8"))
            m = signed["manifest"]
            hub.signing_key.public_key().verify(p.unb64(signed["signature"], "signature"),
                                                p.canonical(m))
            check_names(m["kind"], m["name"], m["version"])
            source = path.parent / m["filename"]
            if dstore.find(hub.store, m["kind"], m["name"], m["version"]) is not None:
                continue
            if sha256_file(source) != m["sha256"]:
                raise ValidationError("its file does not match the manifest")
            dstore.put(hub.store, signed, source)
            adopted += 1
        except (LifeboatError, OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("not adopting %s: %s", path.parent, exc)
        except Exception as exc:  # noqa: BLE001 - a bad signature must not stop the hub
            log.warning("not adopting %s: %s", path.parent, type(exc).__name__)
    return adopted


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end) inclusive for a single ``bytes=`` range; None for the whole file.

    Raises ValueError for a range that cannot be satisfied.
    """
    if header is None:
        return None
    match = _RANGE_RE.match(header.strip())
    if match is None:
        return None  # several ranges, or another unit: the whole file, as RFC 9110 allows
    first, last = match.groups()
    if not first and not last:
        raise ValueError(header)
    if not first:
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(size - 1, int(last)) if last else size - 1
    if start > end or start >= size:
        raise ValueError(header)
    return start, min(end, start + MAX_RANGE_BYTES - 1)


def routes(hub: Hub) -> list[Route]:
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response, StreamingResponse
    from starlette.routing import Route

    from sync.hub.service import Refused

    async def refused(request: Request) -> Response | None:
        """Downloads are for enrolled devices only: the same signed headers as a sync."""
        try:
            await run_in_threadpool(hub.authenticate, request.headers, request.method,
                                    request.url.path, b"")
        except Refused as exc:
            return JSONResponse({"error": exc.message, "hint": exc.hint},
                                status_code=exc.status)
        return None

    async def locate(request: Request) -> dstore.Item | None:
        params = request.path_params
        try:
            check_names(params["kind"], params["name"], params["version"])
        except ValidationError:
            return None
        return await run_in_threadpool(dstore.find, hub.store, params["kind"], params["name"],
                                       params["version"])

    def missing() -> Response:
        return JSONResponse({"error": "No such item."}, status_code=404)

    def unavailable(exc: LifeboatError) -> Response:
        return JSONResponse({"error": exc.message, "hint": exc.hint}, status_code=503)

    async def list_all(request: Request) -> Response:
        if (refusal := await refused(request)) is not None:
            return refusal
        try:
            return JSONResponse({"items": await run_in_threadpool(dstore.catalog, hub.store)})
        except LifeboatError as exc:
            return unavailable(exc)

    async def manifest(request: Request) -> Response:
        if (refusal := await refused(request)) is not None:
            return refusal
        try:
            item = await locate(request)
        except LifeboatError as exc:
            return unavailable(exc)
        return missing() if item is None else JSONResponse(item.signed)

    async def file(request: Request) -> Response:
        if (refusal := await refused(request)) is not None:
            return refusal
        try:
            item = await locate(request)
            if item is None:
                return missing()
            headers = {"accept-ranges": "bytes", "etag": f'"{item.signed["manifest"]["sha256"]}"'}
            try:
                wanted = parse_range(request.headers.get("range"), item.size)
            except ValueError:
                return Response(status_code=416, headers={
                    **headers, "content-range": f"bytes */{item.size}"})
            if wanted is not None:
                data = await run_in_threadpool(dstore.read_range, hub.store, item, *wanted)
                return Response(data, status_code=206, media_type="application/octet-stream",
                                headers={**headers, "content-range":
                                         f"bytes {wanted[0]}-{wanted[1]}/{item.size}"})
        except LifeboatError as exc:
            return unavailable(exc)

        async def stream() -> AsyncIterator[bytes]:
            for start, end in dstore.chunks(hub.store, item):
                yield await run_in_threadpool(dstore.read_range, hub.store, item, start, end)

        return StreamingResponse(stream(), media_type="application/octet-stream",
                                 headers={**headers, "content-length": str(item.size)})

    base = "/v1/dist/{kind}/{name}/{version}"
    return [Route("/v1/dist", list_all), Route(base + "/manifest", manifest),
            Route(base + "/file", file)]
