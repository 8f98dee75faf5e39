"""Device side of distribution: fetch a signed pack or model file, resumable, verified.

The manifest's signature is checked against the hub key pinned at enrolment; the file is
downloaded into ``NAME.part`` with HTTP Range requests one chunk at a time (an interrupted
download continues from the bytes already on disk) and only after its size and SHA-256 match the
manifest is it renamed to its final name. Activating it is :mod:`sync.apply_updates`' job, through
the pack and model installers, which verify it again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature

from appliance.errors import SyncError
from appliance.fsutil import sha256_file
from sync import protocol as p
from sync.hublink import HubLink

CHUNK = 1 << 20


def verify_manifest(link: HubLink, signed: Any) -> dict[str, Any]:
    if not isinstance(signed, dict) or not isinstance(signed.get("manifest"), dict):
        raise SyncError("The update manifest is malformed.")
    manifest: dict[str, Any] = signed["manifest"]
    try:
        link.verify_key().verify(p.unb64(str(signed.get("signature", "")), "manifest signature"),
                                 p.canonical(manifest))
    except InvalidSignature:
        raise SyncError("The update manifest is not signed by this device's hub; "
                        "nothing was installed.") from None
    name = str(manifest.get("filename", ""))
    if not name or "/" in name or name.startswith("."):
        raise SyncError("The update manifest names an unsafe file.")
    return manifest


def manifest_of(http: Any, link: HubLink, kind: str, name: str, version: str) -> dict[str, Any]:
    """The verified manifest of one published item."""
    response = _get(http, f"/v1/dist/{kind}/{name}/{version}/manifest")
    if response.status_code != 200:
        raise SyncError(f"The hub has no {kind} {name} {version}.",
                        hint="See what it offers with: lifeboat sync updates")
    manifest = verify_manifest(link, response.json())
    if (manifest.get("kind"), manifest.get("name"), manifest.get("version")) != \
            (kind, name, version):
        raise SyncError(f"The hub answered with the manifest of another item than {kind} "
                        f"{name} {version}; nothing was downloaded.")
    return manifest


def fetch(http: Any, link: HubLink, kind: str, name: str, version: str, dest: Path, *,
          chunk: int = CHUNK, progress: Callable[[int, int], None] | None = None,
          max_chunks: int | None = None) -> Path:
    """Download and verify one published file into ``dest``; returns its final path.

    ``max_chunks`` stops early (tests and bandwidth-limited links); call again to resume.
    """
    return download(http, manifest_of(http, link, kind, name, version), dest, chunk=chunk,
                    progress=progress, max_chunks=max_chunks)


def download(http: Any, manifest: dict[str, Any], dest: Path, *, chunk: int = CHUNK,
             progress: Callable[[int, int], None] | None = None,
             max_chunks: int | None = None) -> Path:
    """Download the file a verified ``manifest`` describes (see :func:`fetch`)."""
    kind, name, version = manifest["kind"], manifest["name"], manifest["version"]
    base = f"/v1/dist/{kind}/{name}/{version}"
    dest.mkdir(parents=True, exist_ok=True)
    final: Path = dest / manifest["filename"]
    part: Path = dest / (manifest["filename"] + ".part")
    size = int(manifest["size"])
    # A file verified earlier (e.g. refused by the trust store, then retried) is not fetched again.
    if (final.is_file() and final.stat().st_size == size
            and sha256_file(final) == manifest["sha256"]):
        if progress:
            progress(size, size)
        return final
    done = part.stat().st_size if part.exists() else 0
    if done > size:
        part.unlink()
        done = 0
    fetched = 0
    with part.open("ab") as fh:
        while done < size:
            if max_chunks is not None and fetched >= max_chunks:
                return part
            end = min(size, done + chunk) - 1
            r = _get(http, base + "/file", headers={"range": f"bytes={done}-{end}"})
            if r.status_code != 206 or len(r.content) != end - done + 1:
                raise SyncError(f"The download of {name} was interrupted; it resumes next time.")
            fh.write(r.content)
            fh.flush()
            os.fsync(fh.fileno())
            done += len(r.content)
            fetched += 1
            if progress:
                progress(done, size)
    if sha256_file(part) != manifest["sha256"]:
        part.unlink()
        raise SyncError(f"The downloaded {name} does not match its signed hash; it was "
                        "deleted and nothing was installed.", hint="Sync again to re-download.")
    os.replace(part, final)
    return final


def _get(http: Any, url: str, **kwargs: Any) -> Any:
    import httpx

    try:
        return http.get(url, **kwargs)
    except httpx.HTTPError as exc:
        raise SyncError(f"Lost contact with the hub while fetching updates: "
                        f"{type(exc).__name__}.",
                        hint="Nothing was installed; a download resumes where it stopped.") \
            from exc


def catalog(http: Any, link: HubLink) -> list[dict[str, Any]]:
    """Every pack and model the hub offers, each manifest verified against the pinned key."""
    response = _get(http, "/v1/dist")
    if response.status_code != 200:
        raise SyncError(f"The hub did not list its updates (HTTP {response.status_code}).")
    items = response.json().get("items", [])
    return [verify_manifest(link, item) for item in items]
