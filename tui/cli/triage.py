"""``lifeboat triage``: deterministic triage of one case, or a JSON Lines batch, from a file.

Needs no login and no enrolled device, and writes nothing: it reads the active protocol pack (or
the bundled sample pack) and prints the result. Bad input exits with status 2 and a message that
names the field.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from tui.cli import add_command

EXAMPLE = ("echo '{\"age\": 71, \"complaint\": \"CP and SOB\", \"vitals\": {\"pulse\": 120}}' "
           "| lifeboat triage --input - --format text")
BAD_INPUT = 2


def register(sub: Any) -> None:
    p = add_command(sub, "triage", help="triage a case: priority, disposition, NEWS2, red flags",
                    example=EXAMPLE, handler=_run)
    p.add_argument("--input", default="-", metavar="FILE|-",
                   help="JSON case file, or - for standard input (default -)")
    p.add_argument("--format", choices=("json", "text"), default="json",
                   help="output format (default json)")
    p.add_argument("--no-llm", action="store_true",
                   help="do not run the language-model extractor on the complaint")
    p.add_argument("--no-embedder", action="store_true",
                   help="do not use the sentence embedder's nearest complaint for complaint "
                        "text the lexicon cannot read")
    p.add_argument("--batch", action="store_true",
                   help="JSON Lines: one case per line in, one result per line out")


def _read(path: str) -> str:
    from appliance.errors import ValidationError

    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"cannot read {path}: {exc}", field="--input") from exc


def _parse(text: str, where: str) -> Any:
    from appliance.errors import ValidationError

    if not text.strip():
        raise ValidationError(f"{where} is empty", field="(input)",
                              hint='give one JSON object, e.g. {"complaint": "chest pain"}')
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{where} is not valid JSON: {exc.msg} at line {exc.lineno} "
                              f"column {exc.colno}", field="(input)") from exc


def _assess_one(case: Any, ruleset: Any, use_llm: bool, nearest: Any = None) -> dict[str, Any]:
    from appliance.triage import assess, parse_input

    parsed = parse_input(case)
    assistant = None
    if use_llm and parsed.complaint.strip():
        from appliance.assistant import extract_for_triage  # never raises: None on failure

        assistant = extract_for_triage(parsed.complaint)
    return assess(parsed, ruleset, assistant=assistant, nearest=nearest).to_json()


def _nearest(ruleset: Any, use: bool) -> Any:
    from appliance.triage.nearest import for_ruleset, model_embed

    return for_ruleset(ruleset.taxonomy, ruleset.lexicon, model_embed()) if use else None


def _run(args: argparse.Namespace) -> int:
    from appliance.errors import ValidationError
    from appliance.protocols.active_rules import active_ruleset

    ruleset = active_ruleset()
    nearest = _nearest(ruleset, not args.no_embedder)
    try:
        text = _read(args.input)
        if args.batch:
            return _batch(text, ruleset, not args.no_llm, args.format, sys.stdout, nearest)
        result = _assess_one(_parse(text, "the input"), ruleset, not args.no_llm, nearest)
    except ValidationError as exc:
        field = f" [field: {exc.field}]" if exc.field else ""
        print(f"lifeboat: bad input{field}: {exc}", file=sys.stderr)
        return BAD_INPUT
    if args.format == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(format_text(result))
    return 0


def _batch(text: str, ruleset: Any, use_llm: bool, fmt: str, out: TextIO,
           nearest: Any = None) -> int:
    from appliance.errors import ValidationError

    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            result = _assess_one(_parse(line, f"line {number}"), ruleset, use_llm, nearest)
            result["line"] = number
        except ValidationError as exc:
            result = {"line": number, "error": {"message": exc.message, "field": exc.field,
                                                "hint": exc.hint}}
        if fmt == "json":
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
        else:
            out.write((format_text(result) if "error" not in result
                       else f"line {number}: error: {result['error']['message']}") + "\n\n")
        out.flush()
    return 0


def format_text(r: dict[str, Any]) -> str:
    """A person-readable summary of one result."""
    from appliance.triage.priorities import priority

    p = priority(r["priority"]["level"])
    lines = [f"PRIORITY {p.level} {p.name.upper()} ({p.colour}, see within "
             f"{p.target_minutes} min) — disposition: {r['disposition']}"]
    n = r["news2"]
    if n["applicable"] and n["total"] is not None:
        state = "complete" if n["complete"] else f"INCOMPLETE (missing {', '.join(n['missing'])})"
        parts = ", ".join(f"{k} {v['value']}→{v['score']}" for k, v in n["parameters"].items())
        lines.append(f"NEWS2 {n['total']} [{n['band'] or 'band unknown'}] {state}: {parts}")
    elif n["note"]:
        lines.append(n["note"])
    if r.get("monitoring"):
        lines.append(f"Monitoring: {r['monitoring']}")
    if r.get("complaints"):
        lines.append("Complaint: " + "; ".join(f"{c['label']} ({c['group']})"
                                               for c in r["complaints"]))
    lines.append("Reasons:")
    lines += [f"  [{x['level']}] {x['text']} → {x['protocol']}" for x in r["reasons"]]
    lines.append("Protocols: " + "; ".join(f"{x['title']} ({x['id']})" for x in r["protocols"]))
    lines += [f"Self-care advice: {a}" for a in r.get("advice", [])]
    lines += [f"WARNING: {w}" for w in r["warnings"]]
    lines.append(f"Rules {r['rules_version']} (pack {r['pack_version'] or 'bundled sample'})")
    return "\n".join(lines)
