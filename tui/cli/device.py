"""Device set-up and administration: init, user, doctor, audit."""

from __future__ import annotations

import argparse
from typing import Any

from tui.cli import add_command, emit, group_help
from tui.cli._auth import add_admin_args, add_user_args, admin_session, read_pin, sign_in

REISSUE_HELP = ("users whose key slot is of the older kind (not signed in since the upgrade) "
                "get a new slot under a one-time PIN you type for each (they must choose their "
                "own at their next sign-in); without this, rotation waits for them")


def register(sub: Any) -> None:
    p = add_command(sub, "init", help="enrol this device: data directory, keys, first IT admin",
                    example="lifeboat init --admin alice --name 'Alice Jones' --label 'RRV 12'",
                    handler=_init)
    p.add_argument("--admin", help="username of the first IT admin")
    p.add_argument("--name", default="", help="the admin's display name")
    p.add_argument("--label", default="", help="a name for this device (shown on the hub)")
    p.add_argument("--demo", action="store_true",
                   help="create a DEMO device with demo users instead (not for patient data)")

    user = add_command(sub, "user", help="add, list or disable users (IT admins)",
                       example="lifeboat user list --as alice", handler=group_help)
    usub = user.add_subparsers(dest="user_command", metavar="ACTION")
    p = add_command(usub, "add", help="add a user and their key slot",
                    example="lifeboat user add bob --role paramedic --name 'Bob Li' --as alice",
                    handler=_user_add)
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=["paramedic", "clinician", "it_admin"])
    p.add_argument("--name", default="", help="display name")
    add_user_args(p)
    p = add_command(usub, "list", help="list users and whether they can sign in",
                    example="lifeboat user list --as alice --json", handler=_user_list)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_user_args(p)
    p = add_command(usub, "set-pin", help="choose your own PIN (needed after IT set it)",
                    example="lifeboat user set-pin --as bob", handler=_user_set_pin)
    add_user_args(p)
    p = add_command(usub, "disable", help="revoke a user's key slot; their records stay",
                    example="lifeboat user disable bob --rotate-key --as alice",
                    handler=_user_disable)
    p.add_argument("username")
    p.add_argument("--rotate-key", action="store_true",
                   help="then re-encrypt everything under a new data key, so a copy of the key "
                        "slots taken before, with their PIN, opens nothing (recommended)")
    p.add_argument("--reissue-old-slots", action="store_true", help=REISSUE_HELP)
    add_admin_args(p)
    p = add_command(usub, "rotate-key",
                    help="re-encrypt the records and key slots under a new data key",
                    example="lifeboat user rotate-key --as alice", handler=_user_rotate_key)
    p.add_argument("--reissue-old-slots", action="store_true", help=REISSUE_HELP)
    add_admin_args(p)

    p = add_command(sub, "doctor", help="self-check: data, database, keys, packs, models, power",
                    example="lifeboat doctor --json", handler=_doctor)
    p.add_argument("--json", action="store_true", help="machine-readable output")

    audit = add_command(sub, "audit", help="the tamper-evident audit log",
                        example="lifeboat audit verify --as alice", handler=group_help)
    asub = audit.add_subparsers(dest="audit_command", metavar="ACTION")
    p = add_command(asub, "verify", help="check the audit log's hash chain end to end",
                    example="lifeboat audit verify --as alice --json", handler=_audit_verify)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_user_args(p)


def _init(args: argparse.Namespace) -> int:
    from appliance.device import DEMO_USERS, enrol, enrol_demo
    from appliance.errors import ValidationError
    from appliance.paths import layout

    lay = layout()
    if args.demo:
        enrol_demo(lay)
        print(f"DEMO device enrolled in {lay.root}. Demo users (not for patient data):")
        for username, _, role, pin in DEMO_USERS:
            print(f"  {username:10} {role.value:10} PIN {pin}")
        _install_sample_pack(lay, demo=True)
        return 0
    if not args.admin:
        raise ValidationError("Name the first IT admin with --admin USERNAME (or use --demo).",
                              field="admin")
    pin = read_pin(f"New PIN for {args.admin}: ")
    import sys

    if sys.stdin.isatty() and read_pin("Repeat the PIN: ") != pin:
        raise ValidationError("The two PINs differ; nothing was created.", field="pin")
    device = enrol(args.admin, pin, display_name=args.name, label=args.label, lay=lay)
    print(f"Device {device.info.device_id} enrolled in {lay.root}; IT admin: {args.admin}.")
    return 0


def _install_sample_pack(lay: Any, demo: bool) -> None:
    from appliance.protocols.lifecycle import install_sample_pack

    install_sample_pack(lay)


def _user_add(args: argparse.Namespace) -> int:
    session = sign_in(args)
    try:
        pin = read_pin(f"PIN for the new user {args.username}: ")
        user = session.add_user(args.username, args.name, args.role, pin)
    finally:
        session.close()
    print(f"Added {user.username} ({user.role.value}).")
    return 0


