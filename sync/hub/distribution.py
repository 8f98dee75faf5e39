"""Signed protocol packs and model files, served to devices in resumable chunks.

IT publishes a file (``lifeboat hub publish pack NAME VERSION FILE``); the hub copies it under
``dist/KIND/NAME/VERSION/`` with a manifest (size, SHA-256) signed by the hub's Ed25519 key.
Devices fetch the manifest, verify it against the key pinned at enrolment, download the file with
HTTP Range requests (so an interrupted download resumes where it stopped) and verify size and
hash before the file is handed over for activation (see :mod:`sync.updates`).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance.errors import ValidationError
from appliance.fsutil import atomic_write_json
from sync import protocol as p

if TYPE_CHECKING:
    from starlette.routing import Route

    from sync.hub.service import Hub

KINDS = ("pack", "model")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def _check(kind: str, name: str, version: str) -> None:
    if kind not in KINDS:
        raise ValidationError(f"Unknown kind {kind!r}: use pack or model.", field="kind")
    for label, value in (("name", name), ("version", version)):
        if not _NAME_RE.match(value):
            raise ValidationError(f"Invalid {label} {value!r} (letters, digits, . _ - only).",
                                  field=label)


def folder(hub_dir: Path, kind: str, name: str, version: str) -> Path:
    _check(kind, name, version)
    return hub_dir / "dist" / kind / name / version


def publish(hub: Hub, kind: str, name: str, version: str, source: Path) -> dict[str, Any]:
    """Copy ``source`` into the hub's distribution area with a signed manifest."""
    target = folder(hub.dir, kind, name, version)
    if not source.is_file():
        raise ValidationError(f"{source} is not a file.")
    if _NAME_RE.match(source.name) is None:
        raise ValidationError(f"Rename {source.name!r} to letters, digits, . _ - only.")
    target.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with source.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    shutil.copyfile(source, target / source.name)
    manifest = {"kind": kind, "name": name, "version": version, "filename": source.name,
                "size": source.stat().st_size, "sha256": digest.hexdigest(),
                "hub_id": hub.hub_id, "published_at": p.iso(p.utc_now())}
    signed = {"manifest": manifest,
              "signature": p.b64(hub.signing_key.sign(p.canonical(manifest)))}
    atomic_write_json(target / "manifest.json", signed, mode=0o644)
    return signed


def catalog(hub_dir: Path) -> list[dict[str, Any]]:
    """Every published manifest (signed), newest last."""
    out = []
    for path in sorted((hub_dir / "dist").glob("*/*/*/manifest.json")):
        out.append(json.loads(path.read_text(encoding="utf-8")))
    return sorted(out, key=lambda m: m["manifest"]["published_at"])


def routes(hub: Hub) -> list[Route]:
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import FileResponse, JSONResponse, Response
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

    def locate(request: Request) -> Path | None:
        params = request.path_params
        try:
            path = folder(hub.dir, params["kind"], params["name"], params["version"])
        except ValidationError:
            return None
        return path if (path / "manifest.json").exists() else None

    async def list_all(request: Request) -> Response:
        if (refusal := await refused(request)) is not None:
            return refusal
        return JSONResponse({"items": catalog(hub.dir)})

    async def manifest(request: Request) -> Response:
        if (refusal := await refused(request)) is not None:
            return refusal
        path = locate(request)
        if path is None:
            return JSONResponse({"error": "No such item."}, status_code=404)
        return JSONResponse(json.loads((path / "manifest.json").read_text(encoding="utf-8")))

    async def file(request: Request) -> Response:
        if (refusal := await refused(request)) is not None:
            return refusal
        path = locate(request)
        if path is None:
            return JSONResponse({"error": "No such item."}, status_code=404)
        signed = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        return FileResponse(path / signed["manifest"]["filename"],
                            media_type="application/octet-stream")

    base = "/v1/dist/{kind}/{name}/{version}"
    return [Route("/v1/dist", list_all), Route(base + "/manifest", manifest),
            Route(base + "/file", file)]
