"""Handover generated from the record: ATMIST or SBAR for any patient (ATMIST by default for
trauma, SBAR for medical; a medical ATMIST reads M as the presenting complaint, I as findings).

Facts only: every line is built from recorded fields (an unknown patient linked to a known one
is named as the linked patient, marked "(linked)"). A clinician may edit a line (marked
``edited``); where the assistant is present it may smooth the wording of a line (marked
``model``), and the export says which lines a model wrote. Signing stores the final text as a
``handover`` note; exporting writes a text file and a print-ready HTML page under
``layout().exports`` and audits it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from appliance.errors import ValidationError
from appliance.fsutil import atomic_write_bytes
from appliance.records import age, assessments, interventions, matching
from appliance.records.clock import day_hhmm, hhmm
from appliance.security.roles import Permission
from appliance.session import Session

SOURCES = ("record", "edited", "model")
FORMATS = ("ATMIST", "SBAR")
# Before hospital: where the patient should go.
DISPOSITION_ADVICE = {
    "emergency": "Emergency department now / 999",
    "urgent": "Same-day clinical assessment",
    "routine": "Primary care (routine appointment)",
    "self-care": "Self-care advice with safety-netting",
}
# Already in the emergency department (the record has an area or an arrival): what next there.
ED_ADVICE = {
    "emergency": "senior review and treatment in ED now",
    "urgent": "ED assessment and treatment today",
    "routine": "minors / primary care stream, or discharge with follow-up",
    "self-care": "discharge with self-care advice and safety-netting",
}


@dataclass(frozen=True)
class HandoverLine:
    """One line: a section letter (A, T, M… or S, B, A, R), its label, text and source."""

    section: str
    label: str
    text: str
    source: str = "record"
    recorded: str | None = None
    """The text built from the record, kept while the line is ``edited`` or ``model``."""

    @property
    def model_written(self) -> bool:
        return self.source == "model"

    @property
    def from_record(self) -> str:
        return self.text if self.recorded is None else self.recorded


@dataclass(frozen=True)
class Handover:
    """A generated handover for one encounter."""

    format: str  # "ATMIST" or "SBAR"
    encounter_id: str
    patient: str
    generated_at: str
    lines: tuple[HandoverLine, ...]
    model: dict[str, str] | None = None
    """Which model and prompt version wrote the ``model`` lines (name, sha256, prompt_version)."""

    @property
    def has_model_lines(self) -> bool:
        return any(line.model_written for line in self.lines)


def _age_sex(patient: dict[str, Any] | None, now: datetime) -> str:
    if not patient:
        return "age and sex not recorded"
    sex = {"M": "male", "F": "female", "O": "other", "U": "sex unknown"}.get(
        patient.get("sex") or "", "sex not recorded")
    if patient.get("date_of_birth"):
        dob = datetime.fromisoformat(patient["date_of_birth"]).date()
        return f"{age.describe(dob, now.date())}, {sex} (born {dob:%d/%m/%Y})"
    if patient.get("estimated_age") is not None:
        return f"about {patient['estimated_age']} years (estimated), {sex}"
    return f"age not recorded, {sex}"


def _patient_label(patient: dict[str, Any] | None) -> str:
    mark = f" {matching.LINK_MARK}" if patient and patient.get("via_link") else ""
    if not patient or not patient.get("family_name"):
        return f"Unknown patient{mark}"
    name = f"{patient.get('given_name') or ''} {patient['family_name']}".strip()
    nhs = patient.get("nhs_number")
    return (f"{name} (NHS {nhs[:3]} {nhs[3:6]} {nhs[6:]})" if nhs else name) + mark


def obs_text(o: dict[str, Any]) -> str:
    """One observation set as a handover line: 'RR 22, SpO2 94% air, BP 100/60, …'."""
    parts = []
    if o.get("respiratory_rate") is not None:
        parts.append(f"RR {o['respiratory_rate']}")
    if o.get("spo2") is not None:
        on_o2 = "on O2" if o.get("on_oxygen") else "air"
        scale = " (scale 2)" if o.get("spo2_scale") == 2 else ""
        parts.append(f"SpO2 {o['spo2']}% {on_o2}{scale}")
    if o.get("systolic_bp") is not None:
        dia = f"/{o['diastolic_bp']}" if o.get("diastolic_bp") is not None else ""
        parts.append(f"BP {o['systolic_bp']}{dia}")
    for key, label, unit in (("pulse", "HR", ""), ("temperature", "T", "°C"),
                             ("consciousness", "ACVPU", ""), ("blood_glucose", "BM", ""),
                             ("pain_score", "pain", "/10")):
        if o.get(key) is not None:
            parts.append(f"{label} {o[key]}{unit}")
    if o.get("news2_total") is not None:
        partial = "" if o.get("news2_complete") else " (incomplete)"
        parts.append(f"NEWS2 {o['news2_total']}{partial}")
    return f"{hhmm(o.get('taken_at'))} " + ", ".join(parts)


def _signs(observations: list[dict[str, Any]]) -> str:
    if not observations:
        return "no observations recorded"
    first, last = observations[0], observations[-1]
    if first is last:
        return obs_text(last)
    return f"first {obs_text(first)}; latest {obs_text(last)} ({len(observations)} sets)"


def _treatment(rows: list[dict[str, Any]]) -> str:
    return "; ".join(interventions.describe(r) for r in rows) or "none recorded"


def _triage(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "not triaged on this record"
    a = rows[-1]
    level = assessments.effective_priority(a)
    name = assessments.PRIORITY_NAMES.get(level or 0, "?")
    reasons = assessments.result_of(a).get("reasons") or []
    text = f"priority {level} {name}"
    if a["status"] == "overridden":
        text += (f" (overridden from engine priority {a['priority']}: "
                 f"{a['override_reason']})")
    elif a["status"] == "proposed":
        text += " (engine result, not yet confirmed)"
    if reasons:
        text += "; reasons: " + "; ".join(
            str(r.get("text", r)) if isinstance(r, dict) else str(r) for r in reasons[:4])
    return text


def generate(record: dict[str, Any], now: datetime | None = None,
             fmt: str | None = None) -> Handover:
    """Build the handover from :func:`appliance.records.encounters.detail` output.

    ``fmt`` is "ATMIST" or "SBAR"; None picks ATMIST for trauma, SBAR otherwise.
    """
    now = now or datetime.now(UTC)
    enc = record["encounter"]
    fmt = fmt or ("ATMIST" if enc.get("kind") == "trauma" else "SBAR")
    if fmt not in FORMATS:
        raise ValidationError(f"Handover format must be ATMIST or SBAR, not {fmt!r}.",
                              field="format")
    patient = matching.identified(record.get("patient"), record.get("linked_patient"))
    obs, notes = record.get("observations", []), record.get("notes", [])
    complaint = enc.get("presenting_complaint") or "not recorded"
    when = day_hhmm(enc.get("incident_time")) or f"{day_hhmm(enc['opened_at'])} (first contact)"
    clinical = [n["text"] for n in notes if n.get("kind") == "note"]
    triage = _triage(record.get("assessments", []))
    treatment = _treatment(record.get("interventions", []))
    if fmt == "ATMIST":
        if enc.get("kind") == "trauma":
            mechanism = HandoverLine("M", "Mechanism", enc.get("mechanism") or "not recorded")
            injuries = HandoverLine("I", "Injuries", complaint)
        else:
            mechanism = HandoverLine("M", "Medical", f"presenting complaint: {complaint}")
            findings = [triage] + (["notes: " + " / ".join(clinical[-3:])] if clinical else [])
            injuries = HandoverLine("I", "Illness", "; ".join(findings))
        lines = [
            HandoverLine("A", "Age", _age_sex(patient, now)),
            HandoverLine("T", "Time of incident" if enc.get("kind") == "trauma"
                         else "Time of onset", when),
            mechanism, injuries,
            HandoverLine("S", "Signs", _signs(obs)),
            HandoverLine("T", "Treatment", treatment),
            *_history(patient, "+"),
        ]
    else:
        background = [f"incident {when}"]
        for key, label in (("location", "at"), ("call_category", "call category"),
                           ("arrival", "arrived by"), ("mechanism", "mechanism")):
            if enc.get(key):
                background.append(f"{label} {enc[key]}")
        if clinical:
            background.append("notes: " + " / ".join(clinical[-3:]))
        lines = [
            HandoverLine("S", "Situation", f"{_age_sex(patient, now)}; {complaint}"),
            HandoverLine("B", "Background", "; ".join(background)),
            *_history(patient, "B"),
            HandoverLine("A", "Assessment", _signs(obs)),
            HandoverLine("A", "Triage", triage),
            HandoverLine("A", "Treatment", treatment),
            HandoverLine("R", "Recommendation", recommendation(
                enc, record.get("assessments", []))),
        ]
    return Handover(fmt, enc["id"], _patient_label(patient),
                    now.isoformat(timespec="seconds"), tuple(lines))


def _history(patient: dict[str, Any] | None, section: str) -> list[HandoverLine]:
    """Allergies and current medications, said as "not recorded" when nobody asked."""
    p = patient or {}
    return [HandoverLine(section, "Allergies", p.get("allergies") or "not recorded"),
            HandoverLine(section, "Medications", p.get("medications") or "not recorded")]


def in_department(enc: dict[str, Any]) -> bool:
    """True when the record places the patient in the emergency department already.

    An area (Resus, Majors…) or a way of arrival is only recorded where the patient arrived.
    """
    return bool(enc.get("area") or enc.get("arrival"))


def recommendation(enc: dict[str, Any], assessments_: list[dict[str, Any]]) -> str:
    """What next: where to go before hospital, or what happens next in ED."""
    disposition = enc.get("disposition")
    if not in_department(enc):
        advice = DISPOSITION_ADVICE.get(disposition or "", disposition or "not decided")
        return f"disposition: {advice}"
    from appliance.triage.priorities import PRIORITIES, disposition_for

    level = (assessments.effective_priority(assessments_[-1]) if assessments_
             else enc.get("priority"))
    area = {"Ambulance": "ambulance bay"}.get(enc.get("area") or "", enc.get("area"))
    where = f"in ED ({area})" if area else "in ED"
    if disposition in ED_ADVICE or (disposition is None and level in PRIORITIES):
        key = disposition or disposition_for(level)  # type: ignore[arg-type]
        seen = (f"priority {level} {PRIORITIES[level].name}, to be seen within "
                f"{PRIORITIES[level].target_minutes} min; " if level in PRIORITIES else "")
        return f"{where}: {seen}{ED_ADVICE[key]}"
    return f"{where}: {disposition or 'not triaged yet: triage now'}"


def edit(handover: Handover, index: int, text: str) -> Handover:
    """Replace one line's text with the clinician's wording (marked ``edited``); typing the
    recorded text back makes it a record line again."""
    if not text.strip():
        raise ValidationError("A handover line cannot be empty: write 'not recorded'.",
                              field="text")
    lines = list(handover.lines)
    line = lines[index]
    if line.text == text.strip():
        return handover
    if text.strip() == line.from_record:
        return revert(handover, index)
    lines[index] = replace(line, text=text.strip(), source="edited", recorded=line.from_record)
    return replace(handover, lines=tuple(lines))


def revert(handover: Handover, index: int) -> Handover:
    """Put one line back to the text built from the record (undoes a model or clinician edit)."""
    lines = list(handover.lines)
    line = lines[index]
    lines[index] = replace(line, text=line.from_record, source="record", recorded=None)
    return replace(handover, lines=tuple(lines))


def smooth(handover: Handover, rewrite: Callable[[str, str], str],
           model: dict[str, str] | None = None) -> Handover:
    """Let a model reword lines taken from the record; changed lines are marked ``model``.

    ``rewrite(text, label)`` returns the new wording (its own checks decide whether it may);
    ``model`` says which model and prompt wrote it. Lines a clinician edited are left alone.
    """
    lines = []
    for line in handover.lines:
        if line.source == "record":
            new = rewrite(line.text, line.label).strip()
            if new and new != line.text:
                line = replace(line, text=new, source="model", recorded=line.text)
        lines.append(line)
    out = replace(handover, lines=tuple(lines))
    return replace(out, model=model) if out.has_model_lines and model else out


def _mark(line: HandoverLine) -> str:
    return {"record": "", "edited": " [edited]", "model": " [model-written]"}[line.source]


def to_text(h: Handover) -> str:
    """Plain text, one line per item; model-written lines are marked."""
    out = [f"{h.format} handover — {h.patient}", f"Generated {day_hhmm(h.generated_at)}", ""]
    out += [f"{line.section}  {line.label}: {line.text}{_mark(line)}" for line in h.lines]
    if h.has_model_lines:
        out += ["", "[model-written] lines were reworded by the local assistant: check them "
                    "against the record."]
        if h.model:
            out.append(_provenance(h.model))
    return "\n".join(out) + "\n"


def _provenance(model: dict[str, str]) -> str:
    return (f"Assistant: {model.get('model', '?')} (sha256 {model.get('sha256', '?')[:12]}), "
            f"prompt {model.get('prompt_version', '?')}.")


def to_html(h: Handover) -> str:
    """A print-ready HTML page (no scripts, no external resources)."""
    rows = "\n".join(
        f"<tr class='{line.source}'><th>{html.escape(line.section)}</th>"
        f"<td class='label'>{html.escape(line.label)}</td>"
        f"<td>{html.escape(line.text)}{html.escape(_mark(line))}</td></tr>"
        for line in h.lines)
    note = ("<p class='model'>Lines marked [model-written] were reworded by the local "
            "assistant: check them against the record. "
            f"{html.escape(_provenance(h.model)) if h.model else ''}</p>"
            if h.has_model_lines else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{h.format} handover — {html.escape(h.patient)}</title>
<style>
body {{ font: 12pt/1.4 sans-serif; margin: 2cm; color: #000; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #000; padding: 4pt 6pt; text-align: left; vertical-align: top; }}
th {{ width: 2em; font-size: 16pt; }} td.label {{ width: 10em; font-weight: bold; }}
tr.model td {{ font-style: italic; }} .model {{ font-style: italic; }}
@media print {{ body {{ margin: 1cm; }} }}
</style></head><body>
<h1>{h.format} handover</h1>
<p><strong>{html.escape(h.patient)}</strong> — generated {day_hhmm(h.generated_at)}</p>
<table>
{rows}
</table>
{note}
</body></html>
"""


