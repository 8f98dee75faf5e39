"""Device ↔ hub sync: now, status, USB export and receipt import, enrolment with a hub."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from appliance.errors import NotEnrolledError
from tui.cli import add_command, emit, group_help
from tui.cli._auth import add_admin_args, add_user_args, admin_session, sign_in


def register(sub: Any) -> None:
    group = add_command(sub, "sync", help="send records to the hospital hub (network or USB)",
                        example="lifeboat sync now --as paramedic", handler=group_help)
    s = group.add_subparsers(dest="sync_command", metavar="ACTION")
    p = add_command(s, "now", help="send every unsynced record to the hub now",
                    example="lifeboat sync now --as paramedic --json", handler=_now)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_user_args(p)
    p = add_command(s, "status", help="hub, records waiting, quarantined records",
                    example="lifeboat sync status --as paramedic --json", handler=_status)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_user_args(p)
    p = add_command(s, "export", help="write unsynced records to an encrypted USB bundle",
                    example="lifeboat sync export /media/usb/amb12.lbundle --as paramedic",
                    handler=_export)
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_user_args(p)
    p = add_command(s, "import-receipt", help="mark records synced from a hub receipt file",
                    example="lifeboat sync import-receipt /media/usb/amb12.receipt "
                            "--as paramedic", handler=_import_receipt)
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_user_args(p)
    p = add_command(s, "updates", help="list the packs and models the hub offers; --apply "
                    "downloads, verifies and activates the newer ones",
                    example="lifeboat sync updates --apply --as itadmin\n"
                            "  lifeboat sync updates --fetch pack jrcalc 2024.2 --as itadmin\n"
                            "  lifeboat sync updates --fetch model smollm2 1.0 --no-activate "
                            "--as paramedic",
                    handler=_updates)
    how = p.add_mutually_exclusive_group()
    how.add_argument("--apply", action="store_true",
                     help="fetch, verify and activate every pack and model newer than this "
                          "device's: a pack is installed and made active (the previous one "
                          "kept for rollback), a model added and selected for the next load")
    how.add_argument("--fetch", nargs=3, metavar=("KIND", "NAME", "VERSION"),
                     help="fetch, verify and activate exactly this item, an older version too "
                          "(an interrupted download resumes)")
    p.add_argument("--no-activate", action="store_true",
                   help="with --fetch: only download and verify into the cache")
    p.add_argument("--as", dest="as_user", metavar="USERNAME", default=None,
                   help="who signs in (PIN asked, or read from stdin): any user to list or "
                        "download, an IT admin for --apply and --fetch (each activation is "
                        "audited in their name)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p = add_command(s, "enrol", help="enrol this device with a hub using IT's one-time code",
                    example="lifeboat sync enrol --hub https://hub.trust.nhs.uk:8765 "
                            "--code 1A2B3C-4D5E6F-7A8B9C --as itadmin", handler=_enrol)
    p.add_argument("--hub", required=True,
                   help="the hub's address (https://host:port; http only for this machine)")
    p.add_argument("--code", required=True, help="the one-time code IT gave you")
    p.add_argument("--ca", type=Path, default=None,
                   help="PEM of the Trust CA that signed the hub's TLS certificate")
    p.add_argument("--replace", action="store_true",
                   help="this device already has a hub: replace that link (records not yet "
                        "synced will go to the new hub)")
    add_admin_args(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p = add_command(s, "rotate-identity", help="replace this device's signing key at the hub "
                    "and here (after removing a user: their copy of the old key stops working)",
                    example="lifeboat sync rotate-identity --as itadmin",
                    handler=_rotate_identity)
    add_admin_args(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p = add_command(s, "hub-urls", help="show, or (IT admin) set, the addresses this device "
                    "tries for its hub, in order; the pinned hub keys stay as enrolled",
                    example="lifeboat sync hub-urls https://hub-a.trust.nhs.uk:8765 "
                            "https://hub-b.trust.nhs.uk:8765 --as itadmin", handler=_hub_urls)
    p.add_argument("urls", nargs="*", metavar="URL", help="https://host:port, first tried first")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_user_args(p)


def _now(args: argparse.Namespace) -> int:
    from sync.client import SyncClient

    session = sign_in(args)
    try:
        client = SyncClient(session, notice=_notice)
        try:
            report = client.sync_now(None if args.json else _progress)
        finally:
            client.close()
    finally:
        session.close()
    emit(report.to_json(), args.json, lambda r: (
        f"Sent {r['sent']} record(s): {r['acked']} acknowledged, {r['quarantined']} "
        f"quarantined. {r['pending_after']} waiting. "
        + ("Verified: the hub holds everything on this device." if r["verified_drained"]
           else "Not yet verified drained.")))
    return 0 if report.quarantined == 0 else 3


def _progress(done: int, total: int) -> None:
    import sys

    if sys.stderr.isatty() and total:
        width = 30
        filled = width * done // total
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} records",
              end="" if done < total else "\n", file=sys.stderr, flush=True)


def _notice(text: str) -> None:
    """A connection problem being retried: one line on stderr, so scripts' JSON stays clean."""
    import sys

    print(f"\n{text}" if sys.stderr.isatty() else text, file=sys.stderr, flush=True)


