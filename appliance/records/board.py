"""The patient board: every open encounter, most urgent first, with breach and reassessment.

Order: priority (1 first; untriaged patients sit between Immediate and Very urgent, because an
untriaged patient could be anything), then by time waited against the priority's target time,
longest overdue first. A breach is a wait beyond the priority's target. Reassessment is due from
the latest NEWS2 monitoring frequency (clinical_rules.md): 0 → 12-hourly; 1–4 → 4-hourly (the
safe end of 4–6); a single red score or 5–6 → hourly; ≥7 → continuous (shown as every 15 min);
no observations yet → due now. The clock is injected so tests and the snapshot stay exact.
An unknown patient linked to a known one is shown (and found) by the linked name, marked
"(linked)".

A patient nobody has triaged yet is shown at the engine's priority for what the record holds
(marked unconfirmed, and sorted with it), so a NEWS2 8 patient the engine puts at Immediate is
never left among the "Not triaged". Without any observation set the engine sees only the
complaint, so its priority is used only when it is Immediate; otherwise the patient stays "Not
triaged", which sorts above Very urgent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from appliance.errors import LifeboatError
from appliance.records import age, matching
from appliance.records.clock import Clock, parse_iso, system_clock
from appliance.security.roles import Permission
from appliance.session import Session

if TYPE_CHECKING:
    from appliance.triage.nearest import NearestComplaints
    from appliance.triage.rules import RuleSet

TARGET_MINUTES = {1: 0, 2: 10, 3: 60, 4: 120, 5: 240}
PRIORITY_NAMES = {1: "Immediate", 2: "Very urgent", 3: "Urgent", 4: "Standard", 5: "Non-urgent"}
UNTRIAGED_TARGET_MIN = 15  # initial assessment within 15 minutes of arrival
UNTRIAGED_RANK = 1.5
CONTINUOUS_MIN = 15
DECIDED = ("confirmed", "overridden")  # assessment statuses a clinician has decided
RED_PARAMETER_LIMITS: tuple[tuple[str, Callable[[Any], bool] | None], ...] = (
    # a single parameter scoring 3 (a "red score")
    ("respiratory_rate", lambda v: v <= 8 or v >= 25),
    ("spo2", None),  # depends on the scale: handled in _red_score
    ("systolic_bp", lambda v: v <= 90 or v >= 220),
    ("pulse", lambda v: v <= 40 or v >= 131),
    ("consciousness", lambda v: v != "A"),
    ("temperature", lambda v: v <= 35.0),
)


@dataclass(frozen=True)
class BoardEntry:
    """One row of the board, computed at ``now``."""

    encounter_id: str
    patient: str
    nhs_number: str | None
    age: str
    area: str | None
    complaint: str
    priority: int | None
    priority_name: str
    confirmed: bool
    opened_at: datetime
    waited_min: int
    target_min: int
    breached: bool
    news2: int | None
    reassess_every_min: int | None
    reassess_due_at: datetime | None
    reassess_overdue: bool

    @property
    def rank(self) -> float:
        return float(self.priority) if self.priority else UNTRIAGED_RANK

    @property
    def over_target(self) -> float:
        """Waited ÷ target (minutes; a zero target counts as one minute)."""
        return self.waited_min / max(self.target_min, 1)

    def matches(self, text: str) -> bool:
        """Case-insensitive search over name, NHS number, complaint and area."""
        needle = text.strip().lower().replace(" ", "")
        hay = f"{self.patient}{self.nhs_number or ''}{self.complaint}{self.area or ''}"
        return needle in hay.lower().replace(" ", "")


def monitoring_minutes(news2: int | None, red_score: bool) -> int | None:
    """Minutes between observation sets for a NEWS2 total (None when no score)."""
    if news2 is None:
        return None
    if news2 >= 7:
        return CONTINUOUS_MIN
    if news2 >= 5 or red_score:
        return 60
    if news2 >= 1:
        return 240
    return 720


def _red_score(obs: dict[str, Any]) -> bool:
    for name, test in RED_PARAMETER_LIMITS:
        value = obs.get(f"o_{name}")
        if value is None:
            continue
        if name == "spo2":
            if (obs.get("o_spo2_scale") or 1) == 1 and value <= 91:
                return True
            if obs.get("o_spo2_scale") == 2 and (value <= 83 or (obs.get("o_on_oxygen")
                                                              and value >= 97)):
                return True
        elif test is not None and test(value):
            return True
    return False


def _identified(row: dict[str, Any]) -> dict[str, Any]:
    """The row with an unnamed linked patient's identity taken from the ``l_`` columns."""
    if row.get("l_id") is None:  # the SQL joins the link only for an unnamed patient
        return row
    linked = {"id": row.get("l_id"), **{f: row.get(f"l_{f}") for f in matching.IDENTITY_FIELDS}}
    return matching.identified(row, linked) or row