def sign(session: Session, h: Handover) -> str:
    """Store the reviewed handover in the record as a signed ``handover`` note."""
    from appliance.records import encounters

    text = to_text(h) + f"Signed by {session.user.display_name}\n"
    return encounters.add_note(session, h.encounter_id, text, kind="handover",
                               model_written=h.has_model_lines)


def export(session: Session, h: Handover, directory: Path | None = None) -> tuple[Path, Path]:
    """Write the handover as .txt and .html (owner-only files) to ``directory`` (checked: never
    among the device's own files; default ``exports/``) and audit the export with the folder,
    so the files are deleted there once they expire."""
    from appliance.exports import check_export_folder

    session.require(Permission.EXPORT_HANDOVER)
    root = session.device.layout.root
    folder = check_export_folder(root, directory or session.device.layout.exports)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    base = folder / f"handover-{h.encounter_id[-8:]}-{stamp}"
    txt, page = base.with_suffix(".txt"), base.with_suffix(".html")
    atomic_write_bytes(txt, to_text(h).encode())
    atomic_write_bytes(page, to_html(h).encode())
    session.audit("handover.exported", subject=f"encounter:{h.encounter_id}",
                  detail={"files": [txt.name, page.name], "folder": str(folder),
                          "model_lines": h.has_model_lines,
                          "model": h.model if h.has_model_lines else None})
    return txt, page