def _hub_urls(args: argparse.Namespace) -> int:
    from appliance.security.roles import Permission
    from sync import hub_urls, hublink

    if args.urls:  # a change is an IT admin's, and a refused attempt is audited
        with admin_session(args, Permission.MANAGE_DEVICE) as session:
            data = hub_urls.change(session, args.urls)
    else:
        session = sign_in(args)
        try:
            link = hublink.load(session.device.layout)
            data = {"hub_id": link.hub_id, "to": link.all_urls(), "config_override": None}
        finally:
            session.close()
    emit(data, args.json, lambda d: "\n".join(
        [f"Hub {d['hub_id']}, tried in this order:", *(f"  {u}" for u in d["to"])]
        + ([f"Note: [sync] hub_url = {d['config_override']} in config.toml replaces the first "
            "address; remove it to use these."] if d["config_override"] else [])))
    return 0


def _status(args: argparse.Namespace) -> int:
    from sync import hublink, outbox

    session = sign_in(args)
    try:
        stats = outbox.stats(session.db, session.device_id, digest=False)
        quarantined = outbox.quarantined(session.db)
        try:
            link: dict[str, Any] | None = hublink.load(session.device.layout).__dict__
        except NotEnrolledError:  # a normal status; a corrupt link file is an error to show
            link = None
        data = {"device_id": session.device_id, "public_key": session.device.info.public_key,
                "hub": {"url": link["url"], "hub_id": link["hub_id"]} if link else None,
                **{k: stats[k] for k in ("total", "pending", "oldest_pending", "acked")},
                "quarantined": quarantined}
        session.audit("sync.status_viewed")
    finally:
        session.close()
    emit(data, args.json, lambda d: (
        f"Device {d['device_id']}\nHub: {d['hub']['url'] if d['hub'] else 'not enrolled'}\n"
        f"Records: {d['total']}, waiting: {d['pending']} (since {d['oldest_pending'] or '-'}),"
        f" quarantined: {len(d['quarantined'])}"
        + "".join(f"\n  {q['event_id']}: {q['quarantine_reason']}" for q in d["quarantined"])))
    return 0


def _export(args: argparse.Namespace) -> int:
    from sync import hublink, usb

    session = sign_in(args)
    try:
        summary = usb.export_bundle(session, hublink.load(session.device.layout), args.file)
    finally:
        session.close()
    emit(summary, args.json, lambda s: f"Wrote {s['events']} record(s) to {s['path']} "
                                       f"({s['bytes']} bytes), encrypted for the hub.")
    return 0


def _import_receipt(args: argparse.Namespace) -> int:
    from sync import hublink, usb

    session = sign_in(args)
    try:
        result = usb.import_receipt(session, hublink.load(session.device.layout), args.file)
    finally:
        session.close()
    emit(result, args.json, lambda r: f"Receipt {r['receipt_id']}: {r['acked']} record(s) "
                                      f"marked synced, {r['quarantined']} quarantined, "
                                      f"{r['already_acked']} already synced.")
    return 0


