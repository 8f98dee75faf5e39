"""``lifeboat models``: list, verify, add (by sha256), choose and roll back the local language
model."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tui.cli import add_command, emit
from tui.cli._auth import add_admin_args, admin_session


def register(sub: Any) -> None:
    group = add_command(sub, "models",
                        help="local language models: list, verify, add, use, rollback",
                        example="lifeboat models list --json", handler=lambda a: _usage(group))
    cmds = group.add_subparsers(dest="models_command", metavar="SUBCOMMAND")
    p = add_command(cmds, "list", help="known models, which are installed, and which would load",
                    example="lifeboat models list --json", handler=_list)
    _json(p)
    p = add_command(cmds, "verify", help="rehash every model file against its pinned sha256",
                    example="lifeboat models verify --json", handler=_verify)
    _json(p)
    p = add_command(cmds, "add", help="check a GGUF file, pin its sha256 and store it",
                    example="lifeboat models add /media/usb/qwen2.5-1.5b-instruct-q4_k_m.gguf "
                            "--name qwen2.5-1.5b-instruct --as itadmin", handler=_add)
    p.add_argument("file", type=Path)
    add_admin_args(p)
    p.add_argument("--name", default=None, help="catalog name (default: from the file name)")
    _json(p)
    p = add_command(cmds, "use", help="load this installed model at start-up",
                    example="lifeboat models use qwen2.5-1.5b-instruct --as itadmin",
                    handler=_use)
    p.add_argument("name")
    add_admin_args(p)
    _json(p)
    p = add_command(cmds, "rollback", help="go back to the model selected before the last change",
                    example="lifeboat models rollback --as itadmin", handler=_rollback)
    add_admin_args(p)
    _json(p)


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _list(args: argparse.Namespace) -> int:
    from models import catalog, registry, selection

    installed = {m.name: m for m in registry.installed()}
    machine = selection.this_machine()
    choice = selection.choose(list(installed.values()), machine,
                              preferred=registry.active_name())
    rows = []
    for entry in catalog.load_catalog():
        m = installed.pop(entry.name, None)
        rows.append({"name": entry.name, "role": entry.role, "title": entry.title,
                     "installed": m is not None, "sha256": m.sha256 if m else entry.sha256,
                     "size_mb": round(m.size_bytes / 1e6, 1) if m else entry.size_mb,
                     "ram_mb": entry.ram_mb, "licence": entry.licence,
                     "bundled": entry.bundled, "chosen": bool(choice.model and
                                                              choice.model.name == entry.name)})
    for m in installed.values():  # added under a name the catalog does not know
        rows.append({"name": m.name, "role": m.role, "title": m.name, "installed": True,
                     "sha256": m.sha256, "size_mb": round(m.size_bytes / 1e6, 1),
                     "ram_mb": m.ram_mb, "licence": "unknown", "bundled": False,
                     "chosen": bool(choice.model and choice.model.name == m.name)})
    data = {"models": rows, "choice": {"model": choice.model.name if choice.model else None,
                                       "threads": choice.threads, "reason": choice.reason,
                                       "skipped": list(choice.skipped)},
            "machine": {"available_mb": machine.available_mb, "cores": machine.physical_cores,
                        "avx2": "avx2" in machine.cpu_flags}}
    emit(data, args.json, _list_text)
    return 0


def _list_text(data: dict[str, Any]) -> str:
    lines = []
    for r in data["models"]:
        mark = "*" if r["chosen"] else " "
        state = "installed" if r["installed"] else "not installed"
        lines.append(f"{mark} {r['name']:<24} {r['role']:<9} {state:<13} "
                     f"{r['size_mb']:>7} MB  {r['licence']}")
    c = data["choice"]
    lines.append(f"\nAt start-up: {c['model'] or 'no model'} ({c['reason']}), "
                 f"{c['threads']} threads.")
    lines += [f"  skipped {s}" for s in c["skipped"]]
    return "\n".join(lines)


def _verify(args: argparse.Namespace) -> int:
    from models import registry

    rows = registry.verify_all()
    emit({"models": rows, "ok": all(r["ok"] for r in rows)}, args.json,
         lambda d: "\n".join(f"{'ok  ' if r['ok'] else 'FAIL'} {r['name']}: "
                             f"{r.get('reason') or r['path']}" for r in d["models"]))
    return 0 if all(r["ok"] for r in rows) else 1


def _add(args: argparse.Namespace) -> int:
    from models import registry

    with admin_session(args) as session:
        m = registry.add(args.file, args.name)
        session.audit("models.added", subject=m.name,
                      detail={"sha256": m.sha256, "source": str(args.file)})
    emit(m.to_dict(), args.json, lambda d: f"Added {d['name']} (sha256 {d['sha256']}).\n"
                                           f"Use it with: lifeboat models use {d['name']}")
    return 0


def _use(args: argparse.Namespace) -> int:
    from models import registry
    from models.selection import automatic_choice

    with admin_session(args) as session:
        registry.use(args.name, in_use=automatic_choice())
        session.audit("models.selected", subject=args.name)
    emit({"active": args.name}, args.json, lambda d: f"{d['active']} will load at start-up.")
    return 0


def _rollback(args: argparse.Namespace) -> int:
    from models import registry

    with admin_session(args) as session:
        now, was = registry.rollback()
        session.audit("models.rolled_back", subject=now, detail={"instead_of": was})
    emit({"active": now, "instead_of": was}, args.json,
         lambda d: f"{d['active']} will load at start-up again (instead of {d['instead_of']}).")
    return 0
