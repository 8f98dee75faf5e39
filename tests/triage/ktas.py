"""Score the engine against real emergency-department visits (``tests/data/ktas_dev.csv``).

The rows are adult ED visits from Moon S-H et al., "Triage accuracy and causes of mistriage
using the Korean Triage and Acuity Scale", PLOS ONE 14(9): e0216972 (2019), data CC BY 4.0. The
reference is the expert panel's KTAS level; the triage nurses' level on the same rows is reported
beside ours. KTAS 1–5 compare 1:1 with our priorities 1 Immediate … 5 Non-urgent.

``python -m tests.triage.ktas`` prints the report; ``--split tune`` or ``--split check`` scores
one half (even or odd ``row_id``): rules were tuned looking only at the tune half's misses, so the
check half shows how much of that tuning generalises. ``test_ktas.py`` holds the targets.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data" / "ktas_dev.csv"
LEVELS = (1, 2, 3, 4, 5)
_SEX = {"1": "F", "2": "M"}
_MENTAL = {"2": "V", "3": "P", "4": "U"}  # 1 alert: recorded as A only with other vitals
_ARRIVAL = {"1": "walk-in", "2": "ambulance", "3": "private vehicle", "4": "ambulance"}


def _number(cell: str) -> float | None:
    """A numeric cell; the source's ``??``, ``#BOÞ!`` and blanks are 'not recorded'."""
    text = cell.strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None


@dataclass(frozen=True)
class Visit:
    row_id: int
    case: dict[str, Any]
    expert: int
    nurse: int


def to_case(row: Mapping[str, str]) -> dict[str, Any]:
    """One CSV row as a triage input, reading only what was known at the triage desk."""
    vitals: dict[str, Any] = {}
    for column, name, low, high in (
            ("SBP", "systolic_bp", 40, 300), ("DBP", "diastolic_bp", 20, 250),
            ("HR", "pulse", 20, 300), ("RR", "respiratory_rate", 4, 80),
            ("BT", "temperature", 25, 44), ("Saturation", "spo2", 40, 100)):
        value = _number(row.get(column, ""))
        if value is not None and low <= value <= high:
            vitals[name] = int(value) if name != "temperature" else value
    mental = row.get("Mental", "").strip()
    if mental in _MENTAL:
        vitals["consciousness"] = _MENTAL[mental]
    elif mental == "1" and vitals:
        vitals["consciousness"] = "A"
    case: dict[str, Any] = {"id": row["row_id"], "complaint": row.get("Chief_complain", "")}
    age = _number(row.get("Age", ""))
    if age is not None and 0 <= age <= 125:
        case["age"] = age
    if row.get("Sex", "").strip() in _SEX:
        case["sex"] = _SEX[row["Sex"].strip()]
    if vitals:
        case["vitals"] = vitals
    pain = _number(row.get("NRS_pain", ""))
    if row.get("Pain", "").strip() == "1" and pain is not None and 0 <= pain <= 10:
        case["pain_score"] = pain
    arrival = _ARRIVAL.get(row.get("Arrival mode", "").strip())
    if arrival:
        case["arrival"] = arrival
    return case


def load(path: Path = DATA, split: str = "all") -> list[Visit]:
    """The visits of one split: ``all``, ``tune`` (even row ids) or ``check`` (odd)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for row in rows:
        rid = int(row["row_id"])
        if split == "tune" and rid % 2 or split == "check" and not rid % 2:
            continue
        out.append(Visit(rid, to_case(row), int(row["KTAS_expert"]), int(row["KTAS_RN"])))
    return out


def qwk(pairs: list[tuple[int, int]]) -> float:
    """Quadratic-weighted Cohen's kappa of (reference, rater) levels on the 1–5 scale."""
    n = len(pairs)
    if not n:
        return 0.0
    k = len(LEVELS)
    observed = [[0.0] * k for _ in range(k)]
    for ref, got in pairs:
        observed[ref - 1][got - 1] += 1
    row_tot = [sum(r) for r in observed]
    col_tot = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            w = (i - j) ** 2 / (k - 1) ** 2
            num += w * observed[i][j]
            den += w * row_tot[i] * col_tot[j] / n
    return 1.0 - num / den if den else 1.0