def _updates(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from appliance.errors import ValidationError
    from appliance.paths import layout
    from sync import apply_updates, hublink

    if args.no_activate and not args.fetch:
        raise ValidationError("--no-activate goes with --fetch KIND NAME VERSION.")
    lay = layout()
    activates = bool(args.apply or (args.fetch and not args.no_activate))
    if not args.as_user:
        raise ValidationError("The hub answers signed-in devices only: add --as USERNAME (an "
                              "IT admin to activate updates).", field="as")
    with ExitStack() as stack:
        session = stack.enter_context(admin_session(args)) if activates else sign_in(args)
        if not activates:
            stack.callback(session.close)
        audit = apply_updates.session_audit(session, via="cli") if activates else None
        return _run_updates(args, lay, hublink.load(lay), audit, hublink.device_auth(session))


def _run_updates(args: argparse.Namespace, lay: Any, link: Any, audit: Any, auth: Any) -> int:
    from sync import apply_updates, updates

    bar = None if args.json else _transfer_progress
    with link.http_client(60.0, auth=auth) as http:
        if args.fetch and args.no_activate:
            kind, name, version = args.fetch
            path = updates.fetch(http, link, kind, name, version, lay.cache / "downloads",
                                 progress=None if bar is None else
                                 (lambda d, t: bar(f"{kind} {name} {version}", d, t)))
            emit({"path": str(path)}, args.json,
                 lambda d: f"Downloaded and verified {d['path']} (not activated).")
            return 0
        if args.fetch:
            outcome = apply_updates.apply_one(http, link, lay, *args.fetch, progress=bar,
                                              audit=audit)
            report = apply_updates.ApplyReport([outcome])
        elif args.apply:
            report = apply_updates.apply(http, link, lay, progress=bar, audit=audit)
        else:
            return _list_updates(updates.catalog(http, link), lay, args.json)
    emit(report.to_json(), args.json, _report_text)
    return 1 if report.problems else 0


def _transfer_progress(label: str, done: int, total: int) -> None:
    import sys

    if sys.stderr.isatty() and total:
        width = 30
        filled = width * min(done, total) // total
        print(f"\r{label[:40]:<40} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
              end="" if done < total else "\n", file=sys.stderr, flush=True)


def _list_updates(items: list[dict[str, Any]], lay: Any, as_json: bool) -> int:
    from appliance.errors import LifeboatError
    from sync.apply_updates import current_reason

    rows = []
    for m in items:
        try:
            state = current_reason(lay, m) or "newer: lifeboat sync updates --apply"
        except LifeboatError as exc:
            state = f"unknown: {exc.message}"
        rows.append({**m, "on_device": state})
    emit(rows, as_json, lambda rs: "\n".join(
        f"{m['kind']:<6} {m['name']:<24} {m['version']:<12} {m['size']:>12} bytes  "
        f"{m['on_device']}" for m in rs) or "The hub offers no updates.")
    return 0


def _report_text(r: dict[str, Any]) -> str:
    marks = {"activated": "activated", "current": "up to date", "refused": "REFUSED",
             "skipped": "SKIPPED", "failed": "FAILED"}
    lines = [f"{marks.get(o['status'], o['status']):<10} {o['kind']} {o['name']} "
             f"{o['version']}: {o['message']}" + (f" ({o['hint']})" if o["hint"] else "")
             + (f"\n           note: {o['detail']['note']}" if o["detail"].get("note") else "")
             for o in r["outcomes"]]
    return "\n".join(lines) or "The hub offers no updates."


def _enrol(args: argparse.Namespace) -> int:
    from appliance.errors import LifeboatError, NotEnrolledError
    from appliance.paths import layout
    from appliance.security.roles import Permission
    from sync import hublink

    ca = args.ca.read_text(encoding="utf-8") if args.ca else ""
    lay = layout()
    with admin_session(args, Permission.MANAGE_DEVICE) as session:
        try:
            old: hublink.HubLink | None = hublink.load_pinned(lay)
        except NotEnrolledError:
            old = None
        if old is not None and not args.replace:
            raise LifeboatError(
                f"This device is already enrolled with hub {old.hub_id} at {old.url} "
                f"(since {old.enrolled_at[:10]}); nothing was changed.",
                hint="Records not yet synced would go to the new hub. If that is intended, "
                     "run the command again with --replace.")
        link = hublink.enrol(lay, args.hub, args.code, ca_cert=ca)
        replaced = {"hub_id": old.hub_id, "url": old.url} if old else None
        session.audit("hub.enrolled", subject=link.hub_id,
                      detail={"url": link.url, "replaced": replaced})
    emit({"hub_id": link.hub_id, "url": link.url, "replaced": replaced}, args.json,
         lambda d: f"Enrolled with hub {d['hub_id']} at {d['url']}."
         + (f" Replaced hub {d['replaced']['hub_id']} at {d['replaced']['url']}."
            if d["replaced"] else ""))
    return 0


def _rotate_identity(args: argparse.Namespace) -> int:
    from appliance.security.roles import Permission
    from sync.identity_rollover import rotate_identity

    with admin_session(args, Permission.MANAGE_DEVICE) as session:
        receipt = rotate_identity(session, "asked by an IT admin")
    emit({"hub_id": receipt["hub_id"], "rotated": True}, args.json,
         lambda d: f"New device key in use; hub {d['hub_id']} refuses the old one from now on.")
    return 0
