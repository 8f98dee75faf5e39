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
    p = add_command(cmds, "ask", help="the protocol lines that answer a question, cited",
                    example='lifeboat assistant ask "aspirin dose in chest pain" --json',
                    handler=_ask)
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--age", type=float, default=None,
                   help="the patient's age in years, for age-banded doses and values")
    p.add_argument("--write", action="store_true",
                   help="also let the model write sentences (only those the cited lines "
                        "support are shown)")
    p.add_argument("--no-stream", action="store_true",
                   help="print everything when complete (lines are otherwise printed first)")
    p.add_argument("--no-llm", action="store_true", help="never load the model")
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
    from appliance.assistant.grounded import Citation, answer
    from appliance.paths import layout
    from appliance.protocols.search import Searcher

    searcher = Searcher.for_active(layout())
    wants_model = args.write and not args.no_llm
    runtime, reason = runtime_or_reason() if wants_model else (None, "")
    if wants_model and runtime is None and not args.json:
        print(f"(model not used: {reason})", file=sys.stderr)
    early = not args.json and not args.no_stream and runtime is not None
    printed: list[bool] = []

    def on_sources(citations: list[Citation]) -> None:
        # The lines are the answer: on screen before the model starts writing.
        if early:
            print("\n".join(_line_text(c.number, c.line_text, c) for c in citations), flush=True)
            printed.append(True)

    result = answer(args.question, searcher, runtime, on_sources=on_sources, write=wants_model,
                    patient_age_years=args.age)
    emit(result.to_dict(), args.json, lambda d: _answer_text(d, lines_printed=bool(printed)))
    return 0


def _line_text(number: int, text: str, c: Any) -> str:
    heading = c["heading_path"] if isinstance(c, dict) else c.heading_path
    title = c["title"] if isinstance(c, dict) else c.title
    line = c["line"] if isinstance(c, dict) else c.line
    where = " > ".join((title, *heading[1:]))
    return f"  [{number}] {text}\n      ({where}, line {line})"


def _answer_text(d: dict[str, Any], lines_printed: bool = False) -> str:
    out = [f"!! {d['banner']}"] if d["banner"] else []
    out.append(f"[{d['label']}]")
    if d["mode"] == "not-found":
        out.append(d["text"])
        if d["nearest_titles"]:
            out.append("Nearest protocols: " + "; ".join(d["nearest_titles"]))
    elif not lines_printed:
        for quote, c in zip(d["quotes"], d["citations"], strict=True):
            out.append(_line_text(c["number"], quote["text"].rsplit(" [", 1)[0].strip('"'), c))
    if d["sentences"]:
        out.append("Written from the lines above (each sentence checked against them):")
        out += [f"  {s['text']}" for s in d["sentences"]]
    out += [f"note: {n}" for n in d["notes"]]
    return "\n".join(out)


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
