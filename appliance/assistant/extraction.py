"""Free text → the triage input schema, every value tied to the words it came from.

Two passes. The pattern pass (``appliance.text.patterns``) reads vitals, age, sex, pregnancy,
oxygen, SpO2 scale, consciousness, allergies and medications with no model. The model pass,
constrained by a JSON-schema grammar, only *points at text*: it returns spans for vitals (parsed
and converted here), the mechanism, and symptoms as lexicon concept ids. A model span not found
verbatim in the note is dropped; where both passes read a field they must agree or the field is
flagged and the pattern value kept. Oxygen, SpO2 scale 2 and new confusion are never taken from
the model. Allergies and medications are their own fields, never symptoms. Everything is
"extracted, unconfirmed" until a clinician confirms it.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from appliance.assistant import prompts
from appliance.assistant.grammar import extraction_grammar
from appliance.text import patterns, units
from appliance.text.spans import find_span, negated
from models.runtime import ModelRuntime, ModelStamp

STATUS = "extracted, unconfirmed"
NOTE_TOKEN_BUDGET = 320
"""Most note tokens sent to the model in one request; longer notes are split, never cut."""
MAX_PARTS = 6
MAX_OUTPUT_TOKENS = 200
_MODEL_FIELDS = {"pulse": ("vitals.pulse",), "bp": ("vitals.systolic_bp", "vitals.diastolic_bp"),
                 "rr": ("vitals.respiratory_rate",), "spo2": ("vitals.spo2",),
                 "temp": ("vitals.temperature",)}
# A model span with no pattern match still needs a word naming the measurement.
_SPAN_WORDS = {"pulse": r"heart|pulse|\bhr\b|bpm|beats", "rr": r"breath|resp|\brr\b",
               "spo2": r"sat|spo2|oxygen|%", "temp": r"temp|fever|°|deg|pyrex|febrile",
               "bp": r"pressure|\bbp\b"}
LIST_FIELDS = ("symptoms", "allergies", "medications")
"""Fields that hold one value per item found; every other field holds one value."""
HISTORY_FIELDS = ("allergies", "no_known_allergies")
"""Words read as allergy history are never a symptom ("allergic to penicillin")."""


@dataclass(frozen=True)
class ExtractedValue:
    """One value for one field, with the verbatim span and its offsets in the note."""

    field: str
    value: Any
    span: str
    start: int
    end: int
    source: str
    """"pattern", "lexicon", "model", or "pattern+model" / "lexicon+model" when both agree."""
    note: str = ""
    status: str = STATUS


@dataclass(frozen=True)
class Flag:
    field: str
    message: str


@dataclass(frozen=True)
class Dropped:
    field: str
    value: Any
    span: str
    reason: str


@dataclass
class Extraction:
    """Everything read from one note, plus what was refused and why."""

    text: str
    values: list[ExtractedValue] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    model: ModelStamp | None = None
    prompt_version: str = prompts.EXTRACT_VERSION
    model_used: bool = False

    def get(self, name: str) -> ExtractedValue | None:
        return next((v for v in self.values if v.field == name), None)

    @property
    def symptoms(self) -> list[str]:
        return [v.value for v in self.values if v.field == "symptoms"]

    @property
    def allergies(self) -> list[str]:
        """Allergens stated in the note ("allergic to penicillin" → ["penicillin"])."""
        return [v.value for v in self.values if v.field == "allergies"]

    @property
    def no_known_allergies(self) -> bool:
        """True when the note says no allergies are known ("NKDA", "no known allergies")."""
        return any(v.field == "no_known_allergies" and v.value for v in self.values)

    @property
    def medications(self) -> list[str]:
        """Medicines the note says the patient takes ("on warfarin" → ["warfarin"])."""
        return [v.value for v in self.values if v.field == "medications"]

    def to_triage_input(self) -> dict[str, Any]:
        """The triage case: only fields that were found; the note itself as the complaint."""
        case: dict[str, Any] = {"complaint": self.text}
        vitals: dict[str, Any] = {}
        for v in self.values:
            if v.field.startswith("vitals."):
                vitals[v.field.removeprefix("vitals.")] = v.value
            elif v.field in ("age", "sex", "pregnant", "pain_score", "mechanism"):
                case[v.field] = v.value
        if vitals:
            case["vitals"] = vitals
        return case

    def to_dict(self) -> dict[str, Any]:
        return {"status": STATUS, "fields": self.to_triage_input(), "concepts": self.symptoms,
                "allergies": self.allergies, "no_known_allergies": self.no_known_allergies,
                "medications": self.medications,
                "values": [asdict(v) for v in self.values],
                "flags": [asdict(f) for f in self.flags],
                "dropped": [asdict(d) for d in self.dropped], "messages": self.messages,
                "model": self.model.to_dict() if self.model else None,
                "prompt_version": self.prompt_version, "model_used": self.model_used}


def extract(text: str, runtime: ModelRuntime | None, concepts: Sequence[str] = (),
            cancel: threading.Event | None = None, lexicon: Any = None) -> Extraction:
    """Read ``text``; with ``runtime`` None (or failing) only the pattern pass runs.

    ``lexicon`` (the triage engine's ``Lexicon``) adds symptoms found deterministically, with
    its negation handling; the model's symptoms then agree with them or add to them.

    Never raises for model trouble: the reason goes in ``messages`` and the pattern values stand.
    """
    result = Extraction(text=text)
    hits = patterns.find_all(text)
    for hit in hits:
        _add(result, ExtractedValue(hit.field, hit.value, hit.span, hit.start, hit.end,
                                    "pattern", hit.note))
    if lexicon is not None:
        _lexicon_pass(result, lexicon)
    if result.allergies and result.no_known_allergies:
        result.flags.append(Flag("allergies", "The note names allergies and also says none are "
                                              "known: check which is right."))
    if (m := patterns.confusion_without_onset(text)) and result.get("vitals.consciousness") is None:
        result.flags.append(Flag("vitals.consciousness",
                                 f"'{m.group(0)}' in the note: is the confusion new? "
                                 "Not scored as C until a clinician confirms."))
    if not text.strip():
        result.messages.append("The note is empty.")
        return result
    if runtime is None:
        result.messages.append("No model loaded: values found by pattern only.")
        return result
    result.model = runtime.stamp
    try:
        parts = _split(text, runtime)
    except Exception as exc:  # noqa: BLE001 - a tokenizer failure must not stop triage
        result.messages.append(f"The model could not read the note ({exc}); pattern values only.")
        return result
    if len(parts) > MAX_PARTS:
        result.messages.append(
            f"The note is too long for the assistant ({len(parts)} parts of up to "
            f"{NOTE_TOKEN_BUDGET} tokens; limit {MAX_PARTS}). Values found by pattern only.")
        return result
    if len(parts) > 1:
        result.messages.append(f"The note is long: read by the model in {len(parts)} parts "
                               "(nothing cut).")
    for part in parts:
        if cancel is not None and cancel.is_set():
            result.messages.append("Cancelled: model values may be incomplete.")
            break
        _model_pass(result, part, runtime, concepts, cancel)
    return result


def _lexicon_pass(result: Extraction, lexicon: Any) -> None:
    from appliance.triage.lexicon import find_concepts

    for match in find_concepts(result.text, lexicon):
        if match.negated or match.concept in result.symptoms or \
                _in_history(result, match.start, match.end):
            continue
        span = result.text[match.start:match.end]
        result.values.append(ExtractedValue("symptoms", match.concept, span, match.start,
                                            match.end, "lexicon",
                                            "typo-tolerant match" if match.fuzzy else ""))


def _split(text: str, runtime: ModelRuntime) -> list[str]:
    """Whole sentences packed into parts within the token budget; an over-long sentence is
    split between words. Every character of the note is in exactly one part."""
    if runtime.count_tokens(text) <= NOTE_TOKEN_BUDGET:
        return [text]
    pieces: list[str] = []
    for sentence in re.split(r"(?<=[.;\n])\s+", text):
        if runtime.count_tokens(sentence) <= NOTE_TOKEN_BUDGET:
            pieces.append(sentence)
            continue
        words, current = sentence.split(" "), ""
        for word in words:
            trial = f"{current} {word}" if current else word
            if current and runtime.count_tokens(trial) > NOTE_TOKEN_BUDGET:
                pieces.append(current)
                current = word
            else:
                current = trial
        if current:
            pieces.append(current)
    parts: list[str] = []
    for piece in pieces:
        trial = f"{parts[-1]} {piece}" if parts else piece
        if parts and runtime.count_tokens(trial) <= NOTE_TOKEN_BUDGET:
            parts[-1] = trial
        else:
            parts.append(piece)
    return parts


def _model_pass(result: Extraction, part: str, runtime: ModelRuntime,
                concepts: Sequence[str], cancel: threading.Event | None) -> None:
    try:
        gen = runtime.complete(prompts.extract_messages(part, concepts),
                               max_tokens=MAX_OUTPUT_TOKENS, grammar=extraction_grammar(concepts),
                               cancel=cancel)
    except Exception as exc:  # noqa: BLE001 - any model failure degrades to patterns
        result.messages.append(f"The model failed ({exc}); values found by pattern only.")
        return
    try:
        data = json.loads(gen.text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except ValueError:
        why = "it ran out of tokens" if gen.finish_reason == "length" else "invalid JSON"
        result.messages.append(f"The model's answer was unusable ({why}); values found by "
                               "pattern only.")
        return
    result.model_used = True
    for key, targets in _MODEL_FIELDS.items():
        span = data.get(key)
        if isinstance(span, str) and span.strip():
            _model_vital(result, key, targets, span)
    mech = data.get("mechanism")
    if isinstance(mech, str) and mech.strip():
        _model_mechanism(result, mech)
    allowed = set(concepts)
    for item in data.get("symptoms") or []:
        if isinstance(item, dict):
            _model_symptom(result, str(item.get("concept", "")), str(item.get("span", "")),
                           allowed)


def _locate(result: Extraction, name: str, value: Any, span: str) -> tuple[int, int] | None:
    where = find_span(result.text, span)
    if where is None:
        result.dropped.append(Dropped(name, value, span, "span not found in the note"))
    return where


def _model_vital(result: Extraction, key: str, targets: tuple[str, ...], span: str) -> None:
    where = _locate(result, targets[0], None, span)
    if where is None:
        return
    verbatim = result.text[where[0]:where[1]]
    parsed = _parse_span(key, verbatim)
    first = result.get(targets[0])
    if parsed is None and first is not None and _overlaps(where, first):
        # The model pointed at (part of) the words the pattern read, e.g. "112" in "HR 112".
        parsed = tuple(v.value for v in (result.get(n) for n in targets) if v is not None)
    if parsed is None or len(parsed) != len(targets):
        result.dropped.append(Dropped(targets[0], None, verbatim,
                                      "no measurement of this kind in the span"))
        return
    for name, value in zip(targets, parsed, strict=True):
        existing = result.get(name)
        if existing is None:
            _add(result, ExtractedValue(name, value, verbatim, where[0], where[1], "model"))
        elif existing.value == value:
            _replace(result, existing, source="pattern+model")
        else:
            result.flags.append(Flag(name, f"The model read {value} from '{verbatim}' but the "
                                           f"pattern read {existing.value} from "
                                           f"'{existing.span}': kept {existing.value}; check it."))


def _parse_span(key: str, span: str) -> tuple[Any, ...] | None:
    """Values for ``key`` read from the model's span by the same code as the pattern pass."""
    for hit in patterns.find_all(span):
        if key == "bp" and hit.field == "vitals.systolic_bp":
            dia = next(h for h in patterns.find_all(span) if h.field == "vitals.diastolic_bp")
            return hit.value, dia.value
        if hit.field == _MODEL_FIELDS[key][0]:
            return (hit.value,)
    if not re.search(_SPAN_WORDS[key], span, re.IGNORECASE):
        return None
    if key == "bp":
        m = re.search(r"(\d{2,3})\s*/\s*(\d{2,3})", span)
        return (int(m.group(1)), int(m.group(2))) if m else None
    m = re.search(r"(\d{1,3}(?:\.\d+)?)\s*(°\s*[CF]|F\b|C\b)?", span)
    if m is None:
        return None
    if key == "temp":
        return (units.temperature_celsius(float(m.group(1)), m.group(2))[0],)
    return (int(float(m.group(1))),)


def _overlaps(where: tuple[int, int], value: ExtractedValue) -> bool:
    return where[0] < value.end and value.start < where[1]


def _model_mechanism(result: Extraction, span: str) -> None:
    where = _locate(result, "mechanism", span, span)
    if where is None:
        return
    verbatim = result.text[where[0]:where[1]]
    words = re.findall(r"[A-Za-z]{2,}", verbatim)
    clash = next((v for v in result.values if v.field != "mechanism" and _overlaps(where, v)),
                 None)
    if len(words) < 2 or clash is not None:
        why = f"overlaps the {clash.field} reading" if clash else "too short to be a mechanism"
        result.dropped.append(Dropped("mechanism", verbatim, verbatim, why))
        return
    existing = result.get("mechanism")
    if existing is None:
        _add(result, ExtractedValue("mechanism", verbatim, verbatim, where[0], where[1], "model"))
    elif _overlaps(where, existing):
        _replace(result, existing, source="pattern+model")
    else:
        result.flags.append(Flag("mechanism", f"The model read the mechanism as '{verbatim}'; "
                                              f"the pattern found '{existing.span}'. Check it."))


def _model_symptom(result: Extraction, concept: str, span: str, allowed: set[str]) -> None:
    if concept not in allowed:
        result.dropped.append(Dropped("symptoms", concept, span, "not a lexicon concept"))
        return
    where = _locate(result, "symptoms", concept, span)
    if where is None:
        return
    if negated(result.text, where[0]):
        result.dropped.append(Dropped("symptoms", concept, span, "the note says it is absent"))
        return
    if _in_history(result, *where):
        result.dropped.append(Dropped("symptoms", concept, span,
                                      "the words are the allergy history, not a symptom"))
        return
    existing = next((v for v in result.values
                     if v.field == "symptoms" and v.value == concept), None)
    if existing is not None:
        if existing.source == "lexicon":
            index = result.values.index(existing)
            result.values[index] = ExtractedValue("symptoms", concept, existing.span,
                                                  existing.start, existing.end,
                                                  "lexicon+model", existing.note)
        return
    result.values.append(ExtractedValue("symptoms", concept, result.text[where[0]:where[1]],
                                        where[0], where[1], "model"))


def _in_history(result: Extraction, start: int, end: int) -> bool:
    return any(v.field in HISTORY_FIELDS and start < v.end and v.start < end
               for v in result.values)


def _add(result: Extraction, value: ExtractedValue) -> None:
    if isinstance(value.value, int | float) and not isinstance(value.value, bool) and \
            not units.plausible(value.field, float(value.value)):
        result.dropped.append(Dropped(value.field, value.value, value.span, "implausible value"))
        result.flags.append(Flag(value.field, f"'{value.span}' reads as {value.value}, which is "
                                              "not a plausible value: not used. Check it."))
        return
    existing = result.get(value.field)
    if value.field in LIST_FIELDS or existing is None:
        result.values.append(value)
    elif existing.value != value.value and value.field != "vitals.diastolic_bp":
        result.flags.append(Flag(value.field, f"The note has another reading: '{value.span}' "
                                              f"({value.value}); '{existing.span}' "
                                              f"({existing.value}) is used. Check which is "
                                              "current."))


def _replace(result: Extraction, old: ExtractedValue, *, source: str) -> None:
    index = result.values.index(old)
    result.values[index] = ExtractedValue(old.field, old.value, old.span, old.start, old.end,
                                          source, old.note)
