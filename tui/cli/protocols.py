"""``lifeboat protocols``: verify, install, list, activate, roll back, remove, search and build
signed protocol packs, and manage the publisher keys this device trusts.

Domain modules are imported inside handlers so ``lifeboat --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from tui.cli import add_command, emit
from tui.cli._auth import add_admin_args, admin_session


def register(sub: Any) -> None:
    group = add_command(sub, "protocols", help="signed protocol packs: install, search, build",
                        example="lifeboat protocols search 'CP radiating to arm' --json",
                        handler=lambda a: _usage(group))
    cmds = group.add_subparsers(dest="protocols_command", metavar="SUBCOMMAND")

    p = add_command(cmds, "verify", help="fully verify a pack (directory or archive); no changes",
                    example="lifeboat protocols verify /media/usb/trust-pack-2.1.tar.gz",
                    handler=_verify)
    p.add_argument("pack", type=Path)
    _json(p)
    p = add_command(cmds, "install", help="verify, index and activate a pack (old one kept)",
                    example="lifeboat protocols install /media/usb/trust-pack-2.1.tar.gz "
                            "--as itadmin", handler=_install)
    p.add_argument("pack", type=Path)
    add_admin_args(p)
    p.add_argument("--defer-vectors", action="store_true",
                   help="make lexical search ready now and the vector index later "
                        "(lifeboat protocols index-vectors); without it, a pack that must be "
                        "embedded here says how long that takes, then embeds")
    _json(p)
    p = add_command(cmds, "list", help="installed packs (active and previous marked)",
                    example="lifeboat protocols list --json", handler=_list)
    _json(p)
    p = add_command(cmds, "status", help="active pack, content-as-of date, overdue documents",
                    example="lifeboat protocols status --json", handler=_status)
    _json(p)
    p = add_command(cmds, "activate", help="make an installed pack active",
                    example="lifeboat protocols activate 0k3v9x2mfa --as itadmin",
                    handler=_activate)
    p.add_argument("install_id")
    add_admin_args(p)
    p = add_command(cmds, "rollback", help="switch back to the previous pack",
                    example="lifeboat protocols rollback --as itadmin", handler=_rollback)
    add_admin_args(p)
    p = add_command(cmds, "remove", help="delete an installed pack that is not active",
                    example="lifeboat protocols remove 0k3v9x2mfa --as itadmin",
                    handler=_remove)
    p.add_argument("install_id")
    add_admin_args(p)
    p = add_command(cmds, "search", help="search the active pack (--stdin: one query a line, "
                                         "the model and index loaded once)",
                    example="lifeboat protocols search 'sob wheeze child' --mode hybrid --json",
                    handler=_search)
    p.add_argument("query", nargs="?", help="what to search for (omit with --stdin)")
    p.add_argument("--stdin", action="store_true",
                   help="read queries from standard input, one a line, answering each as it "
                        "comes (with --json: one JSON array a line)")
    p.add_argument("-k", type=int, default=5, help="number of results (default 5)")
    p.add_argument("--mode", choices=("hybrid", "fts", "vector"), default="hybrid")
    _json(p)
    p = add_command(cmds, "index-vectors", help="finish or resume the active pack's vector index",
                    example="lifeboat protocols index-vectors", handler=_index_vectors)
    p = add_command(cmds, "build", help="make and sign a pack from a folder of Markdown",
                    example="lifeboat protocols build ./my-pack --key publisher.pem "
                            "--out my-pack-1.0.tar.gz", handler=_build)
    p.add_argument("source", type=Path, help="folder with pack.toml and docs/*.md")
    p.add_argument("--key", type=Path, required=True, help="Ed25519 private key (PEM)")
    p.add_argument("--out", type=Path, default=None,
                   help="output folder or .tar.gz/.zip (default: sign the folder in place)")
    p.add_argument("--no-embed", action="store_true",
                   help="do not precompute embeddings (devices will embed at install)")
    p.add_argument("--workers", type=int, default=None,
                   help="processes embedding in parallel (default: one per CPU)")
    p = add_command(cmds, "keygen", help="make a publisher signing key pair",
                    example="lifeboat protocols keygen trust-publisher.pem", handler=_keygen)
    p.add_argument("path", type=Path)
    _trust(cmds)


def _trust(cmds: Any) -> None:
    trust = add_command(cmds, "trust", help="publisher keys this device trusts",
                        example="lifeboat protocols trust add trust-publisher.pub --as itadmin",
                        handler=lambda a: _usage(trust))
    tcmds = trust.add_subparsers(dest="trust_command", metavar="ACTION")
    p = add_command(tcmds, "add", help="trust a publisher's public key",
                    example="lifeboat protocols trust add trust-publisher.pub --as itadmin",
                    handler=_trust_add)
    p.add_argument("keyfile", type=Path)
    add_admin_args(p)
    p = add_command(tcmds, "list", help="trusted publisher keys",
                    example="lifeboat protocols trust list --json", handler=_trust_list)
    _json(p)
    p = add_command(tcmds, "remove", help="stop trusting a key (by key id)",
                    example="lifeboat protocols trust remove e3558886e99a2fd5 --as itadmin",
                    handler=_trust_remove)
    p.add_argument("key_id")
    add_admin_args(p)


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _layout() -> Any:
    from appliance.paths import layout

    lay = layout()
    lay.ensure()
    return lay


def _verify(args: argparse.Namespace) -> int:
    from appliance.protocols.lifecycle import verify_source

    pack = verify_source(_layout(), args.pack)
    m = pack.manifest
    data = {"ok": True, "pack_id": m.pack_id, "version": m.version, "publisher": m.publisher,
            "key_id": pack.key_id, "content_as_of": m.content_as_of,
            "documents": len(pack.documents), "files": len(m.files), "warnings": pack.warnings}
    emit(data, args.json, lambda d: (
        f"OK: {d['pack_id']} {d['version']} by {d['publisher']} (key {d['key_id']}), "
        f"{d['documents']} documents, content as of {d['content_as_of']}"
        + "".join(f"\nwarning: {w}" for w in d["warnings"])))
    return 0


def _install(args: argparse.Namespace) -> int:
    from appliance.protocols.lifecycle import install, pending_estimate, pending_is_shipped
    from tui.cli._progress import Progress, duration

    lay = _layout()
    with admin_session(args) as session:
        started = time.perf_counter()
        with Progress() as bar:
            pack = install(lay, args.pack, progress=bar, defer_vectors=args.defer_vectors)
        session.audit("protocols.installed", subject=pack.install_id,
                      detail={"pack_id": pack.pack_id, "version": pack.version,
                              "source": str(args.pack)})
    pending = pending_estimate(pack)
    data = {**pack.summary(), "seconds": round(time.perf_counter() - started, 2),
            "warnings": pack.record.get("warnings", []),
            "embedding_estimate_s": pending[1] if pending else None,
            "vectors_shipped_pending": pending_is_shipped(pack)}
    emit(data, args.json, lambda d: (
        f"Installed and activated {d['pack_id']} {d['version']} ({d['install_id']}): "
        f"{d['documents']} documents, content as of {d['content_as_of']}, "
        f"vectors {d['vectors']}, {d['seconds']} s"
        + "".join(f"\nwarning: {w}" for w in d["warnings"])))
    if pending is None:
        return 0
    sections, seconds = pending
    if pending_is_shipped(pack):
        print(f"The pack is active with lexical search; its {sections:,} section vectors are "
              f"indexed next, about {duration(seconds)}.", file=sys.stderr)
    else:
        print(f"The pack has no embeddings this device can use: semantic search needs "
              f"{sections:,} sections embedded here, about {duration(seconds)} (measured on "
              "a sample). Lexical search works meanwhile.", file=sys.stderr)
    if args.defer_vectors:
        print("Finish it with: lifeboat protocols index-vectors (the app also does it in the "
              "background)", file=sys.stderr)
        return 0
    print(("Indexing" if pending_is_shipped(pack) else "Embedding") + " now. Ctrl-C stops "
          "safely; lifeboat protocols index-vectors resumes.", file=sys.stderr)
    return _finish_vectors(lay, sys.stderr if args.json else sys.stdout)


def _finish_vectors(lay: Any, out: Any = None) -> int:
    from appliance.protocols.lifecycle import build_vectors
    from tui.cli._progress import Progress

    try:
        with Progress() as bar:
            state = build_vectors(lay, progress=bar)
    except KeyboardInterrupt:
        print("Stopped. Lexical search works; finished sections are kept. Resume with: "
              "lifeboat protocols index-vectors", file=sys.stderr)
        return 130
    print(f"Vector index: {state}", file=out or sys.stdout)  # stdout holds --json output
    return 0 if state == "ready" else 1


def _list(args: argparse.Namespace) -> int:
    from appliance.protocols.installed import list_installed, read_state

    lay = _layout()
    state = read_state(lay)
    rows = [{**p.summary(), "active": p.install_id == state["active"],
             "previous": p.install_id == state["previous"]} for p in list_installed(lay)]
    emit(rows, args.json, lambda rs: "\n".join(
        f"{'*' if r['active'] else 'p' if r['previous'] else ' '} {r['install_id']}  "
        f"{r['pack_id']} {r['version']}  content as of {r['content_as_of']}  "
        f"installed {str(r['installed_at'])[:19]}" for r in rs) or "No packs installed.")
    return 0


def _status(args: argparse.Namespace) -> int:
    from appliance.protocols.lifecycle import status

    data = status(_layout())

    def text(d: dict[str, Any]) -> str:
        a = d["active"]
        if a is None:
            return "No protocol pack is active. Install one: lifeboat protocols install PACK"
        lines = [f"Active: {a['pack_id']} {a['version']} ({a['install_id']}), content as of "
                 f"{a['content_as_of']}, integrity {a['integrity']}, vectors {a['vectors']}"]
        if not d["embedder_available"] or a["vectors"] != "ready":
            lines.append("semantic search unavailable: lexical only")
        lines += [f"warning: {o['id']} is past its review date ({o['review_date']})"
                  for o in a["overdue"]]
        return "\n".join(lines)

    emit(data, args.json, text)
    return 0 if data["active"] is None or data["active"]["integrity"] == "ok" else 1


def _activate(args: argparse.Namespace) -> int:
    from appliance.protocols.installed import activate

    with admin_session(args) as session:
        pack = activate(_layout(), args.install_id)
        session.audit("protocols.activated", subject=pack.install_id,
                      detail={"pack_id": pack.pack_id, "version": pack.version})
    print(f"Active: {pack.pack_id} {pack.version} ({pack.install_id})")
    return 0


def _rollback(args: argparse.Namespace) -> int:
    from appliance.protocols.installed import rollback

    with admin_session(args) as session:
        pack = rollback(_layout())
        session.audit("protocols.rolled_back", subject=pack.install_id,
                      detail={"pack_id": pack.pack_id, "version": pack.version})
    print(f"Rolled back; active: {pack.pack_id} {pack.version} ({pack.install_id})")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from appliance.protocols.installed import remove

    with admin_session(args) as session:
        remove(_layout(), args.install_id)
        session.audit("protocols.removed", subject=args.install_id)
    print(f"Removed {args.install_id}")
    return 0


def _search(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from appliance.assistant.landing import land
    from appliance.protocols.search import SEMANTIC_UNAVAILABLE, Searcher

    if (args.query is None) == (not args.stdin):
        print("error: give a query, or --stdin to read queries one a line", file=sys.stderr)
        return 2
    searcher = Searcher.for_active(_layout())
    if not searcher.semantic_available:
        print(f"note: {SEMANTIC_UNAVAILABLE}", file=sys.stderr)
    # One searcher for every query: only the first pays for loading the model and the index.
    for query in (line.strip() for line in sys.stdin) if args.stdin else [args.query]:
        if not query:
            continue
        hits = land(query, searcher.search(query, k=args.k, mode=args.mode), searcher)
        rows = [{k: v for k, v in asdict(h).items() if k != "text"} for h in hits]
        if args.stdin and args.json:
            print(json.dumps(rows, default=str), flush=True)
            continue
        emit(rows, args.json, lambda rs: "\n".join(
            f"{i}. {r['title']} [{r['doc_id']}] > {' > '.join(r['heading_path'][1:])}\n   "
            f"{r['snippet']}" for i, r in enumerate(rs, 1)) or "No matches.")
        sys.stdout.flush()
    return 0


def _index_vectors(args: argparse.Namespace) -> int:
    return _finish_vectors(_layout())


def _build(args: argparse.Namespace) -> int:
    from appliance.protocols.build import build_pack, work_dir
    from tui.cli._progress import Progress

    try:
        with Progress() as bar:
            out = build_pack(args.source, args.key, args.out, embed=not args.no_embed,
                             progress=bar, workers=args.workers)
    except KeyboardInterrupt:
        print(f"Stopped. Finished embeddings are kept in {work_dir(args.source, args.out)}; "
              "run the same command again to continue.", file=sys.stderr)
        return 130
    print(f"Built and signed {out}")
    return 0


def _keygen(args: argparse.Namespace) -> int:
    from appliance.protocols.trust import generate_keypair, key_id, load_public_key

    pub = generate_keypair(args.path)
    print(f"Private key: {args.path} (keep it secret)\nPublic key: {pub} "
          f"(key id {key_id(load_public_key(pub))}; give this to devices)")
    return 0


def _trust_add(args: argparse.Namespace) -> int:
    from appliance.protocols.trust import trust_key

    with admin_session(args) as session:
        kid = trust_key(_layout(), args.keyfile)
        session.audit("protocols.key_trusted", subject=kid, detail={"file": str(args.keyfile)})
    print(f"Trusted key {kid}")
    return 0


def _trust_list(args: argparse.Namespace) -> int:
    from appliance.protocols.trust import trusted_keys

    lay = _layout()
    rows = [{"key_id": k, "file": p.name} for k in sorted(trusted_keys(lay))
            for p in lay.trust_store.glob(f"*-{k}.pem")]
    emit(rows, args.json, lambda rs: "\n".join(f"{r['key_id']}  {r['file']}" for r in rs)
         or "No trusted publisher keys.")
    return 0


def _trust_remove(args: argparse.Namespace) -> int:
    from appliance.protocols.trust import untrust_key

    with admin_session(args) as session:
        untrust_key(_layout(), args.key_id)
        session.audit("protocols.key_untrusted", subject=args.key_id)
    print(f"Removed key {args.key_id}")
    return 0
