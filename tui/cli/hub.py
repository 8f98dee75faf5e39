"""The hospital hub: init, serve, device enrolment, USB import, fleet, conflicts, FHIR export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.cli import add_command, emit, group_help


def register(sub: Any) -> None:
    group = add_command(sub, "hub", help="run and administer the hospital sync hub",
                        example="lifeboat hub serve --port 8765", handler=group_help)
    s = group.add_subparsers(dest="hub_command", metavar="ACTION")
    p = _cmd(s, "init", "create a hub directory, keys and database",
             "lifeboat hub init --db postgresql://hub@db.trust.nhs.uk/lifeboat", _init)
    p.add_argument("--db", default="", help="postgresql://… (default: SQLite in the hub dir)")
    p.add_argument("--pg-schema", default="lifeboat_hub", help="PostgreSQL schema to use")
    p = _cmd(s, "serve", "serve devices over HTTP(S)",
             "lifeboat hub serve --host 0.0.0.0 --port 8765 --cert hub.crt --key hub.key",
             _serve)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--db", default=None, help="override the database in hub.json")
    p.add_argument("--cert", default=None, help="TLS certificate (PEM)")
    p.add_argument("--key", default=None, help="TLS private key (PEM)")
    p.add_argument("--allow-unencrypted-disk", action="store_true",
                   help="serve although the hub directory is not on an encrypted volume "
                        "(development only: records and keys would be stored in clear)")
    p = _cmd(s, "enrol-device", "register a device and print its one-time enrolment code",
             "lifeboat hub enrol-device 01J9Z… --label 'RRV 12' --public-key rrv12.pem",
             _enrol_device)
    p.add_argument("device_id")
    p.add_argument("--label", default="")
    p.add_argument("--public-key", type=Path, default=None,
                   help="the device's Ed25519 public key (PEM) to pin")
    p = _cmd(s, "revoke-device", "stop a device from syncing", "lifeboat hub revoke-device "
             "01J9Z…", _revoke)
    p.add_argument("device_id")
    p = _cmd(s, "import", "ingest a USB bundle (with a progress bar) and write a signed "
             "receipt file; importing it again changes nothing",
             "lifeboat hub import /media/usb/amb12.lbundle --receipt /media/usb/amb12.receipt",
             _import)
    p.add_argument("file", type=Path)
    p.add_argument("--receipt", type=Path, default=None,
                   help="where to write the receipt (default: FILE.receipt)")
    p = _cmd(s, "fleet", "the fleet view: devices, last contact, backlog, quarantine, battery "
             "(opens a screen in a terminal; --text or --json for scripts)",
             "lifeboat hub fleet --json", _fleet)
    p.add_argument("--text", action="store_true", help="print a plain table instead of the screen")
    p = _cmd(s, "conflicts", "list (or resolve) demographic conflicts and patient matches",
             "lifeboat hub conflicts --resolve 01J9Z… --choose b --by 'Dr Patel'", _conflicts)
    p.add_argument("--resolve", default=None, help="conflict id to resolve")
    p.add_argument("--choose", choices=["a", "b"], default=None)
    p.add_argument("--link", nargs=2, metavar=("PATIENT_A", "PATIENT_B"),
                   help="link two patient records (kept separate, conflicts queued)")
    p.add_argument("--by", default="", help="the clinician deciding")
    p.add_argument("--history", action="store_true",
                   help="also every link decision (linked, unlinked), oldest first")
    p = _cmd(s, "export-fhir", "export records as FHIR R4 transaction Bundles",
             "lifeboat hub export-fhir --out /srv/fhir-out  (or --url https://fhir…/R4)",
             _export_fhir)
    p.add_argument("--out", type=Path, default=None, help="directory for Bundle files")
    p.add_argument("--url", default=None, help="FHIR server base URL to POST to (https)")
    p.add_argument("--allow-unencrypted-disk", action="store_true",
                   help="write --out files although the folder is not on an encrypted volume "
                        "(development only: the files are patient records in clear)")
    p = _cmd(s, "publish", "offer a signed protocol pack or model file to devices",
             "lifeboat hub publish pack jrcalc 2024.2 jrcalc-2024.2.tar.gz  (a pack goes "
             "under its pack_id and version)", _publish)
    p.add_argument("kind", choices=["pack", "model"])
    p.add_argument("name")
    p.add_argument("version")
    p.add_argument("file", type=Path)


def _cmd(s: Any, name: str, text: str, example: str, handler: Any) -> argparse.ArgumentParser:
    p = add_command(s, name, help=text, example=example, handler=handler)
    p.add_argument("--dir", type=Path, default=None,
                   help="hub directory (default: LIFEBOAT_HOME/hub)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    return p


def _dir(args: argparse.Namespace) -> Path:
    from appliance.paths import layout

    return Path(args.dir) if args.dir else layout().root / "hub"


def _open(args: argparse.Namespace) -> Any:
    from sync.hub.service import Hub

    return Hub(_dir(args))


def _init(args: argparse.Namespace) -> int:
    import sys
    from urllib.parse import urlsplit

    from sync.hub.service import Hub

    hub = Hub.init(_dir(args), db=args.db, pg_schema=args.pg_schema)
    if args.db and urlsplit(args.db).password:
        print("Warning: the database password is now in hub.json, which is copied to every hub "
              "machine. Remove it from the address and use a libpq passfile (PGPASSFILE) or "
              "PGPASSWORD instead (docs/hub-deployment.md).", file=sys.stderr)
    data = {"dir": str(hub.dir), "hub_id": hub.hub_id, "db": args.db or "sqlite"}
    hub.close()
    emit(data, args.json, lambda d: f"Hub {d['hub_id']} created in {d['dir']} ({d['db']}).")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from sync.hub.app import serve
    from sync.hub.disk import require_encrypted

    require_encrypted(_dir(args), allow=args.allow_unencrypted_disk)  # refuse before "serving"
    print(f"Hub serving on {'https' if args.cert else 'http'}://{args.host}:{args.port}")
    serve(_dir(args), host=args.host, port=args.port, db=args.db, certfile=args.cert,
          keyfile=args.key, allow_unencrypted=args.allow_unencrypted_disk)
    return 0


def _enrol_device(args: argparse.Namespace) -> int:
    hub = _open(args)
    try:
        key = args.public_key.read_text(encoding="utf-8") if args.public_key else None
        code = hub.enrol_device(args.device_id, args.label, key)
    finally:
        hub.close()
    emit({"device_id": args.device_id, "code": code}, args.json,
         lambda d: f"Enrolment code for {d['device_id']}: {d['code']}\n"
                   "It works once. On the device: lifeboat sync enrol --hub URL --code CODE")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    hub = _open(args)
    try:
        hub.revoke_device(args.device_id)
    finally:
        hub.close()
    emit({"revoked": args.device_id}, args.json, lambda d: f"Revoked {d['revoked']}.")
    return 0


def _import(args: argparse.Namespace) -> int:
    from appliance.errors import SyncError
    from sync import usb

    try:
        if args.file.stat().st_size > usb.MAX_BUNDLE_BYTES:
            raise SyncError(f"{args.file} is too large to be a Lifeboat bundle.")
        data = args.file.read_bytes()
    except OSError as exc:
        raise SyncError(f"Cannot read {args.file}: {exc.strerror}.") from exc
    from tui.cli.sync import _progress  # the same bar as `sync now` (stderr, terminals only)

    hub = _open(args)
    try:
        signed = hub.import_bundle(data, progress=None if args.json else _progress)
    finally:
        hub.close()
    out = args.receipt or args.file.with_suffix(".receipt")
    usb.write_receipt(out, signed)
    r = signed["receipt"]
    data_out = {"receipt": str(out), "new": r["new"], "duplicates": r["duplicates"],
                "quarantined": r["quarantined"]}
    emit(data_out, args.json, lambda d: f"Imported: {d['new']} new, {d['duplicates']} already "
                                        f"here, {len(d['quarantined'])} quarantined. "
                                        f"Receipt written to {d['receipt']}.")
    return 0


def _fleet(args: argparse.Namespace) -> int:
    from sync.hub.fleet import fleet

    if not args.json and not args.text and sys.stdout.isatty():
        from tui.screens.fleet import run_fleet_app

        _open(args).close()  # a clear error now if the hub directory is not set up
        return run_fleet_app(_dir(args))
    hub = _open(args)
    try:
        data = fleet(hub.store)
    finally:
        hub.close()

    def text(d: dict[str, Any]) -> str:
        lines = [f"{d['events']} events, {d['open_conflicts']} open conflicts, "
                 f"{d['quarantined']} quarantined"]
        for x in d["devices"]:
            lines.append(f"{x['label']:<20} {x['state']:<10} seen {x['last_seen'] or '-'} "
                         f"pending {x['pending']} "
                         f"{'VERIFIED DRAINED' if x['verified_drained'] else ''} "
                         f"battery {_pct(x['battery_percent'])}")
        return "\n".join(lines)

    emit(data, args.json, text)
    return 0


def _pct(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}%"


def _conflicts(args: argparse.Namespace) -> int:
    from sync.protocol import iso, utc_now

    hub = _open(args)
    try:
        if args.resolve:
            if not args.choose or not args.by:
                from appliance.errors import ValidationError

                raise ValidationError("--resolve needs --choose a|b and --by NAME.")
            hub.store.resolve_conflict(args.resolve, args.choose, args.by, iso(utc_now()))
        if args.link:
            hub.store.link_patients(args.link[0], args.link[1], args.by or "hub",
                                    iso(utc_now()))
        data = {"conflicts": hub.store.conflicts("open"),
                "match_candidates": hub.store.matches("candidate"),
                "unlinked": hub.store.matches("unlinked")}
        if args.history:
            data["match_history"] = hub.store.match_history()
    finally:
        hub.close()
    emit(data, args.json, _conflicts_text)
    return 0


def _conflicts_text(d: dict[str, Any]) -> str:
    lines = [f"{c['id']} {c['key']}.{c['field']}: a={c['value_a']!r} ({c['device_a']}) "
             f"b={c['value_b']!r} ({c['device_b']})" for c in d["conflicts"]]
    lines += [f"match? {m['patient_a']} ~ {m['patient_b']}: {m['reason']}"
              for m in d["match_candidates"]]
    # A link taken back (on a device or here) stays listed: the pair was once thought one person.
    lines += [f"unlinked {m['patient_a']} / {m['patient_b']} by {m['decided_by'] or '?'} at "
              f"{m['decided_at'] or '?'}" for m in d["unlinked"]]
    if not lines:
        lines = ["No open conflicts, match candidates or unlinked pairs."]
    if "match_history" in d:
        lines.append("Link history (oldest first):")
        lines += [f"  {h['decided_at']} {h['status']:<8} {h['patient_a']} ~ {h['patient_b']} "
                  f"by {h['decided_by'] or '?'}"
                  + (f" ({h['source']})" if h["source"] else "") + f": {h['reason'] or ''}"
                  for h in d["match_history"]] or ["  none"]
    return "\n".join(lines)


def _export_fhir(args: argparse.Namespace) -> int:
    from appliance.errors import ValidationError
    from sync.hub import fhir

    if bool(args.out) == bool(args.url):
        raise ValidationError("Give exactly one of --out DIR or --url FHIR_BASE_URL.")
    if args.out:  # the Bundles are patient records in plain JSON
        from sync.hub.disk import require_encrypted

        warning = require_encrypted(args.out, allow=args.allow_unencrypted_disk)
        if warning:
            print(warning, file=sys.stderr)
    else:
        from sync.protocol import require_secure_url

        require_secure_url(args.url, "the FHIR server")
    hub = _open(args)
    try:
        n = fhir.export_to_directory(hub.store, args.out) if args.out \
            else fhir.post_to_server(hub.store, args.url)
    finally:
        hub.close()
    emit({"bundles": n, "to": str(args.out or args.url)}, args.json,
         lambda d: f"Exported {d['bundles']} encounter Bundle(s) to {d['to']}.")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from sync.hub.distribution import publish

    hub = _open(args)
    try:
        signed = publish(hub, args.kind, args.name, args.version, args.file)
    finally:
        hub.close()
    emit(signed["manifest"], args.json,
         lambda m: f"Published {m['kind']} {m['name']} {m['version']} ({m['size']} bytes).")
    return 0
