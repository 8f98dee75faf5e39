"""``lifeboat assistant``: ask the local protocols a question, or extract values from a note."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.cli import add_command, emit


def register(sub: Any) -> None:
    group = add_command(sub, "assistant", help="grounded answers and note extraction (local LLM)",
                        example='lifeboat assistant ask "how long to cool a burn?"',
                        handler=lambda a: _usage(group))
    cmds = group.add_subparsers(dest="assistant_command", metavar="SUBCOMMAND")
    p = add_command(cmds, "ask", help="answer from the active protocols, with checked citations",
                    example='lifeboat assistant ask "aspirin dose in chest pain" --json',
                    handler=_ask)
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--no-stream", action="store_true", help="print the answer when complete")
    p.add_argument("--no-llm", action="store_true",
                   help="no model: quote the matching protocol text")
    p = add_command(cmds, "extract", help="read vitals, symptoms, allergies and medications from a "
                                          "free-text note",
                    example='lifeboat assistant extract "72M CP HR 112 BP 98/60, on warfarin"',
                    handler=_extract)
    p.add_argument("note")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--no-llm", action="store_true", help="pattern pass only")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _ask(args: argparse.Namespace) -> int:
    from appliance.assistant import runtime_or_reason
    from appliance.assistant.grounded import answer
    from appliance.paths import layout
    from appliance.protocols.search import Searcher

    searcher = Searcher.for_active(layout())
    runtime, reason = (None, "--no-llm given") if args.no_llm else runtime_or_reason()
    if runtime is None and not args.json:
        print(f"(model not used: {reason})", file=sys.stderr)
    stream = not args.json and not args.no_stream

    def on_token(piece: str) -> None:
        print(piece, end="", flush=True)

    result = answer(args.question, searcher, runtime, on_token=on_token if stream else None)
    if stream and result.mode == "model":
        print("\n")
    emit(result.to_dict(), args.json, lambda d: _answer_text(d, streamed=stream))
    return 0


def _answer_text(d: dict[str, Any], streamed: bool) -> str:
    lines = [f"!! {d['banner']}"] if d["banner"] else []
    lines.append(f"[{d['label']}]")
    if d["mode"] == "model":
        if not streamed:
            lines.append(d["text"])
        for s in d["sentences"]:
            if not s["supported"]:
                lines.append(f"  UNSUPPORTED ({s['reason']}): {s['text']}")
        lines.append("From the protocols:")
        lines += [f"  {q['text']}" for q in d["quotes"]]
    elif d["mode"] == "extractive":
        lines += [f"  {q['text']}" for q in d["quotes"]]
    else:
        lines.append(d["text"])
        if d["nearest_titles"]:
            lines.append("Nearest protocols: " + "; ".join(d["nearest_titles"]))
    for c in d["citations"]:
        lines.append(f"  [{c['number']}] {c['title']} > {' > '.join(c['heading_path'])} "
                     f"({c['section_id']})")
    lines += [f"note: {n}" for n in d["notes"]]
    return "\n".join(lines)


def _extract(args: argparse.Namespace) -> int:
    from appliance.assistant import concept_ids, lexicon, runtime_or_reason
    from appliance.assistant.extraction import extract

    runtime, reason = (None, "--no-llm given") if args.no_llm else runtime_or_reason()
    result = extract(args.note, runtime, concept_ids() if runtime else (), lexicon=lexicon())
    if runtime is None:
        result.messages[:1] = [f"No model ({reason}): values found by pattern only."]
    emit(result.to_dict(), args.json, _extract_text)
    return 0


def _extract_text(d: dict[str, Any]) -> str:
    lines = [f"Values ({d['status']}):"]
    for v in d["values"]:
        note = f"  ({v['note']})" if v["note"] else ""
        lines.append(f"  {v['field']:<26} {v['value']!s:<10} from '{v['span']}' "
                     f"[{v['source']}]{note}")
    lines += [f"FLAG {f['field']}: {f['message']}" for f in d["flags"]]
    lines += [f"note: {m}" for m in d["messages"]]
    if d["model"]:
        lines.append(f"model {d['model']['name']} sha256 {d['model']['sha256'][:12]}…, "
                     f"prompt {d['prompt_version']}")
    return "\n".join(lines)
