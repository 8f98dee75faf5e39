"""What the deterministic text readers take from the complaint, with no model: values written
inside it ("pulse is 124 and BP of 84/52", "temp 104F") as triage fields, and where its allergy
history lies, so "allergic to penicillin" is not taken for the presenting complaint.

The assessment uses the values the way it uses the assistant's extraction: they fill only fields
the case left empty, and only when that makes the result more urgent, with a warning to confirm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from appliance.text.hits import Hit
from appliance.text.patterns import HISTORY_FIELDS, find_all, triage_fields
from appliance.text.spoken_numbers import digits
from appliance.triage.laterality import one_sided_weakness


@dataclass(frozen=True)
class ComplaintReading:
    fields: dict[str, Any] = field(default_factory=dict)
    #: (start, end) of allergy history in the complaint: what is named there is history (it
    #: still counts for red flags such as a known nut allergy), not what the patient presents with
    history: tuple[tuple[int, int], ...] = ()
    #: findings read from quantities rather than words ("took 30 paracetamol": an overdose)
    concepts: frozenset[str] = frozenset()
    #: (start, end) of advice and safety-netting ("return if fever or confusion") and of a
    #: diagnosis named as a fear ("scared it's meningitis"): what it names has not happened
    #: (or is a question), so it is no finding at all
    hypothetical: tuple[tuple[int, int], ...] = ()

    def in_hypothetical(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.hypothetical)

    def in_history(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.history)


# a count quoted as the caller said it: "took 'about 30' paracetamol"
_QUOTE = "['\"\u2018\u2019\u201c\u201d]?"
# "took about 30 paracetamol", "swallowed 16 of her sertraline tablets": a count of tablets
# taken at once above a maximum daily dose (8 tablets of paracetamol 500 mg is 4 g)
_INGESTED = re.compile(
    r"\b(?:took|taken|swallowed|ingested|ate|had)\b(?:\s+(?:about|around|roughly|maybe|over|like|"
    r"approx\.?|approximately|est\.?|estimated|nearly|almost|at\s+least|~|"
    r"up\s+to|all|of|her|his|my|their|the))*\s+" + _QUOTE + r"(?:about\s+|around\s+|~)?(\d{1,3})"
    + _QUOTE + r"\s*(?:x\s*)?"
    r"(?:[a-z0-9-]+\s+){0,3}?(?:tablets?|tabs?|pills?|capsules?|paracetamol|ibuprofen|aspirin|"
    r"co-codamol|codeine|tramadol|sertraline|citalopram|fluoxetine|amitriptyline|diazepam|"
    r"zopiclone|iron)\b", re.IGNORECASE)
_NEGATED_BEFORE = re.compile(r"\b(?:not|never|no|denies|didn't|didnt|did\s+not)\b[^.;,]*$",
                             re.IGNORECASE)
_OVERDOSE_COUNT = 8


# "swallowed some of grandma's tablets", "ate a few of her pills": medicines taken by someone
# they were not meant for (a child's accidental ingestion) whatever the count; "swallowed some
# beads" names no medicine and is not an overdose
_SOME_MEDICINE = re.compile(
    r"\b(?:swallowed|ate|eaten|chewed|took|taken|had|got\s+into)\s+(?:some|a\s+few|several|"
    r"a\s+couple|one\s+or\s+two|a\s+handful|a\s+load|lots)\s+(?:of\s+)?(?:[a-z'’]+\s+){0,3}?"
    r"(?:tablets?|pills?|capsules?|tabs|medicines?|medication|meds)\b", re.IGNORECASE)

# "took like a whole pack of paracetamol", "necked an entire box", "swallowed two strips": a
# medicine's whole pack taken at once is an overdose whatever its count (a 16-tablet pack of
# paracetamol is 8 g; NICE CKS poisoning or overdose)
_WHOLE_PACK = re.compile(
    r"\b(?:took|taken|swallowed|necked|popped)\b(?:\s+(?:like|about|around|"
    r"maybe|nearly|almost|basically|literally|a|an|the|her|his|my|their|of))*\s+"
    r"(?:(?:whole|entire|full)\s+|(?:two|three|four|several|a\s+few|few|\d)\s+)"
    r"(?:(?:pack|packet|box|strip|blister\s+pack|sheet)s?|boxes)\b", re.IGNORECASE)

# "took all my paracetamol", "she took them all" (the packets found empty): everything a person
# had, taken at once; "them" and "the lot" count only in a text that names medicines
_ALL_TAKEN = re.compile(
    r"\b(?:took|taken|swallowed|necked|downed)\s+['\"\u2018\u2019\u201c\u201d]?(?:(?P<them>them\s+all|"
    r"all\s+of\s+them|the\s+(?:whole\s+)?lot|every\s+(?:single\s+)?one)|all\s+(?:of\s+)?"
    r"(?:my|her|his|their|the|your)\s+(?:[a-z]+\s+)?(?:tablets|pills|paracetamol|ibuprofen|"
    r"meds|medication|medicines?|tabs|capsules|prescription))\b", re.IGNORECASE)
_MEDICINES = re.compile(r"\b(?:tablets?|pills?|paracetamol|ibuprofen|meds|medication|"
                        r"medicines?|tabs|capsules|packets?|boxes)\b", re.IGNORECASE)


def _took_everything(text: str) -> bool:
    for m in _ALL_TAKEN.finditer(text):
        if m.group("them") and not _MEDICINES.search(text):
            continue
        if not _NEGATED_BEFORE.search(text[:m.start()]):
            return True
    return False


def _quantity_findings(text: str) -> frozenset[str]:
    for m in _INGESTED.finditer(text):
        if int(m.group(1)) >= _OVERDOSE_COUNT and not _NEGATED_BEFORE.search(text[:m.start()]):
            return frozenset({"overdose"})
    for m in (*_SOME_MEDICINE.finditer(text), *_WHOLE_PACK.finditer(text)):
        if not _NEGATED_BEFORE.search(text[:m.start()]):
            return frozenset({"overdose"})
    return frozenset({"overdose"}) if _took_everything(text) else frozenset()


_LOW_SUGAR = 4.0  # mmol/L


def _low_sugar_treated(readings: list[object]) -> frozenset[str]:
    """"BM 2.8 … recheck 6.9": a low sugar the latest reading shows treated. Triage takes the
    latest glucose (:mod:`appliance.text.readings`), so the low one is told as this finding."""
    values = [float(v) for v in readings if isinstance(v, int | float)]
    if len(values) >= 2 and min(values[:-1]) < _LOW_SUGAR <= values[-1]:
        return frozenset({"low-sugar-treated"})
    return frozenset()


def _consciousness_from_gcs(gcs: int) -> str | None:
    """GCS as the ACVPU level the modifiers grade: ≤ 9 unresponsive to all but pain, 10–13
    responds to voice, 14 confused."""
    if gcs <= 9:
        return "P"
    if gcs <= 13:
        return "V"
    return "C" if gcs == 14 else None


#: a stated oxygen target or baseline range within 84–92 % (hypercapnic respiratory failure):
#: NEWS2 reads SpO2 on its scale 2 only when a clinician has set such a target, and "usual
#: 88-92", "target 88-92%" or "baseline 89-91 per GP notes" says so
_SCALE_2_TARGET = re.compile(
    r"\b(?:target|usual|usually|baseline|normally|normal for (?:him|her|them)|aim(?:ing)? for)"
    r"\W{0,4}(?:sats?\W{0,3}|spo2\W{0,3}|of\W{0,3}|is\W{0,3}){0,2}"
    r"(?:8[4-9])\s*%?\s*(?:-|–|to)\s*(?:8[8-9]|9[0-2])\s*%?(?!\d)", re.IGNORECASE)


#: what a medicine is taken for ("codeine for back pain", "ramipril for BP"): the condition
#: it treats is history, not what the patient presents with now
_INDICATION = re.compile(r"\s*(?:\([^()]{0,40}\)\s*)?(?:\d+(?:/\d+)?\s*(?:mg|mcg|g)?\s+)?"
                         r"for\s+((?:(?:his|her|my|their|the|a|an)\s+)?"
                         r"[a-z][a-z' -]{0,30}?)(?=\s*(?:[,.;:\n]|\band\b|\bbut\b|\bwhich\b|$))",
                         re.IGNORECASE)


def _indication(text: str, hit: Hit) -> tuple[tuple[int, int], ...]:
    if hit.field != "medications":
        return ()
    m = _INDICATION.match(text, hit.end)
    return ((m.start(1), m.end(1)),) if m else ()


# "just finished antibiotics for a chest infection", "abx for UTI last week": a course named
# by its class rather than a medicine, with what it treated
_COURSE = re.compile(r"\b(?:antibiotics?|abx|a\s+course\s+of\s+[a-z]+)\b", re.IGNORECASE)


def _course_indications(text: str) -> tuple[tuple[int, int], ...]:
    spans = (_INDICATION.match(text, m.end()) for m in _COURSE.finditer(text))
    return tuple((m.start(1), m.end(1)) for m in spans if m)


# "PMH HTN, well controlled", "PMHx: asthma, T2DM.", "Background: COPD": a note's past medical
# history runs to its sentence's end; what it names is history, not this presentation
_PAST_HISTORY = re.compile(r"\b(?:PMH[x]?|past\s+medical\s+history|medical\s+history|"
                           r"background)\b\s*(?:of\b)?\s*[:\-=]?\s*([^.;\n]*)", re.IGNORECASE)


# "Advised fluids; return if confusion, fever or repeated seizures": safety-netting names what
# has not happened; it runs to its sentence's end. "Advised" alone is not it: "GP advised ED
# with chest pain" tells today's finding
_ADVICE = re.compile(
    r"\b(?:safety[- ]?net(?:ting|ted)?|worsening\s+advice|"
    r"(?:return|come\s+back|call(?:\s+(?:back|999|111|us))?|ring(?:\s+back)?|phone(?:\s+back)?|"
    r"contact(?:\s+(?:us|again|the\s+\w+))*(?:\s+or\s+(?:111|999|us|the\s+\w+|a\s+\w+))?|"
    r"seek(?:\s+\w+)?\s+(?:help|advice)|get\s+help|"
    r"see\s+(?:a\s+|the\s+|your\s+|their\s+)?(?:gp|doctor|pharmacist|nurse|midwife|dentist|"
    r"clinician)(?:\s+(?:urgently|again|promptly|soon))?|"
    r"re-?present|go\s+to\s+a&e|ambulance\s+only)\s+if)\b([^.;\n]*)", re.IGNORECASE)


# "scared it's meningitis", "my mate said it could be meningitis??": a diagnosis named as a
# fear or a question is what the caller asks about, not a sign seen; the signs that would
# make it so (a stiff neck, a rash that does not fade) are read where they are told. Only the
# few words after the cue, up to the clause's end, are the feared name.
_FEARED = re.compile(
    r"\b(?:(?:worried|scared|afraid|frightened|terrified|panicking|concerned)\s+(?:that\s+)?"
    r"(?:it\s+is|its|it\s+might\s+be|it\s+could\s+be|it\s+may\s+be|it['’]s))"
    r"\s+((?:a\s+|an\s+)?[a-z']+(?:\s+[a-z']+)?)"
    r"(?=\s*(?:\?|$|[.;,\n]|\s+(?:but|obs|and)\b))|"
    # a friend's guess asked as a question; a clinician's "said it could be sepsis" still counts
    r"\b(?:mate|friend|flatmate|pal)\s+said\s+it\s+(?:could|might|may)\s+be\s+"
    r"((?:a\s+|an\s+)?[a-z']+)(?=\s*\?)", re.IGNORECASE)


def _advice(text: str) -> tuple[tuple[int, int], ...]:
    advice = [(m.start(1), m.end(1)) for m in _ADVICE.finditer(text) if m.group(1)]
    feared = [m.span(g) for m in _FEARED.finditer(text) for g in (1, 2) if m.group(g)]
    return tuple(advice + feared)


def _past_history(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(1), m.end(1)) for m in _PAST_HISTORY.finditer(text) if m.group(1))


def _with_spoken(fields: dict[str, Any], text: str) -> dict[str, Any]:
    """``fields`` with the vital signs and age told only in words ("temp thirty nine point two",
    "seventy two year old"), as dictation writes them. Read from the text with its numbers in
    digits; the spans stay the written text's, so only values absent from it are added."""
    spoken = digits(text)
    if spoken == text:
        return fields
    heard = triage_fields(find_all(spoken))
    vitals = {**heard.get("vitals", {}), **fields.get("vitals", {})}
    out = {**{k: v for k, v in heard.items() if k == "age"}, **fields}
    if vitals:
        out["vitals"] = vitals
    return out


def read_complaint(text: str) -> ComplaintReading:
    """The triage fields stated in ``text`` and the text to match complaints on."""
    if not text.strip():
        return ComplaintReading()
    hits = find_all(text)
    fields = _with_spoken(triage_fields(hits), text)
    gcs = next((h.value for h in hits if h.field == "gcs" and isinstance(h.value, int)), None)
    vitals = dict(fields.get("vitals", {}))
    if gcs is not None and "consciousness" not in vitals:
        level = _consciousness_from_gcs(gcs)
        if level is not None:
            fields["vitals"] = {**vitals, "consciousness": level}
    if "spo2" in vitals and "spo2_scale" not in vitals and _SCALE_2_TARGET.search(text):
        fields["vitals"] = {**fields.get("vitals", vitals), "spo2_scale": 2}
    treated = _low_sugar_treated([h.value for h in hits if h.field == "vitals.blood_glucose"])
    history = tuple((h.start, h.end) for h in hits if h.field in HISTORY_FIELDS) + tuple(
        span for h in hits for span in _indication(text, h)) + _past_history(text) + (
        _course_indications(text))
    return ComplaintReading(fields, history,
                            _quantity_findings(text) | one_sided_weakness(text) | treated,
                            _advice(text))