def _age(row: dict[str, Any], now: datetime) -> str:
    if row.get("date_of_birth"):
        dob = datetime.fromisoformat(row["date_of_birth"]).date()
        return f"{age.short(dob, now.date())}{row.get('sex') or ''}"
    if row.get("estimated_age") is not None:
        return f"~{row['estimated_age']}{row.get('sex') or ''}"
    return row.get("sex") or "?"


def entry(row: dict[str, Any], now: datetime) -> BoardEntry:
    """Compute one board row from a query row (see :func:`load_rows`)."""
    row = _identified(row)
    opened = parse_iso(row["opened_at"])
    waited = max(0, int((now - opened).total_seconds() // 60))
    prio = row.get("priority")
    engine = row.get("engine_priority")
    if engine and (prio is None or engine < prio):  # the engine, unconfirmed, only raises
        prio = engine
    target = TARGET_MINUTES[prio] if prio else UNTRIAGED_TARGET_MIN
    news2 = row.get("o_news2_total")
    every = monitoring_minutes(news2, _red_score(row))
    if row.get("o_taken_at") is None:
        due: datetime | None = opened  # no observations yet: due at once
    elif every is None:
        due = None
    else:
        due = parse_iso(row["o_taken_at"]) + timedelta(minutes=every)
    return BoardEntry(
        encounter_id=row["id"], patient=matching.display_name(row),
        nhs_number=row.get("nhs_number"), age=_age(row, now), area=row.get("area"),
        complaint=row.get("presenting_complaint") or "", priority=prio,
        priority_name=PRIORITY_NAMES.get(prio, "Not triaged") if prio else "Not triaged",
        confirmed=row.get("a_status") in DECIDED, opened_at=opened,
        waited_min=waited, target_min=target, breached=waited > target,
        news2=news2, reassess_every_min=every, reassess_due_at=due,
        reassess_overdue=due is not None and now >= due)


def sort_key(e: BoardEntry) -> tuple[float, float, str]:
    """Priority first, then most overdue against its target, then the oldest."""
    return (e.rank, -e.over_target, e.opened_at.isoformat())


def build(rows: Iterable[dict[str, Any]], now: datetime, *, area: str | None = None,
          search: str = "") -> list[BoardEntry]:
    """Board entries from query rows, filtered by area and search text, in board order."""
    entries = [entry(r, now) for r in rows]
    if area:
        entries = [e for e in entries if e.area == area]
    if search.strip():
        entries = [e for e in entries if e.matches(search)]
    return sorted(entries, key=sort_key)


BOARD_SQL = """
SELECT e.id, e.opened_at, e.area, e.kind, e.presenting_complaint, e.priority,
       e.priority_name, p.family_name, p.given_name, p.nhs_number, p.date_of_birth,
       p.estimated_age, p.sex, p.linked_to,
       lp.id AS l_id, lp.family_name AS l_family_name, lp.given_name AS l_given_name,
       lp.nhs_number AS l_nhs_number, lp.date_of_birth AS l_date_of_birth,
       lp.estimated_age AS l_estimated_age, lp.sex AS l_sex,
       o.taken_at AS o_taken_at, o.news2_total AS o_news2_total,
       o.respiratory_rate AS o_respiratory_rate, o.spo2 AS o_spo2,
       o.spo2_scale AS o_spo2_scale, o.on_oxygen AS o_on_oxygen,
       o.systolic_bp AS o_systolic_bp, o.pulse AS o_pulse,
       o.consciousness AS o_consciousness, o.temperature AS o_temperature,
       o.diastolic_bp AS o_diastolic_bp, o.capillary_refill_s AS o_capillary_refill_s,
       o.blood_glucose AS o_blood_glucose, o.pain_score AS o_pain_score, e.mechanism,
       COALESCE(p.medications, lp.medications) AS medications,
       (SELECT a.status FROM assessments a WHERE a.encounter_id = e.id
        ORDER BY a.assessed_at DESC LIMIT 1) AS a_status
FROM encounters e
LEFT JOIN patients p ON p.id = e.patient_id
LEFT JOIN patients lp ON lp.id = p.linked_to AND p.family_name IS NULL
LEFT JOIN observations o ON o.id = (SELECT o2.id FROM observations o2
     WHERE o2.encounter_id = e.id ORDER BY o2.taken_at DESC, o2.id DESC LIMIT 1)
WHERE e.status = 'open'
"""


def load_rows(session: Session, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every open encounter on this device (whoever opened it), audited as one board read,
    with the engine's priority (``engine_priority``) for those nobody has triaged.

    Encounters with an undecided priority may also have one the engine would now raise: see
    :func:`with_engine_raises`, run after the first showing (the engine's cost a patient is in
    ``docs/performance.md``).
    """
    from appliance.protocols.active_rules import active_ruleset

    session.require(Permission.READ_RECORDS)
    rows = session.db.query(BOARD_SQL)
    session.audit("board.read", detail={"encounters": len(rows)})
    today = (now or system_clock()).date()
    ruleset = None
    for row in rows:
        if not row.get("priority"):
            ruleset = ruleset or active_ruleset()
            row["engine_priority"] = engine_priority(row, today, ruleset)
    return rows


def with_engine_raises(rows: list[dict[str, Any]], now: datetime | None = None
                       ) -> list[dict[str, Any]] | None:
    """``rows`` with the engine's priority added where a priority stands undecided (newer
    observations may make the patient more urgent); None when that changes no row."""
    from appliance.protocols.active_rules import active_ruleset

    today = (now or system_clock()).date()
    out, changed, ruleset = [], False, None
    for row in rows:
        if row.get("priority") and row["priority"] > 1 and row.get("a_status") not in DECIDED \
                and "engine_priority" not in row:
            ruleset = ruleset or active_ruleset()
            level = engine_priority(row, today, ruleset)
            row = {**row, "engine_priority": level}
            changed = changed or (level is not None and level < row["priority"])
        out.append(row)
    return out if changed else None


def with_meaning_raises(rows: list[dict[str, Any]], now: datetime | None,
                        nearest: NearestComplaints | None) -> list[dict[str, Any]] | None:
    """``rows`` with the engine's priority raised where nobody has triaged a patient whose
    complaint the lexicon cannot read but whose nearest complaint in meaning is more urgent
    (the sentence embedder, as the record's triage tab shows it); None when that changes no
    row or there is no embedder."""
    if nearest is None:
        return None
    from appliance.protocols.active_rules import active_ruleset

    today = (now or system_clock()).date()
    out, changed, ruleset = [], False, None
    for row in rows:
        if not row.get("priority"):
            ruleset = ruleset or active_ruleset()
            level = engine_priority(row, today, ruleset, nearest)
            current = row.get("engine_priority")
            if level is not None and (current is None or level < current):
                row, changed = {**row, "engine_priority": level}, True
        out.append(row)
    return out if changed else None


ENGINE_VITALS = ("respiratory_rate", "spo2", "spo2_scale", "on_oxygen", "systolic_bp",
                 "diastolic_bp", "pulse", "consciousness", "temperature", "capillary_refill_s",
                 "blood_glucose")
ENGINE_SEX = {"M": "M", "F": "F", "O": "X"}
_ENGINE_CACHE: dict[tuple[Any, ...], int | None] = {}
_ENGINE_CACHE_MAX = 4096


def triage_case(row: dict[str, Any], today: Any) -> dict[str, Any]:
    """The triage engine's input from a board row: complaint, latest observations, age, sex,
    the patient's medications as context (ValidationError for a date of birth after
    ``today``)."""
    row = _identified(row)
    vitals = {k: row[f"o_{k}"] for k in ENGINE_VITALS if row.get(f"o_{k}") is not None}
    if "on_oxygen" in vitals:
        vitals["on_oxygen"] = bool(vitals["on_oxygen"])
    case: dict[str, Any] = {"complaint": row.get("presenting_complaint") or "",
                            "vitals": vitals}
    if row.get("date_of_birth"):
        case["age"] = age.years(datetime.fromisoformat(row["date_of_birth"]).date(), today)
    elif row.get("estimated_age") is not None:
        case["age"] = row["estimated_age"]
    if ENGINE_SEX.get(row.get("sex") or ""):
        case["sex"] = ENGINE_SEX[row["sex"]]
    if row.get("o_pain_score") is not None:
        case["pain_score"] = row["o_pain_score"]
    if row.get("mechanism"):
        case["mechanism"] = row["mechanism"]
    if row.get("medications"):
        case["history"] = row["medications"]
    return case


def engine_priority(row: dict[str, Any], today: Any, ruleset: RuleSet,
                    nearest: NearestComplaints | None = None) -> int | None:
    """The triage engine's priority under ``ruleset`` for an encounter nobody has triaged
    (None: not yet known), with ``nearest`` (the embedder's fallback) when given.

    Results are kept per input and rule set, so the board's re-reads every 30 s cost a lookup
    each.
    """
    from appliance.triage import assess

    try:
        case = triage_case(row, today)
    except LifeboatError:
        return None  # a date of birth after today: the record's patient tab says so
    key = (row["id"], repr(sorted(case.items())), ruleset.digest, nearest is not None)
    if key in _ENGINE_CACHE:
        return _ENGINE_CACHE[key]
    try:
        level: int | None = assess(case, ruleset, nearest=nearest).level
    except LifeboatError:
        level = None  # a value the engine refuses: the record's triage tab says which
    if row.get("o_taken_at") is None and level != 1:
        level = None  # the complaint alone: only Immediate outranks "Not triaged"
    if len(_ENGINE_CACHE) >= _ENGINE_CACHE_MAX:
        _ENGINE_CACHE.clear()
    _ENGINE_CACHE[key] = level
    return level


def load(session: Session, clock: Clock = system_clock, *, area: str | None = None,
         search: str = "") -> list[BoardEntry]:
    """The board as it stands at ``clock()``."""
    now = clock()
    return build(load_rows(session, now), now, area=area, search=search)


def areas(rows: Iterable[dict[str, Any]]) -> list[str]:
    """The distinct areas named on open encounters, for the area filter."""
    return sorted({r["area"] for r in rows if r.get("area")})