@dataclass
class Scores:
    n: int = 0
    exact: int = 0
    under: int = 0
    over: int = 0
    severe_under: int = 0
    pairs: list[tuple[int, int]] = field(default_factory=list)

    def add(self, ref: int, got: int) -> None:
        self.n += 1
        self.exact += got == ref
        self.under += got > ref
        self.over += got < ref
        self.severe_under += ref <= 2 and got >= 4
        self.pairs.append((ref, got))

    def to_json(self) -> dict[str, Any]:
        n = max(self.n, 1)
        return {"n": self.n, "exact": round(self.exact / n, 3), "under": round(self.under / n, 3),
                "over": round(self.over / n, 3), "severe_under": self.severe_under,
                "qwk": round(qwk(self.pairs), 3)}

    def matrix(self) -> list[list[int]]:
        m = [[0] * 5 for _ in range(5)]
        for ref, got in self.pairs:
            m[ref - 1][got - 1] += 1
        return m


def evaluate(visits: list[Visit], ruleset: Any = None,
             nearest: Any = None) -> tuple[Scores, Scores, list[dict[str, Any]]]:
    """(engine scores, nurse scores, the engine's misses) against the expert level."""
    from appliance.protocols.pack_rules import load_pack_rules, sample_pack_dir
    from appliance.triage import assess

    rs = ruleset if ruleset is not None else load_pack_rules(sample_pack_dir())
    engine, nurse, misses = Scores(), Scores(), []
    for v in visits:
        result = assess(v.case, rs, nearest=nearest)
        engine.add(v.expert, result.level)
        nurse.add(v.expert, v.nurse)
        if result.level != v.expert:
            misses.append({"row_id": v.row_id, "complaint": v.case.get("complaint", ""),
                           "age": v.case.get("age"), "pain": v.case.get("pain_score"),
                           "vitals": v.case.get("vitals", {}), "expert": v.expert,
                           "nurse": v.nurse, "got": result.level,
                           "why": [r.text for r in result.reasons if r.level == result.level][:2]})
    return engine, nurse, misses


def _lines(engine: Scores, nurse: Scores, misses: list[dict[str, Any]],
           worst: int) -> Iterator[str]:
    yield f"engine: {engine.to_json()}"
    yield f"nurses: {nurse.to_json()}"
    yield "confusion (rows expert 1-5, columns engine 1-5):"
    for i, row in enumerate(engine.matrix(), start=1):
        yield f"  {i}: " + " ".join(f"{c:4d}" for c in row)
    ranked = sorted(misses, key=lambda m: (-(m["got"] - m["expert"]), m["row_id"]))
    yield f"worst misses (under-triage first), {min(worst, len(ranked))} of {len(ranked)}:"
    for m in ranked[:worst]:
        yield (f"  row {m['row_id']}: expert {m['expert']} nurse {m['nurse']} got {m['got']} | "
               f"{m['complaint']!r} age {m['age']} pain {m['pain']} {m['vitals']} | "
               f"{'; '.join(m['why'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.triage.ktas", description=__doc__)
    parser.add_argument("--split", choices=("all", "tune", "check"), default="all")
    parser.add_argument("--worst", type=int, default=25, help="misses to list (default 25)")
    parser.add_argument("--embedder", action="store_true",
                        help="with the sentence embedder's nearest-complaint fallback (as "
                             "`lifeboat triage` runs by default when the model is installed)")
    args = parser.parse_args(argv)
    nearest = None
    if args.embedder:
        from appliance.protocols.pack_rules import load_pack_rules, sample_pack_dir
        from appliance.triage.nearest import for_ruleset, model_embed

        rs = load_pack_rules(sample_pack_dir())
        nearest = for_ruleset(rs.taxonomy, rs.lexicon, model_embed())
    engine, nurse, misses = evaluate(load(split=args.split), nearest=nearest)
    for line in _lines(engine, nurse, misses, args.worst):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