def _user_list(args: argparse.Namespace) -> int:
    session = sign_in(args)
    try:
        users = session.list_users()
    finally:
        session.close()

    def text(rows: list[dict[str, Any]]) -> str:
        lines = [f"{'USERNAME':14} {'ROLE':10} {'STATUS':10} NAME"]
        for r in rows:
            status = "active" if r["can_sign_in"] else "disabled"
            lines.append(f"{r['username']:14} {r['role']:10} {status:10} {r['display_name']}")
        return "\n".join(lines)

    emit(users, args.json, text)
    return 0


def _user_set_pin(args: argparse.Namespace) -> int:
    import sys

    from appliance.device import Device
    from appliance.errors import ValidationError

    current = read_pin(f"Current PIN for {args.as_user}: ")
    session = Device().login(args.as_user, current)
    try:
        new = read_pin("New PIN: ")
        if sys.stdin.isatty() and read_pin("Repeat the new PIN: ") != new:
            raise ValidationError("The two PINs differ; the PIN was not changed.", field="pin")
        session.change_pin(current, new)
    finally:
        session.close()
    print(f"PIN changed for {args.as_user}.")
    return 0


def _user_disable(args: argparse.Namespace) -> int:
    import sys

    from appliance.security.roles import Permission

    identity = ""
    with admin_session(args, Permission.MANAGE_USERS) as session:
        from sync.identity_rollover import after_rotation

        reissue = _one_time_pins(session, args, leaving=args.username) \
            if args.rotate_key else None
        session.disable_user(args.username, rotate=args.rotate_key, reissue=reissue)
        if args.rotate_key:
            identity = after_rotation(session, f"{args.username} disabled")
    print(f"Disabled {args.username}: their PIN no longer unlocks this device.")
    if args.rotate_key:
        print("The data key was rotated: older copies of the key slots open nothing.")
        print(identity, file=sys.stderr if identity.startswith("The device key") else sys.stdout)
    else:
        print(f"The data key was not rotated: a copy of keys/keyslots.json taken before, with "
              f"{args.username}'s PIN, still opens the records. To close that, run "
              f"`lifeboat user rotate-key --as {args.as_user}`.", file=sys.stderr)
    return 0


def _user_rotate_key(args: argparse.Namespace) -> int:
    import sys

    from appliance.security.roles import Permission

    with admin_session(args, Permission.MANAGE_USERS) as session:
        from sync.identity_rollover import after_rotation

        reissue = _one_time_pins(session, args)
        users = session.rotate_data_key("asked by an IT admin", reissue)
        identity = after_rotation(session, "data key rotated")
    print(f"New data key in use; key slots re-wrapped for {', '.join(users)}.")
    if reissue:
        print(f"Re-issued with a one-time PIN (to change at next sign-in): "
              f"{', '.join(sorted(reissue))}.")
    print(identity, file=sys.stderr if identity.startswith("The device key") else sys.stdout)
    return 0


def _one_time_pins(session: Any, args: argparse.Namespace,
                   leaving: str = "") -> dict[str, str] | None:
    """With --reissue-old-slots: name the users whose older slot will be replaced and read a
    one-time PIN for each (hidden prompt, or one line each on stdin)."""
    import sys

    older = [u for u in session.older_slots() if u != leaving]
    if not older or not args.reissue_old_slots:
        return None
    print(f"Re-issuing {', '.join(older)}: their key slot is of the older kind and is "
          "replaced by one under a one-time PIN you choose now. Give it to them; they must "
          "choose their own PIN at their next sign-in.", file=sys.stderr)
    return {u: read_pin(f"One-time PIN for {u}: ") for u in older}


def _doctor(args: argparse.Namespace) -> int:
    from appliance import doctor
    from appliance.checks import Check
    from sync.doctor import run_all

    checks = run_all()
    failed = any(c.status == "fail" for c in checks)

    def text(items: list[Check]) -> str:
        marks = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}
        lines = []
        for c in items:
            lines.append(f"[{marks[c.status]}] {c.name}: {c.detail}")
            if c.hint and c.status != "ok":
                lines.append(f"       what to do: {c.hint}")
        warned = sum(c.status == "warn" for c in items)
        lines.append("Result: " + ("problems found" if failed else
                                   f"not ready: {warned} warning(s) to act on" if warned
                                   else "ready"))
        return "\n".join(lines)

    if args.json:
        emit({"ok": not failed, "ready": doctor.ready(checks),
              "checks": [c.to_json() for c in checks]}, True)
    else:
        print(text(checks))
    return 1 if failed else 0


def _audit_verify(args: argparse.Namespace) -> int:
    session = sign_in(args)
    try:
        result = session.verify_audit()
    finally:
        session.close()
    data = {"ok": result.ok, "entries": result.entries, "head": result.head,
            "problem": result.problem, "bad_seq": result.bad_seq}
    emit(data, args.json, lambda d: (
        f"Audit log intact: {d['entries']} entries, head {d['head'][:16]}…" if d["ok"] else
        f"AUDIT LOG TAMPERED: {d['problem']} (checked {d['entries']} entries)"))
    return 0 if result.ok else 3
